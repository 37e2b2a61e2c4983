package io.scopekv.policy.prefill;

import io.scopekv.policy.PrefillInput;
import io.scopekv.policy.ScoringCompressor;
import io.scopekv.policy.SpecForm;
import java.util.SplittableRandom;

/** Keeps P - w random prompt tokens plus the last w: the lower bound. Seeded per layer and head. */
public record RandomPrefill(int budget, int window, long seed) implements ScoringCompressor {

    /** Spec name, parameters and factory. */
    public static final SpecForm<RandomPrefill> SPEC = SpecForm.<RandomPrefill>named("random")
            .required("P", RandomPrefill::budget)
            .optional("w", 0, RandomPrefill::window)
            .optional("seed", 0, RandomPrefill::seed)
            .build(args -> new RandomPrefill(args.integer("P"), args.integer("w"), args.longValue("seed")));

    /** Checks the components, naming the value and the rule it breaks. */
    public RandomPrefill {
        PromptAttention.requireBudget("random", budget, window);
    }

    @Override
    public String describe() {
        return SPEC.describe(this);
    }

    @Override
    public int budget(int layer, int layers, int promptLength) {
        return budget;
    }

    @Override
    public float[][] score(PrefillInput input) {
        int heads = input.kvHeads();
        float[][] scores = new float[heads][input.promptLength()];
        for (int h = 0; h < heads; h++) {
            SplittableRandom random = new SplittableRandom(seed * 1_000_003L + input.layer() * 1_009L + h);
            for (int t = 0; t < scores[h].length; t++) {
                scores[h][t] = (float) random.nextDouble();
            }
        }
        return scores;
    }
}
