package io.scopekv.policy;

/**
 * How the cache evicts during decoding: when a selection is due, which cached tokens compete and
 * how many of them stay on each head. What ranks the competitors is the {@link DecodingScorer};
 * the cache's shared top-k does the choosing (ties to the lower position) and frees the slots.
 *
 * <p>A strategy is immutable configuration. Each cache creates one {@link State} per layer at
 * that layer's prefill; all per-sequence bookkeeping (recent tokens, step counters) lives there.
 * The built-in strategies are in {@link io.scopekv.policy.decoding}.
 */
public interface DecodingStrategy {

    /** Spec-string form without the scorer, e.g. {@code slide(W=512,R=256)}. */
    String describe();

    /** What ranks the candidates of a selection. */
    DecodingScorer scorer();

    /** The same strategy ranking candidates with another scorer. */
    DecodingStrategy withScorer(DecodingScorer scorer);

    /** Whether this strategy ever evicts; one that does not is never asked to decide. */
    default boolean evicts() {
        return true;
    }

    /** Whether the engine must supply attention probabilities for this strategy. */
    default boolean needsAttention() {
        return evicts() && scorer().needsAttention();
    }

    /**
     * Whether prompt tokens may compete in a selection (the unified baselines). When false
     * (SCOPE) the prefill set never changes and its probabilities are never read.
     */
    default boolean promptCompetes() {
        return false;
    }

    /** Decoding slots per head to allocate at prefill. */
    default int initialDecodingSlots() {
        return 256;
    }

    /** Slots to add when a head runs out, given its current decoding slots. */
    default int growthChunk(int currentDecodingSlots) {
        return Math.max(256, currentDecodingSlots / 2);
    }

    /**
     * Creates the per-sequence state of one layer, called at that layer's prefill.
     *
     * @param layer  0-based layer
     * @param layers layers in the model
     * @param heads  storage heads (KV heads, or query heads when K/V are replicated)
     */
    State newState(int layer, int layers, int heads);

    /** The mutable decisions of one layer of one sequence. */
    interface State {

        /**
         * A decoding-phase token entered every head of the layer. The arrays are the caller's,
         * valid during the call only.
         *
         * @param position the token's absolute position
         * @param keys     {@code [kvHeads, headDim]} row-major, after RoPE
         * @param values   {@code [kvHeads, headDim]} row-major
         */
        default void onAppend(int position, float[] keys, float[] values) {
        }

        /**
         * Called once per decode step after the step's attention (the scorer has seen the
         * probabilities). Returns the selection to run now, or null when none is due.
         *
         * @param step  the decode step, 1-based (the j-th generated token was appended)
         * @param cache what each head of the layer holds now
         */
        Selection decide(long step, Occupancy cache);
    }
}
