package io.scopekv.policy.decoding;

import io.scopekv.policy.DecodingScorer;
import io.scopekv.policy.DecodingStrategy;
import io.scopekv.policy.SpecForm;

/** Keeps every decoding token: prefill-only compression, or the full cache. Spec {@code none}. */
public record NoEviction() implements DecodingStrategy {

    /** Spec name, parameters and factory. */
    public static final SpecForm<NoEviction> SPEC = SpecForm.<NoEviction>named("none")
            .build(args -> new NoEviction());

    @Override
    public String describe() {
        return SPEC.describe(this);
    }

    /** Never consulted; oldest-first because it keeps no per-slot state. */
    @Override
    public DecodingScorer scorer() {
        return new OldestFirst();
    }

    /** Nothing is ever ranked, so the scorer is ignored. */
    @Override
    public DecodingStrategy withScorer(DecodingScorer scorer) {
        return this;
    }

    @Override
    public boolean evicts() {
        return false;
    }

    @Override
    public State newState(int layer, int layers, int heads) {
        return (step, cache) -> null;
    }
}
