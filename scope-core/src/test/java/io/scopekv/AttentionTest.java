package io.scopekv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.scopekv.policy.GqaMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** attend() against a plain double-precision reference, on MHA, GQA and MQA, with evictions. */
class AttentionTest {

    /** ND4J operations cost far more per step on the CPU, so its rows run fewer steps. */
    @ParameterizedTest(name = "{0} qHeads={1} kvHeads={2} {3} {4}")
    @CsvSource({
        "prefill=full, 4, 4, FLOAT32, HOST",
        "prefill=full, 8, 2, FLOAT32, HOST",
        "prefill=full, 4, 1, FLOAT32, HOST",
        "'prefill=snapkv(P=20,w=4),decoding=slide(W=12,R=4)', 8, 2, FLOAT32, HOST",
        "'prefill=snapkv(P=20,w=4),decoding=discontinuous(W=12,R=4,T=60)', 8, 2, FLOAT32, HOST",
        "'prefill=h2o(P=20,w=4),decoding=h2o(W=12,R=4),gqa=replicate', 8, 2, FLOAT32, HOST",
        "prefill=full, 8, 2, BF16, HOST",
        "'prefill=snapkv(P=20,w=4),decoding=slide(W=12,R=4)', 8, 2, BF16, HOST",
        "prefill=full, 4, 1, F16, HOST",
        "'prefill=h2o(P=20,w=4),decoding=h2o(W=12,R=4),gqa=replicate', 8, 2, F16, HOST",
        "'prefill=snapkv(P=20,w=4),decoding=discontinuous(W=12,R=4,T=60)', 8, 2, FLOAT32, ND4J",
        "'prefill=h2o(P=20,w=4),decoding=h2o(W=12,R=4),gqa=replicate', 8, 2, BF16, ND4J",
        "prefill=full, 4, 1, F16, ND4J",
    })
    void matchesReferenceWithin1e5(String spec, int queryHeads, int kvHeads, StorageType storage, Backend backend) {
        CacheLayout layout = new CacheLayout(2, queryHeads, kvHeads, 16, storage);
        Sequence seq = new Sequence(layout, 21);
        int m = 40;
        double worst = 0;
        try (KvCache cache = KvCache.builder(layout).backend(backend).policy(spec).build()) {
            seq.prefill(cache, m);
            GqaMode gqa = cache.policy().gqa();
            int steps = backend == Backend.ND4J ? 12 : 60;
            for (int p = m; p < m + steps; p++) {
                for (int l = 0; l < layout.layers(); l++) {
                    cache.append(l, seq.key(l, p), seq.value(l, p), p);
                    double[] expected = ReferenceAttention.output(cache.view(l), seq.query(l, p), layout, gqa);
                    float[] actual = new float[expected.length];
                    cache.attend(l, seq.query(l, p), actual);
                    for (int i = 0; i < expected.length; i++) {
                        assertThat((double) actual[i]).isCloseTo(expected[i], within(1e-5 * Math.max(1, Math.abs(expected[i]))));
                        worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
                    }
                }
            }
        }
        assertThat(worst).isLessThan(1e-5);
    }

    @ParameterizedTest
    @CsvSource({"8, 2"})
    void ndArrayPathMatchesFloatPath(int queryHeads, int kvHeads) {
        CacheLayout layout = CacheLayout.of(1, queryHeads, kvHeads, 8);
        Sequence seq = new Sequence(layout, 4);
        String spec = "prefill=snapkv(P=10,w=2),decoding=slide(W=6,R=2)";
        try (KvCache a = KvCache.builder(layout).policy(spec).build();
             KvCache b = KvCache.builder(layout).policy(spec).build();
             INDArray out = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, queryHeads, 8)) {
            seq.prefill(a, 16);
            seq.prefill(b, 16);
            for (int p = 16; p < 40; p++) {
                float[] expected = new float[queryHeads * 8];
                a.append(0, seq.key(0, p), seq.value(0, p), p);
                a.attend(0, seq.query(0, p), expected);
                try (INDArray k = Nd4j.create(seq.key(0, p), new long[] {kvHeads, 8}, 'c');
                     INDArray v = Nd4j.create(seq.value(0, p), new long[] {kvHeads, 8}, 'c');
                     INDArray q = Nd4j.create(seq.query(0, p), new long[] {queryHeads, 8}, 'c')) {
                    b.append(0, k, v, p);
                    b.attend(0, q, out);
                }
                assertThat(out.data().asFloat()).containsExactly(expected);
            }
            assertThat(Snapshot.of(b)).isEqualTo(Snapshot.of(a));
        }
    }
}
