package io.scopekv.policy.decoding;

import io.scopekv.policy.DecodingScorer;

/**
 * StreamingLLM's rule as a score: the lower the position, the higher the score, so a selection
 * keeps the earliest cached tokens (attention sinks) and, with the recent window, the newest.
 * Needs no attention.
 */
public record OldestFirst() implements DecodingScorer {

    @Override
    public String describe() {
        return "oldest";
    }

    @Override
    public boolean needsAttention() {
        return false;
    }

    @Override
    public State newState(int heads, int capacity) {
        return new State() {
            @Override
            public void grow(int newCapacity) {
            }

            @Override
            public void onAppend(int head, int slot) {
            }

            @Override
            public void onObserve(int head, float[] probs, int fromSlot, int toSlot, long step) {
            }

            @Override
            public float score(int head, int slot, int position, long step) {
                return -(float) position;
            }
        };
    }
}
