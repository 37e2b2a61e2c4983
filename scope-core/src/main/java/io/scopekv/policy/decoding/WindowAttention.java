package io.scopekv.policy.decoding;

import io.scopekv.policy.DecodingScorer;
import io.scopekv.policy.SpecForm;

/**
 * Attention summed over the last k decode steps' queries (an observation window during decoding).
 * Each step's probabilities are those of its own query over the tokens cached at that step.
 *
 * @param k queries in the window, at least 1
 */
public record WindowAttention(int k) implements DecodingScorer {

    /** Spec name, parameters and factory. */
    public static final SpecForm<WindowAttention> SPEC = SpecForm.<WindowAttention>named("window")
            .required("k", WindowAttention::k)
            .build(args -> new WindowAttention(args.integer("k")));

    /** Checks the components, naming the value and the rule it breaks. */
    public WindowAttention {
        if (k < 1) {
            throw new IllegalArgumentException("window scorer needs k >= 1, was " + k);
        }
    }

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
        return new SlotScores(heads, capacity, k, false);
    }
}
