package io.scopekv.policy.decoding;

import io.scopekv.policy.DecodingScorer;

/**
 * The reference heavy-hitter score: the current step's attention probability (softmax over every
 * cached key, the new one included). Nothing is accumulated across steps. Computed in fp32.
 */
public record CurrentAttention() implements DecodingScorer {

    @Override
    public String describe() {
        return "attn";
    }

    @Override
    public boolean needsAttention() {
        return true;
    }

    @Override
    public State newState(int heads, int headDim, int capacity) {
        return new SlotScores(heads, capacity, 1, false);
    }
}
