package io.scopekv.bench.jmh;

import io.scopekv.CacheLayout;
import io.scopekv.KvCache;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded random prompts and tokens for the benchmarks. */
final class RandomTensors {
    private final SplittableRandom random;

    RandomTensors(long seed) {
        random = new SplittableRandom(seed);
    }

    float[] vector(int length) {
        float[] v = new float[length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    /** Prefills every layer with M random prompt tokens at positions 0..M-1 (no queries). */
    void prefill(KvCache cache, int m) {
        CacheLayout layout = cache.layout();
        int[] positions = new int[m];
        for (int t = 0; t < m; t++) {
            positions[t] = t;
        }
        long[] shape = {layout.kvHeads(), m, layout.headDim()};
        for (int l = 0; l < layout.layers(); l++) {
            try (INDArray k = Nd4j.create(vector(layout.kvHeads() * m * layout.headDim()), shape, 'c');
                 INDArray v = Nd4j.create(vector(layout.kvHeads() * m * layout.headDim()), shape, 'c')) {
                cache.prefill(l, k, v, positions, null);
            }
        }
    }
}
