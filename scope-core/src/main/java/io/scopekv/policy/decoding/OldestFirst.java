package io.scopekv.policy.decoding;

import io.scopekv.policy.DecodingScorer;
import io.scopekv.policy.SpecForm;

/**
 * StreamingLLM's rule as a score: the lower the position, the higher the score, so a selection
 * keeps the earliest cached tokens (attention sinks) and, with the recent window, the newest.
 * Needs no attention.
 */
public record OldestFirst() implements DecodingScorer {

    /** Spec name, parameters and factory. */
    public static final SpecForm<OldestFirst> SPEC = SpecForm.<OldestFirst>named("oldest")
            .build(args -> new OldestFirst());

    @Override
    public String describe() {
        return SPEC.describe(this);
    }

    @Override
    public boolean needsAttention() {
        return false;
    }

    @Override
    public State newState(int heads, int headDim, int capacity) {
        return new PositionalState((head, position, step) -> -(float) position);
    }
}
