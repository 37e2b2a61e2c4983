package io.scopekv;

import java.nio.ByteBuffer;

/**
 * Plain Java loops over the storage's direct buffers, for JVMs without the Vector API. Four
 * independent accumulators let the CPU overlap the multiply-adds; the exponential is
 * {@link FastExp}, the same approximation the vector kernel uses.
 */
final class ScalarKernel implements AttentionKernel {
    static final ScalarKernel INSTANCE = new ScalarKernel();

    private ScalarKernel() {
    }

    @Override
    public void scores(LayerStore store, LayerStore.Segment segment, int head, int slot0, int rows,
                       float[] query, int queryOff, int queries, float[] scores, int scoreOff, int stride,
                       float[] scratch) {
        int d = store.headDim;
        ByteBuffer keys = segment.keyBytes;
        for (int r = 0; r < rows; r++) {
            int k = segment.offset(head, slot0 + r, d);
            for (int g = 0; g < queries; g++) {
                int q = queryOff + g * d;
                float s0 = 0f;
                float s1 = 0f;
                float s2 = 0f;
                float s3 = 0f;
                int i = 0;
                for (; i + 3 < d; i += 4) {
                    s0 += query[q + i] * store.element(keys, k + i);
                    s1 += query[q + i + 1] * store.element(keys, k + i + 1);
                    s2 += query[q + i + 2] * store.element(keys, k + i + 2);
                    s3 += query[q + i + 3] * store.element(keys, k + i + 3);
                }
                for (; i < d; i++) {
                    s0 += query[q + i] * store.element(keys, k + i);
                }
                scores[scoreOff + g * stride + r] = (s0 + s1) + (s2 + s3);
            }
        }
    }

    @Override
    public boolean softmax(float[] x, int off, int n, int[] positions, float scale) {
        float max = Float.NEGATIVE_INFINITY;
        for (int s = 0; s < n; s++) {
            if (positions[s] >= 0) {
                float logit = x[off + s] * scale;
                if (!Float.isFinite(logit)) {
                    return false;
                }
                x[off + s] = logit;
                max = Math.max(max, logit);
            }
        }
        float sum = 0f;
        for (int s = 0; s < n; s++) {
            float e = positions[s] < 0 ? 0f : FastExp.exp(x[off + s] - max);
            x[off + s] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int s = 0; s < n; s++) {
            x[off + s] *= inv;
        }
        return true;
    }

    @Override
    public void accumulate(LayerStore store, LayerStore.Segment segment, int head, int slot0, int rows,
                           float[] probs, int probOff, int stride, int queries, float[] out, int outOff,
                           float[] scratch) {
        int d = store.headDim;
        ByteBuffer values = segment.valueBytes;
        for (int r = 0; r < rows; r++) {
            int v = segment.offset(head, slot0 + r, d);
            for (int g = 0; g < queries; g++) {
                float p = probs[probOff + g * stride + r];
                if (p == 0f) {
                    continue;
                }
                int o = outOff + g * d;
                for (int i = 0; i < d; i++) {
                    out[o + i] += p * store.element(values, v + i);
                }
            }
        }
    }
}
