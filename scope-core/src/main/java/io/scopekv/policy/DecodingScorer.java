package io.scopekv.policy;

/**
 * Scores cached tokens for a decoding-phase selection ("what matters"); the cache does the
 * selection and the storage change. Implementations are immutable configuration; all mutable
 * state lives in the {@link State} each cache creates for itself.
 */
public interface DecodingScorer {

    /** Spec-string form, e.g. {@code attn} or {@code window(k=8)}. */
    String describe();

    /** Whether scoring reads attention probabilities (then the engine must supply them). */
    boolean needsAttention();

    /**
     * Whether {@link #promptScores} reads every prompt query (then the engine must pass all M
     * prompt queries to prefill).
     */
    default boolean needsPromptQueries() {
        return false;
    }

    /**
     * The scores prompt tokens start from, {@code [queryHeads or kvHeads][M]} (query heads are
     * aggregated per storage head by the GQA rule), or null when they start from zero. Called once
     * per layer at prefill; the cache hands each kept token's score to {@link State#onPrompt}.
     */
    default float[][] promptScores(PrefillInput input) {
        return null;
    }

    /**
     * Creates the per-sequence, per-layer state.
     *
     * @param heads    storage heads
     * @param headDim  elements per key vector
     * @param capacity slots per head allocated now (see {@link State#grow(int)})
     */
    State newState(int heads, int headDim, int capacity);

    /** Mutable scores of one layer of one sequence. Slots index the cache's storage. */
    interface State {
        /** The storage grew; slots below the old capacity keep their scores. */
        void grow(int newCapacity);

        /**
         * A token now occupies {@code slot} of {@code head}: a prompt token kept at prefill or a
         * decoding token. Forget what the slot held.
         *
         * @param key    the token's key (after RoPE) at {@code key[offset, offset + headDim)}; the
         *               array is the caller's, valid during the call only
         */
        void onAppend(int head, int slot, float[] key, int offset);

        /**
         * Seeds the prompt tokens' scores, once, right after prefill: {@code scores[slot]} for the
         * slots {@code [0, slots)} the kept prompt tokens occupy. Only called when
         * {@link #promptScores} returned scores.
         */
        default void onPrompt(int head, float[] scores, int slots) {
            throw new UnsupportedOperationException(getClass().getSimpleName() + " does not take prompt scores");
        }

        /**
         * The step's attention probabilities for one storage head, already aggregated over its
         * query heads: {@code probs[slot]} for slots {@code [fromSlot, toSlot)}, zero for empty
         * slots. Slots below {@code fromSlot} hold tokens that are never candidates (SCOPE's
         * prefill set) and get no update.
         */
        void onObserve(int head, float[] probs, int fromSlot, int toSlot, long step);

        /** The score of the token at {@code slot} with absolute {@code position}; higher keeps. */
        float score(int head, int slot, int position, long step);
    }
}
