package io.scopekv;

import io.scopekv.policy.GqaMode;

/** Plain double-precision scaled dot-product attention over a view, as an independent oracle. */
final class ReferenceAttention {

    private ReferenceAttention() {
    }

    /** {@code [queryHeads, slots]} probabilities, row-major; empty slots get 0. */
    static float[] probabilities(LayerView view, float[] query, CacheLayout layout, GqaMode gqa) {
        double[][] p = compute(view, query, layout, gqa);
        float[] out = new float[layout.queryHeads() * view.slots()];
        for (int q = 0; q < p.length; q++) {
            for (int s = 0; s < view.slots(); s++) {
                out[q * view.slots() + s] = (float) p[q][s];
            }
        }
        return out;
    }

    /** {@code [queryHeads * headDim]} attention output. */
    static double[] output(LayerView view, float[] query, CacheLayout layout, GqaMode gqa) {
        double[][] p = compute(view, query, layout, gqa);
        int d = layout.headDim();
        double[] out = new double[layout.queryHeads() * d];
        float[] v = new float[d];
        for (int q = 0; q < layout.queryHeads(); q++) {
            int head = storageHead(q, layout, gqa);
            for (int s = 0; s < view.slots(); s++) {
                if (p[q][s] == 0) {
                    continue;
                }
                view.value(head, s, v, 0);
                for (int i = 0; i < d; i++) {
                    out[q * d + i] += p[q][s] * v[i];
                }
            }
        }
        return out;
    }

    private static int storageHead(int queryHead, CacheLayout layout, GqaMode gqa) {
        return gqa == GqaMode.REPLICATE ? queryHead : queryHead / layout.groupSize();
    }

    private static double[][] compute(LayerView view, float[] query, CacheLayout layout, GqaMode gqa) {
        int d = layout.headDim();
        double scale = 1.0 / Math.sqrt(d);
        double[][] p = new double[layout.queryHeads()][view.slots()];
        float[] k = new float[d];
        for (int q = 0; q < layout.queryHeads(); q++) {
            int head = storageHead(q, layout, gqa);
            if (view.storageHead(q) != head) {
                throw new AssertionError("view maps query head " + q + " to " + view.storageHead(q) + ", expected " + head);
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int s = 0; s < view.slots(); s++) {
                if (view.position(head, s) < 0) {
                    p[q][s] = Double.NEGATIVE_INFINITY;
                    continue;
                }
                view.key(head, s, k, 0);
                double dot = 0;
                for (int i = 0; i < d; i++) {
                    dot += (double) query[q * d + i] * k[i];
                }
                p[q][s] = dot * scale;
                max = Math.max(max, p[q][s]);
            }
            double sum = 0;
            for (int s = 0; s < view.slots(); s++) {
                p[q][s] = p[q][s] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(p[q][s] - max);
                sum += p[q][s];
            }
            for (int s = 0; s < view.slots(); s++) {
                p[q][s] /= sum;
            }
        }
        return p;
    }
}
