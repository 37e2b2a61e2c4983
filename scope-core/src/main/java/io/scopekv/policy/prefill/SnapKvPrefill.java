package io.scopekv.policy.prefill;

import io.scopekv.policy.PrefillInput;
import io.scopekv.policy.ScoringCompressor;

/**
 * SnapKV: the last w prompt queries (the observation window) vote for earlier tokens with their
 * attention, summed over the window and max-pooled along the sequence (kernel 7, stride 1, same
 * padding); keeps the top P - w plus the window itself.
 */
public record SnapKvPrefill(int budget, int window, int kernel) implements ScoringCompressor {

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
        return "snapkv(P=" + budget + ",w=" + window + ",kernel=" + kernel + ")";
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
        int heads = input.layout().queryHeads();
        int prefix = input.promptLength() - window;
        float[][] scores = new float[heads][];
        for (int h = 0; h < heads; h++) {
            scores[h] = PromptAttention.maxPool(PromptAttention.accumulated(input, h, window), prefix, kernel);
        }
        return scores;
    }
}
