package io.scopekv.policy.prefill;

import io.scopekv.policy.PrefillInput;
import io.scopekv.policy.ScoringCompressor;
import io.scopekv.policy.SpecForm;

/**
 * StreamingLLM at prefill: the first {@code sink} prompt tokens (attention sinks) and the last
 * {@code P - sink}. Classic StreamingLLM uses a handful of sinks; the reference run uses
 * {@code sink = P / 2}.
 *
 * @param budget P, tokens kept
 * @param sink   leading tokens kept
 */
public record StreamingLlmPrefill(int budget, int sink) implements ScoringCompressor {

    /** Spec name, parameters and factory. */
    public static final SpecForm<StreamingLlmPrefill> SPEC = SpecForm.<StreamingLlmPrefill>named("streamingllm")
            .required("P", StreamingLlmPrefill::budget)
            .optional("sink", 4, StreamingLlmPrefill::sink)
            .build(args -> new StreamingLlmPrefill(args.integer("P"), args.integer("sink")));

    /** Checks the components, naming the value and the rule it breaks. */
    public StreamingLlmPrefill {
        if (sink < 0 || sink > budget) {
            throw new IllegalArgumentException("streamingllm: sink tokens must be within [0, P], was sink=" + sink + ", P=" + budget);
        }
        PromptAttention.requireBudget("streamingllm", budget, 0);
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
    public int window() {
        return budget - sink;
    }

    @Override
    public float[][] score(PrefillInput input) {
        int heads = input.kvHeads();
        float[][] scores = new float[heads][input.promptLength()];
        for (float[] row : scores) {
            for (int t = 0; t < row.length; t++) {
                row[t] = -t;
            }
        }
        return scores;
    }
}
