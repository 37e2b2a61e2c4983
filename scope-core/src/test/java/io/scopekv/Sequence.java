package io.scopekv;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A seeded random token stream for tests: every token's key, value and query derive from
 * (seed, position) alone, so any test can recompute what was appended at a position.
 */
final class Sequence {
    final CacheLayout layout;
    final long seed;

    Sequence(CacheLayout layout, long seed) {
        this.layout = layout;
        this.seed = seed;
    }

    float[] key(int layer, int position) {
        return vector(layer, position, 1, layout.kvHeads());
    }

    float[] value(int layer, int position) {
        return vector(layer, position, 2, layout.kvHeads());
    }

    float[] query(int layer, int position) {
        return vector(layer, position, 3, layout.queryHeads());
    }

    private float[] vector(int layer, int position, int kind, int heads) {
        SplittableRandom random = new SplittableRandom(seed * 7919 + layer * 104_729L + position * 31L + kind);
        float[] v = new float[heads * layout.headDim()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextGaussian() * 1.5);
        }
        return v;
    }

    /** {@code [heads, M, headDim]} built from per-position vectors. */
    INDArray promptTensor(int layer, int m, int kind) {
        int heads = kind == 3 ? layout.queryHeads() : layout.kvHeads();
        int d = layout.headDim();
        float[] flat = new float[heads * m * d];
        for (int t = 0; t < m; t++) {
            float[] v = vector(layer, t, kind, heads);
            for (int h = 0; h < heads; h++) {
                System.arraycopy(v, h * d, flat, (h * m + t) * d, d);
            }
        }
        return Nd4j.create(flat, new long[] {heads, m, d}, 'c');
    }

    static int[] range(int m) {
        int[] p = new int[m];
        for (int i = 0; i < m; i++) {
            p[i] = i;
        }
        return p;
    }

    /** Prefills every layer with positions 0..M-1 and all M prompt queries. */
    void prefill(KvCache cache, int m) {
        for (int l = 0; l < layout.layers(); l++) {
            try (INDArray k = promptTensor(l, m, 1); INDArray v = promptTensor(l, m, 2); INDArray q = promptTensor(l, m, 3)) {
                cache.prefill(l, k, v, range(m), q);
            }
        }
    }

    /** One decode step at {@code position} on every layer through attend(); returns layer 0's output. */
    float[] step(KvCache cache, int position) {
        float[] out0 = null;
        for (int l = 0; l < layout.layers(); l++) {
            float[] out = new float[layout.queryHeads() * layout.headDim()];
            cache.append(l, key(l, position), value(l, position), position);
            cache.attend(l, query(l, position), out);
            if (l == 0) {
                out0 = out;
            }
        }
        return out0;
    }
}
