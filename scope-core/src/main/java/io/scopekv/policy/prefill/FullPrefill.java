package io.scopekv.policy.prefill;

import io.scopekv.policy.PrefillInput;
import io.scopekv.policy.ScoringCompressor;
import io.scopekv.policy.SpecForm;

/** Keeps every prompt token (the reference's ALLKV). */
public record FullPrefill() implements ScoringCompressor {

    /** Spec name, parameters and factory. */
    public static final SpecForm<FullPrefill> SPEC = SpecForm.<FullPrefill>named("full")
            .build(args -> new FullPrefill());

    @Override
    public String describe() {
        return SPEC.describe(this);
    }

    @Override
    public int budget(int layer, int layers, int promptLength) {
        return Integer.MAX_VALUE;
    }

    @Override
    public int window() {
        return 0;
    }

    @Override
    public float[][] score(PrefillInput input) {
        throw new IllegalStateException("the full prefill keeps every token and never scores");
    }
}
