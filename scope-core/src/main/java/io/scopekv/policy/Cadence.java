package io.scopekv.policy;

/**
 * A memory manager's update cadence: on which steps the selector runs, given whether the cache is
 * at or over its budget on that step. Implementations are immutable; the per-sequence counter
 * lives in the cache.
 */
public sealed interface Cadence {

    /**
     * Decides whether to select now.
     *
     * @param overBudget whether the candidates' owner holds at least its budget this step
     * @param counter    the steps counted since the last selection (the cache's state)
     * @return the new counter value, negative to mean "select now" (the cache then resets it to 0)
     */
    int next(boolean overBudget, int counter);

    /** Select on every step that is at or over budget. */
    record EveryStep() implements Cadence {
        @Override
        public int next(boolean overBudget, int counter) {
            return overBudget ? -1 : 0;
        }
    }

    /**
     * SCOPE Discontinuous: count the steps that are at or over budget; select on the
     * {@code (delta + 1)}-th, then start counting again. The first counted step is the one where
     * the budget is first reached, so the first selection comes delta steps after it.
     */
    record Periodic(int delta) implements Cadence {
        public Periodic {
            if (delta < 1) {
                throw new IllegalArgumentException("delta must be >= 1, was " + delta);
            }
        }

        @Override
        public int next(boolean overBudget, int counter) {
            if (!overBudget) {
                return counter;
            }
            int counted = counter + 1;
            return counted > delta ? -1 : counted;
        }
    }
}
