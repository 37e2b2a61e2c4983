package io.scopekv.policy;

/**
 * A memory manager's budget: how many tokens a decoding strategy may keep at decode step j
 * (1-based: the j-th generated token's K/V is appended at step j).
 */
public sealed interface BudgetSchedule {

    /** Tokens allowed after the selection of step j; {@link Integer#MAX_VALUE} when unbounded. */
    int budget(long step);

    /** No bound: nothing is ever evicted. */
    record Unbounded() implements BudgetSchedule {
        @Override
        public int budget(long step) {
            return Integer.MAX_VALUE;
        }
    }

    /** The same budget W at every step (Slide, the unified baselines). */
    record Fixed(int tokens) implements BudgetSchedule {
        public Fixed {
            if (tokens <= 0) {
                throw new IllegalArgumentException("fixed budget must be positive, was " + tokens);
            }
        }

        @Override
        public int budget(long step) {
            return tokens;
        }
    }

    /**
     * SCOPE Adaptive: {@code B(j) = R + floor((j - 1) / delta)}, growing by one token every delta
     * steps and reaching about W at j = T (the reference code's rule, not the paper's formula).
     */
    record Growing(int recent, int delta) implements BudgetSchedule {
        public Growing {
            if (recent < 0) {
                throw new IllegalArgumentException("recent window R must be >= 0, was " + recent);
            }
            if (delta < 1) {
                throw new IllegalArgumentException("delta must be >= 1, was " + delta);
            }
        }

        /** delta = (T - R) / (W - R), integer division, as in the reference. */
        public static Growing of(int window, int recent, int maxNewTokens) {
            return new Growing(recent, (maxNewTokens - recent) / (window - recent));
        }

        @Override
        public int budget(long step) {
            long b = recent + Math.max(0, step - 1) / delta;
            return (int) Math.min(Integer.MAX_VALUE, b);
        }
    }
}
