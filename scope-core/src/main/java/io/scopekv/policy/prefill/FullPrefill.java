package io.scopekv.policy.prefill;

import io.scopekv.policy.PrefillInput;
import io.scopekv.policy.ScoringCompressor;

/** Keeps every prompt token (the reference's ALLKV). */
public record FullPrefill() implements ScoringCompressor {

    @Override
    public String describe() {
        return "full";
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
