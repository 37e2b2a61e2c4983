package io.scopekv.bench.policies;

import io.scopekv.policy.decoding.Adaptive;

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
        // the strategies own the rules on W, R and T (W > R >= 0, T >= W); Adaptive checks all of them
        new Adaptive(window, recent, maxNewTokens);
    }

    /** W as a percentage of T, the paper's decoding compression ratio. */
    public double windowPercent() {
        return 100.0 * window / maxNewTokens;
    }
}
