package io.scopekv.policy.decoding;

import io.scopekv.policy.DecodingScorer;
import io.scopekv.policy.DecodingStrategy;

/** Keeps every decoding token: prefill-only compression, or the full cache. Spec {@code none}. */
public record NoEviction() implements DecodingStrategy {

    @Override
    public String describe() {
        return "none";
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
