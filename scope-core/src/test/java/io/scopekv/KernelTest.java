package io.scopekv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both host kernels, and the ND4J-operations path, against a double-precision reference computed from the stored (rounded) values,
 * over every storage type, head dimensions on and off the vector width, group sizes that use the
 * four-query, single-query and mixed paths, and a storage of two segments with holes.
 */
class KernelTest {

    @Test
    void testsRunWithTheVectorKernel() {
        assertThat(AttentionKernel.best()).isNotSameAs(AttentionKernel.scalar());
    }

    static java.util.stream.Stream<Arguments> shapes() {
        java.util.List<Arguments> out = new java.util.ArrayList<>();
        for (StorageType type : StorageType.values()) {
            for (int d : new int[] {1, 3, 8, 13, 16, 48, 64, 128}) {
                for (int queries : new int[] {1, 3, 4, 5, 8}) {
                    out.add(Arguments.of(type, d, queries));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} d={1} queries={2}")
    @MethodSource("shapes")
    void kernelsMatchTheDoubleReference(StorageType type, int d, int queries) {
        for (boolean nd4jOps : new boolean[] {false, true}) {
            if (!nd4jOps || queries % 4 == 1) {
                matchesTheDoubleReference(type, d, queries, nd4jOps);
            }
        }
    }

    private static void matchesTheDoubleReference(StorageType type, int d, int queries, boolean nd4jOps) {
        SplittableRandom random = new SplittableRandom(d * 31L + queries);
        int heads = 2;
        try (LayerStore store = new LayerStore(heads, d, 70, type, nd4jOps)) {
            store.grow(45);
            for (int t = 0; t < 115; t++) {
                for (int h = 0; h < heads; h++) {
                    store.put(h, fill(random, d), 0, fill(random, d), 0, t);
                }
            }
            for (int s = 3; s < 115; s += 7) {
                store.evict(1, s);
            }
            int slots = store.slots();
            float[] query = fill(random, heads * queries * d);
            Attention[] paths = nd4jOps ? new Attention[] {new Nd4jAttention(heads, queries, d, 0.3f)}
                    : new Attention[] {new AttentionDriver(heads, queries, d, 0.3f, AttentionKernel.scalar(), 1),
                        new AttentionDriver(heads, queries, d, 0.3f, AttentionKernel.best(), 1)};
            for (Attention path : paths) {
                float[] probs = new float[heads * queries * slots];
                float[] out = new float[heads * queries * d];
                path.attend(store, query, out, probs);
                for (int h = 0; h < heads; h++) {
                    for (int g = 0; g < queries; g++) {
                        int q = h * queries + g;
                        double[] p = reference(store, h, slots, query, q * d, 0.3);
                        for (int s = 0; s < slots; s++) {
                            assertThat((double) probs[q * slots + s]).as("%s p[%d][%d]", path, q, s).isCloseTo(p[s], within(2e-6));
                        }
                        double[] o = output(store, h, slots, p);
                        for (int i = 0; i < d; i++) {
                            assertThat((double) out[q * d + i]).as("%s out[%d][%d]", path, q, i)
                                    .isCloseTo(o[i], within(1e-5 * Math.max(1, Math.abs(o[i]))));
                        }
                    }
                }
            }
        }
    }

    @Test
    void overflowingScoresGiveAFiniteExactResult() {
        int d = 32;
        SplittableRandom random = new SplittableRandom(5);
        for (boolean nd4jOps : new boolean[] {false, true}) {
            overflowIsRescued(d, random, nd4jOps);
        }
    }

    private static void overflowIsRescued(int d, SplittableRandom random, boolean nd4jOps) {
        try (LayerStore store = new LayerStore(1, d, 40, StorageType.FLOAT32, nd4jOps)) {
            for (int t = 0; t < 40; t++) {
                float[] key = fill(random, d);
                for (int i = 0; i < d; i++) {
                    key[i] *= 1e30f;
                }
                store.put(0, key, 0, fill(random, d), 0, t);
            }
            float[] query = fill(random, 4 * d);
            for (int i = 0; i < query.length; i++) {
                query[i] *= 1e10f;
            }
            float scale = (float) (1 / Math.sqrt(d));
            Attention[] paths = nd4jOps ? new Attention[] {new Nd4jAttention(1, 4, d, scale)}
                    : new Attention[] {new AttentionDriver(1, 4, d, scale, AttentionKernel.scalar(), 1),
                        new AttentionDriver(1, 4, d, scale, AttentionKernel.best(), 1)};
            for (Attention path : paths) {
                float[] probs = new float[4 * 40];
                float[] out = new float[4 * d];
                path.attend(store, query, out, probs);
                for (int g = 0; g < 4; g++) {
                    double[] p = reference(store, 0, 40, query, g * d, 1 / Math.sqrt(d));
                    double[] o = output(store, 0, 40, p);
                    for (int i = 0; i < d; i++) {
                        assertThat(out[g * d + i]).isFinite();
                        assertThat((double) out[g * d + i]).isCloseTo(o[i], within(1e-5 * Math.max(1, Math.abs(o[i]))));
                    }
                }
            }
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        int d = 64;
        SplittableRandom random = new SplittableRandom(9);
        try (LayerStore store = new LayerStore(8, d, 300, StorageType.BF16, false)) {
            for (int t = 0; t < 300; t++) {
                for (int h = 0; h < 8; h++) {
                    store.put(h, fill(random, d), 0, fill(random, d), 0, t);
                }
            }
            float[] query = fill(random, 32 * d);
            float[] probs1 = new float[32 * 300];
            float[] out1 = new float[32 * d];
            new AttentionDriver(store.heads, 4, d, 0.125f, AttentionKernel.best(), 1).attend(store, query, out1, probs1);
            for (int threads : new int[] {2, 3, 8}) {
                float[] probs = new float[32 * 300];
                float[] out = new float[32 * d];
                new AttentionDriver(store.heads, 4, d, 0.125f, AttentionKernel.best(), threads).attend(store, query, out, probs);
                assertThat(out).containsExactly(out1);
                assertThat(probs).containsExactly(probs1);
            }
        }
    }

    /** Probabilities of one query over a head's slots, in double, from the stored values. */
    static double[] reference(LayerStore store, int head, int slots, float[] query, int q, double scale) {
        int d = store.headDim;
        double[] logits = new double[slots];
        double max = Double.NEGATIVE_INFINITY;
        float[] key = new float[d];
        for (int s = 0; s < slots; s++) {
            if (store.position(head, s) < 0) {
                continue;
            }
            store.read(true, head, s, key, 0);
            double dot = 0;
            for (int i = 0; i < d; i++) {
                dot += (double) query[q + i] * key[i];
            }
            logits[s] = dot * scale;
            max = Math.max(max, logits[s]);
        }
        double sum = 0;
        for (int s = 0; s < slots; s++) {
            logits[s] = store.position(head, s) < 0 ? 0 : Math.exp(logits[s] - max);
            sum += logits[s];
        }
        for (int s = 0; s < slots; s++) {
            logits[s] /= sum;
        }
        return logits;
    }

    static double[] output(LayerStore store, int head, int slots, double[] p) {
        int d = store.headDim;
        double[] out = new double[d];
        float[] value = new float[d];
        for (int s = 0; s < slots; s++) {
            if (p[s] == 0) {
                continue;
            }
            store.read(false, head, s, value, 0);
            for (int i = 0; i < d; i++) {
                out[i] += p[s] * value[i];
            }
        }
        return out;
    }

    static float[] fill(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
