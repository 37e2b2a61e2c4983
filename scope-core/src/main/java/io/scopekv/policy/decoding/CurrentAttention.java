package io.scopekv.policy.decoding;

import io.scopekv.policy.DecodingScorer;
import io.scopekv.policy.SpecForm;

/**
 * The reference heavy-hitter score: the current step's attention probability (softmax over every
 * cached key, the new one included). Nothing is accumulated across steps. Computed in fp32.
 */
public record CurrentAttention() implements DecodingScorer {

    /** Spec name, parameters and factory. */
    public static final SpecForm<CurrentAttention> SPEC = SpecForm.<CurrentAttention>named("attn")
            .build(args -> new CurrentAttention());

    @Override
    public String describe() {
        return SPEC.describe(this);
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
