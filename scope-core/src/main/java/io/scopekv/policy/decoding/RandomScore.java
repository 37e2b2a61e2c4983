package io.scopekv.policy.decoding;

import io.scopekv.policy.DecodingScorer;
import io.scopekv.policy.SpecForm;

/**
 * A seeded random score, fresh at every step: the lower bound any real scorer must beat.
 * Deterministic for a seed, the same across runs and threads.
 */
public record RandomScore(long seed) implements DecodingScorer {

    /** Spec name, parameters and factory. */
    public static final SpecForm<RandomScore> SPEC = SpecForm.<RandomScore>named("random")
            .optional("seed", 0, RandomScore::seed)
            .build(args -> new RandomScore(args.longValue("seed")));

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
        return new PositionalState((head, position, step) -> unitFloat(mix(seed ^ mix(step * 0x9E3779B97F4A7C15L + head) ^ position)));
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static float unitFloat(long bits) {
        return (bits >>> 40) * 0x1.0p-24f;
    }
}
