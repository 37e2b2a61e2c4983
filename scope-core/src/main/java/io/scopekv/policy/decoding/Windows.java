package io.scopekv.policy.decoding;

import io.scopekv.policy.DecodingScorer;

/** Parameter rules the SCOPE strategies and the unified baselines share. */
final class Windows {

    private Windows() {
    }

    static void require(int window, int recent, DecodingScorer scorer) {
        if (recent < 0) {
            throw new IllegalArgumentException("recent window R must be >= 0, was R=" + recent);
        }
        if (window <= recent) {
            throw new IllegalArgumentException("decoding budget W must exceed the recent window R (W > R), was W="
                    + window + ", R=" + recent);
        }
        if (scorer == null) {
            throw new IllegalArgumentException("scorer must not be null");
        }
    }

    static void requireHorizon(int window, int maxNewTokens) {
        if (maxNewTokens < window) {
            throw new IllegalArgumentException("maximum new tokens T must be at least the decoding budget W (T >= W), was T="
                    + maxNewTokens + ", W=" + window);
        }
    }
}
