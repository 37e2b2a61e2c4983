package io.scopekv.bench.policies;

/**
 * The budgets one sweep point gives every policy.
 *
 * @param prefill      P, prompt tokens kept after prefill compression
 * @param window       W, decoding-phase tokens kept
 * @param recent       R, most recent decoding tokens always kept
 * @param maxNewTokens T, maximum new tokens (sets Adaptive's and Discontinuous' growth interval)
 * @param seed         seed of the random bound
 */
public record Budget(int prefill, int window, int recent, int maxNewTokens, long seed) {

    public Budget {
        if (prefill < 1) {
            throw new IllegalArgumentException("prefill budget P must be >= 1, was " + prefill);
        }
        if (recent < 0) {
            throw new IllegalArgumentException("recent window R must be >= 0, was " + recent);
        }
        if (window <= recent) {
            throw new IllegalArgumentException("decoding budget W must exceed the recent window R (W > R), was W="
                    + window + ", R=" + recent);
        }
        if (maxNewTokens < window) {
            throw new IllegalArgumentException("maxNewTokens T must be >= W (" + window + "), was " + maxNewTokens);
        }
    }

    /** W as a percentage of T, the paper's decoding compression ratio. */
    public double windowPercent() {
        return 100.0 * window / maxNewTokens;
    }
}
