package io.scopekv.policy.prefill;

import io.scopekv.policy.PrefillInput;
import io.scopekv.policy.ScoringCompressor;
import io.scopekv.policy.SpecForm;

/**
 * SnapKV: the last w prompt queries (the observation window) vote for earlier tokens with their
 * attention, summed over the window and max-pooled along the sequence (kernel 7, stride 1, same
 * padding); keeps the top P - w plus the window itself.
 */
public record SnapKvPrefill(int budget, int window, int kernel) implements ScoringCompressor {

    /** Spec name, parameters and factory. */
    public static final SpecForm<SnapKvPrefill> SPEC = SpecForm.<SnapKvPrefill>named("snapkv")
            .required("P", SnapKvPrefill::budget)
            .optional("w", 8, SnapKvPrefill::window)
            .optional("kernel", 7, SnapKvPrefill::kernel)
            .build(args -> new SnapKvPrefill(args.integer("P"), args.integer("w"), args.integer("kernel")));

    /** Checks the components, naming the value and the rule it breaks. */
    public SnapKvPrefill {
        PromptAttention.requireBudget("snapkv", budget, window);
        if (window < 1) {
            throw new IllegalArgumentException("snapkv: observation window w must be >= 1, was w=" + window);
        }
        if (kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("snapkv: pooling kernel must be odd and positive, was kernel=" + kernel);
        }
    }

    /** The reference setting: kernel 7. */
    public SnapKvPrefill(int budget, int window) {
        this(budget, window, 7);
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
        return window;
    }

    @Override
    public float[][] score(PrefillInput input) {
        return windowScores(input, window, kernel);
    }

    static float[][] windowScores(PrefillInput input, int window, int kernel) {
        int heads = input.queryHeads();
        int prefix = input.promptLength() - window;
        float[][] scores = new float[heads][];
        for (int h = 0; h < heads; h++) {
            scores[h] = PromptAttention.maxPool(PromptAttention.accumulated(input, h, window), prefix, kernel);
        }
        return scores;
    }
}
