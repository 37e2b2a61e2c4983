package io.scopekv.policy.prefill;

import io.scopekv.policy.PrefillInput;
import io.scopekv.policy.ScoringCompressor;
import io.scopekv.policy.SpecForm;

/**
 * Keeps the tokens whose keys have the smallest L2 norm (low-norm keys tend to draw high
 * attention), plus the last w. Needs no queries and no attention probabilities, so it suits
 * engines whose fused attention never materialises them.
 */
public record KeyNormPrefill(int budget, int window) implements ScoringCompressor {

    /** Spec name, parameters and factory. */
    public static final SpecForm<KeyNormPrefill> SPEC = SpecForm.<KeyNormPrefill>named("keynorm")
            .required("P", KeyNormPrefill::budget)
            .optional("w", 8, KeyNormPrefill::window)
            .build(args -> new KeyNormPrefill(args.integer("P"), args.integer("w")));

    /** Checks the components, naming the value and the rule it breaks. */
    public KeyNormPrefill {
        PromptAttention.requireBudget("keynorm", budget, window);
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
        int d = input.headDim();
        int m = input.promptLength();
        float[][] scores = new float[heads][m];
        for (int h = 0; h < heads; h++) {
            float[] keys = input.keysOf(h);
            for (int t = 0; t < m; t++) {
                double sq = 0;
                for (int i = t * d; i < (t + 1) * d; i++) {
                    sq += (double) keys[i] * keys[i];
                }
                scores[h][t] = (float) -Math.sqrt(sq);
            }
        }
        return scores;
    }
}
