package io.scopekv.policy.decoding;

import io.scopekv.policy.DecodingScorer;

/**
 * The state of a scorer that needs none: the score follows from a token's position and the step
 * alone, so appends, observations and growth change nothing.
 */
final class PositionalState implements DecodingScorer.State {

    /** A token's score from its head, position and the current step. */
    @FunctionalInterface
    interface Rule {
        float score(int head, int position, long step);
    }

    private final Rule rule;

    PositionalState(Rule rule) {
        this.rule = rule;
    }

    @Override
    public void grow(int newCapacity) {
    }

    @Override
    public void onAppend(int head, int slot, float[] key, int offset) {
    }

    @Override
    public void onObserve(int head, float[] probs, int fromSlot, int toSlot, long step) {
    }

    @Override
    public float score(int head, int slot, int position, long step) {
        return rule.score(head, position, step);
    }
}
