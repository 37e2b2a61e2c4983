package io.scopekv.internal;

/** Plain Java loops; four independent accumulators let the CPU overlap the multiply-adds. */
final class ScalarKernel implements AttentionKernel {
    static final ScalarKernel INSTANCE = new ScalarKernel();

    private ScalarKernel() {
    }

    @Override
    public void scoreRows(float[] query, int queryOff, int queries, float[] block, int rows, int d,
                          float[] scores, int scoreOff, int scoreStride) {
        for (int g = 0; g < queries; g++) {
            int q = queryOff + g * d;
            for (int r = 0; r < rows; r++) {
                int k = r * d;
                float s0 = 0f;
                float s1 = 0f;
                float s2 = 0f;
                float s3 = 0f;
                int i = 0;
                for (; i + 3 < d; i += 4) {
                    s0 += query[q + i] * block[k + i];
                    s1 += query[q + i + 1] * block[k + i + 1];
                    s2 += query[q + i + 2] * block[k + i + 2];
                    s3 += query[q + i + 3] * block[k + i + 3];
                }
                for (; i < d; i++) {
                    s0 += query[q + i] * block[k + i];
                }
                scores[scoreOff + g * scoreStride + r] = (s0 + s1) + (s2 + s3);
            }
        }
    }

    @Override
    public void accumulateRows(float[] probs, int probOff, int probStride, int queries, float[] block, int rows, int d,
                               float[] out, int outOff) {
        for (int g = 0; g < queries; g++) {
            int o = outOff + g * d;
            for (int r = 0; r < rows; r++) {
                float p = probs[probOff + g * probStride + r];
                if (p == 0f) {
                    continue;
                }
                int v = r * d;
                for (int i = 0; i < d; i++) {
                    out[o + i] += p * block[v + i];
                }
            }
        }
    }
}
