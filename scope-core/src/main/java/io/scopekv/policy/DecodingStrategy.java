package io.scopekv.policy;

/**
 * How the cache evicts during decoding: which tokens compete ({@link Candidates}), how many may
 * stay ({@link BudgetSchedule}), when the selector runs ({@link Cadence}), the R most recent
 * tokens that are always kept, and what ranks the rest ({@link DecodingScorer}).
 * Build them with {@link io.scopekv.policy.decoding.DecodingStrategies}.
 *
 * @param describe   spec-string form without the scorer, e.g. {@code slide(W=512,R=256)}
 * @param candidates which tokens may be evicted
 * @param budget     decoding tokens kept (for {@link Candidates#WHOLE_CACHE}: added to each
 *                   head's prefill kept count to give the whole-cache budget)
 * @param cadence    when selection runs
 * @param recent     R, the most recent tokens never evicted
 * @param scorer     ranks candidates
 */
public record DecodingStrategy(String describe, Candidates candidates, BudgetSchedule budget,
                               Cadence cadence, int recent, DecodingScorer scorer) {

    public DecodingStrategy {
        if (describe == null || candidates == null || budget == null || cadence == null || scorer == null) {
            throw new IllegalArgumentException("decoding strategy components must not be null");
        }
        if (recent < 0) {
            throw new IllegalArgumentException("recent window R must be >= 0, was " + recent);
        }
        if (candidates != Candidates.NONE && budget.budget(Long.MAX_VALUE / 2) < recent) {
            throw new IllegalArgumentException("budget must be at least the recent window R=" + recent);
        }
    }

    /** The most decoding slots allocated per head at prefill, whatever the budget. */
    public static final int MAX_INITIAL_SLOTS = 4096;

    /** Whether this strategy ever evicts. */
    public boolean evicts() {
        return candidates != Candidates.NONE && !(budget instanceof BudgetSchedule.Unbounded);
    }

    /** Whether the engine must supply attention probabilities for this strategy. */
    public boolean needsAttention() {
        return evicts() && scorer.needsAttention();
    }

    /** The same strategy ranking candidates with another scorer. */
    public DecodingStrategy withScorer(DecodingScorer newScorer) {
        return new DecodingStrategy(describe, candidates, budget, cadence, recent, newScorer);
    }

    /**
     * Decoding slots to allocate per head at prefill. Bounded strategies allocate what their
     * first budget needs (Slide: W + 1, the token attended before eviction included) up to
     * {@value #MAX_INITIAL_SLOTS}, so a budget larger than any sequence costs nothing up front;
     * growing ones start small. Both grow with {@link #growthChunk(int)}.
     */
    public int initialDecodingSlots() {
        if (budget instanceof BudgetSchedule.Fixed f) {
            return (int) Math.min(f.tokens() + 1L, MAX_INITIAL_SLOTS);
        }
        if (budget instanceof BudgetSchedule.Growing g) {
            return g.recent() + periodSlack() + 1;
        }
        return 256;
    }

    /** Slots to add when a head runs out, given its current decoding slots. */
    public int growthChunk(int currentDecodingSlots) {
        if (budget instanceof BudgetSchedule.Growing) {
            return Math.max(64, periodSlack() + 1);
        }
        if (budget instanceof BudgetSchedule.Fixed f) {
            // below the budget (one above MAX_INITIAL_SLOTS) grow geometrically towards it
            long missing = f.tokens() + 1L - currentDecodingSlots;
            return missing <= 0 ? 64 : (int) Math.max(64, Math.min(missing, currentDecodingSlots));
        }
        return Math.max(256, currentDecodingSlots / 2);
    }

    private int periodSlack() {
        return cadence instanceof Cadence.Periodic p ? p.delta() : 0;
    }
}
