package io.scopekv.policy.prefill;

import io.scopekv.policy.PrefillInput;

/** Attention of prompt queries over prompt keys under the causal mask, one query row at a time. */
final class PromptAttention {

    private PromptAttention() {
    }

    /**
     * Sums, for every key, the softmax attention it receives from the last {@code rows} prompt
     * queries of one query head. Query row r is prompt token {@code M - rows + r}; it sees keys
     * {@code 0..M - rows + r}. Only one row of logits ({@code [M]}) is held at a time, so memory
     * stays O(M) however many rows are summed.
     *
     * @return {@code [M]} accumulated attention
     */
    static float[] accumulated(PrefillInput input, int queryHead, int rows) {
        int m = input.promptLength();
        int d = input.headDim();
        int kvHead = queryHead / input.groupSize();
        float[] keys = input.keysOf(kvHead);
        float[] queries = input.queriesOf(queryHead);
        int supplied = input.queryCount();
        double scale = 1.0 / Math.sqrt(d);
        double[] logits = new double[m];
        double[] sums = new double[m];
        for (int r = 0; r < rows; r++) {
            int token = m - rows + r;
            int qOff = (supplied - rows + r) * d;
            double max = Double.NEGATIVE_INFINITY;
            for (int t = 0; t <= token; t++) {
                double dot = 0;
                int kOff = t * d;
                for (int i = 0; i < d; i++) {
                    dot += queries[qOff + i] * keys[kOff + i];
                }
                logits[t] = dot * scale;
                max = Math.max(max, logits[t]);
            }
            double total = 0;
            for (int t = 0; t <= token; t++) {
                logits[t] = Math.exp(logits[t] - max);
                total += logits[t];
            }
            for (int t = 0; t <= token; t++) {
                sums[t] += logits[t] / total;
            }
        }
        float[] out = new float[m];
        for (int t = 0; t < m; t++) {
            out[t] = (float) sums[t];
        }
        return out;
    }

    /** Max-pools {@code scores[0..length)} with an odd kernel, stride 1 and same padding. */
    static float[] maxPool(float[] scores, int length, int kernel) {
        float[] out = scores.clone();
        int half = kernel / 2;
        for (int t = 0; t < length; t++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int u = Math.max(0, t - half); u <= Math.min(length - 1, t + half); u++) {
                max = Math.max(max, scores[u]);
            }
            out[t] = max;
        }
        return out;
    }

    static void requireBudget(String name, int budget, int window) {
        if (window < 0) {
            throw new IllegalArgumentException(name + ": window w must be >= 0, was w=" + window);
        }
        if (budget < window || budget < 1) {
            throw new IllegalArgumentException(name + ": prefill budget P must be at least the window w and positive (P >= w), was P="
                    + budget + ", w=" + window);
        }
    }
}
