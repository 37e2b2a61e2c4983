package io.scopekv.policy.prefill;

import io.scopekv.policy.PrefillInput;
import io.scopekv.policy.ScoringCompressor;
import io.scopekv.policy.SpecForm;

/**
 * H2O at prefill: each prompt token scored by the attention it receives from every prompt query
 * under the full causal mask (the reference masks only the last w x w block; we do not); keeps the
 * top P - w plus the last w. Scores are accumulated one query row at a time: no M x M array.
 */
public record H2oPrefill(int budget, int window) implements ScoringCompressor {

    /** Spec name, parameters and factory. */
    public static final SpecForm<H2oPrefill> SPEC = SpecForm.<H2oPrefill>named("h2o")
            .required("P", H2oPrefill::budget)
            .optional("w", 8, H2oPrefill::window)
            .build(args -> new H2oPrefill(args.integer("P"), args.integer("w")));

    /** Checks the components, naming the value and the rule it breaks. */
    public H2oPrefill {
        PromptAttention.requireBudget("h2o", budget, window);
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
    public int queriesNeeded() {
        return Integer.MAX_VALUE;
    }

    @Override
    public float[][] score(PrefillInput input) {
        int heads = input.queryHeads();
        float[][] scores = new float[heads][];
        for (int h = 0; h < heads; h++) {
            scores[h] = PromptAttention.accumulated(input, h, input.promptLength());
        }
        return scores;
    }
}
