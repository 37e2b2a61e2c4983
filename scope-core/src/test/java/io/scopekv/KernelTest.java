package io.scopekv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.scopekv.internal.AttentionKernel;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Vector API kernel against the scalar one, and multi-threaded attend() against one thread. */
class KernelTest {

    @Test
    void testsRunWithTheVectorKernel() {
        assertThat(AttentionKernel.best()).isNotSameAs(AttentionKernel.scalar());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 8, 13, 64, 128})
    void vectorMatchesScalar(int d) {
        SplittableRandom random = new SplittableRandom(d);
        int queries = 4;
        int rows = 37;
        float[] query = fill(random, queries * d);
        float[] block = fill(random, rows * d);
        float[] probs = fill(random, queries * rows);
        float[] scalarScores = new float[queries * rows];
        float[] vectorScores = new float[queries * rows];
        AttentionKernel.scalar().scoreRows(query, 0, queries, block, rows, d, scalarScores, 0, rows);
        AttentionKernel.best().scoreRows(query, 0, queries, block, rows, d, vectorScores, 0, rows);
        for (int i = 0; i < scalarScores.length; i++) {
            assertThat(vectorScores[i]).isCloseTo(scalarScores[i], within(1e-4f * (1 + Math.abs(scalarScores[i]))));
        }
        float[] scalarOut = new float[queries * d];
        float[] vectorOut = new float[queries * d];
        AttentionKernel.scalar().accumulateRows(probs, 0, rows, queries, block, rows, d, scalarOut, 0);
        AttentionKernel.best().accumulateRows(probs, 0, rows, queries, block, rows, d, vectorOut, 0);
        for (int i = 0; i < scalarOut.length; i++) {
            assertThat(vectorOut[i]).isCloseTo(scalarOut[i], within(1e-4f * (1 + Math.abs(scalarOut[i]))));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 8})
    void multiThreadedAttendEqualsSingleThreaded(int threads) {
        CacheLayout layout = CacheLayout.of(2, 16, 8, 32);
        Sequence seq = new Sequence(layout, 8);
        String spec = "prefill=snapkv(P=40,w=4),decoding=slide(W=20,R=4)";
        try (KvCache one = KvCache.builder(layout).policy(spec).build();
             KvCache many = KvCache.builder(layout).policy(spec).attentionThreads(threads).build()) {
            seq.prefill(one, 60);
            seq.prefill(many, 60);
            for (int p = 60; p < 100; p++) {
                assertThat(seq.step(many, p)).containsExactly(seq.step(one, p));
            }
            assertThat(Snapshot.of(many)).isEqualTo(Snapshot.of(one));
        }
    }

    private static float[] fill(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
