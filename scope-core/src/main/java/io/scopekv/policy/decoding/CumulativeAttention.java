package io.scopekv.policy.decoding;

import io.scopekv.policy.DecodingScorer;

/** H2O's score: attention summed over every step since the token entered the cache. */
public record CumulativeAttention() implements DecodingScorer {

    @Override
    public String describe() {
        return "cumulative";
    }

    @Override
    public boolean needsAttention() {
        return true;
    }

    @Override
    public State newState(int heads, int headDim, int capacity) {
        return new SlotScores(heads, capacity, 1, true);
    }
}
