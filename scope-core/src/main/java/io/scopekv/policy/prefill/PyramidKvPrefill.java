package io.scopekv.policy.prefill;

import io.scopekv.policy.PrefillInput;
import io.scopekv.policy.ScoringCompressor;
import io.scopekv.policy.SpecForm;

/**
 * PyramidKV: SnapKV scoring with per-layer budgets falling linearly with depth. With
 * {@code min = (P - w) / beta} and {@code max = 2 (P - w) - min}, layer l keeps
 * {@code max - l (max - min) / (L - 1)} plus the window (integer arithmetic; the reference divides
 * by L instead of L - 1, which never reaches min). The average over layers is P.
 */
public record PyramidKvPrefill(int budget, int window, int beta, int kernel) implements ScoringCompressor {

    /** Spec name, parameters and factory. */
    public static final SpecForm<PyramidKvPrefill> SPEC = SpecForm.<PyramidKvPrefill>named("pyramidkv")
            .required("P", PyramidKvPrefill::budget)
            .optional("w", 8, PyramidKvPrefill::window)
            .optional("beta", 20, PyramidKvPrefill::beta)
            .optional("kernel", 7, PyramidKvPrefill::kernel)
            .build(args -> new PyramidKvPrefill(args.integer("P"), args.integer("w"), args.integer("beta"), args.integer("kernel")));

    /** Checks the components, naming the value and the rule it breaks. */
    public PyramidKvPrefill {
        PromptAttention.requireBudget("pyramidkv", budget, window);
        if (window < 1) {
            throw new IllegalArgumentException("pyramidkv: observation window w must be >= 1, was w=" + window);
        }
        if (beta < 1) {
            throw new IllegalArgumentException("pyramidkv: beta must be >= 1, was beta=" + beta);
        }
        if (kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("pyramidkv: pooling kernel must be odd and positive, was kernel=" + kernel);
        }
    }

    /** The reference setting: beta 20, kernel 7. */
    public PyramidKvPrefill(int budget, int window) {
        this(budget, window, 20, 7);
    }

    @Override
    public String describe() {
        return SPEC.describe(this);
    }

    @Override
    public int budget(int layer, int layers, int promptLength) {
        int spare = budget - window;
        if (layers == 1) {
            return budget;
        }
        int min = spare / beta;
        int max = 2 * spare - min;
        return max - (int) ((long) layer * (max - min) / (layers - 1)) + window;
    }

    @Override
    public int queriesNeeded() {
        return window;
    }

    @Override
    public float[][] score(PrefillInput input) {
        return SnapKvPrefill.windowScores(input, window, kernel);
    }
}
