package io.scopekv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every kind of bad input throws a message naming the value and rule, and changes nothing. */
class BadInputTest {
    private static final CacheLayout LAYOUT = CacheLayout.of(2, 4, 2, 4);
    private static final String SPEC = "prefill=snapkv(P=8,w=2),decoding=slide(W=6,R=2)";
    private static final int M = 12;

    /** A cache prefilled and decoded a few steps, the operation applied, and the unchanged check. */
    private static void rejects(Class<? extends Exception> type, String message, Consumer<KvCache> operation) {
        rejects(type, message, c -> { }, operation);
    }

    /** {@code setup} runs valid calls first (e.g. an append); the snapshot is taken after it. */
    private static void rejects(Class<? extends Exception> type, String message, Consumer<KvCache> setup,
                                Consumer<KvCache> operation) {
        Sequence seq = new Sequence(LAYOUT, 9);
        try (KvCache cache = KvCache.builder(LAYOUT).policy(SPEC).build()) {
            seq.prefill(cache, M);
            for (int p = M; p < M + 10; p++) {
                seq.step(cache, p);
            }
            setup.accept(cache);
            Snapshot before = Snapshot.of(cache);
            assertThatThrownBy(() -> operation.accept(cache)).isInstanceOf(type).hasMessageContaining(message);
            assertThat(Snapshot.of(cache)).isEqualTo(before);
        }
    }

    private static final Consumer<KvCache> APPEND = c -> c.append(0, row(2, 0), row(2, 0), 100);

    private static float[] row(int heads, float fill) {
        float[] r = new float[heads * LAYOUT.headDim()];
        java.util.Arrays.fill(r, fill);
        return r;
    }

    @Test
    void layerOutOfRange() {
        rejects(IllegalArgumentException.class, "layer 2 out of range", c -> c.append(2, row(2, 0), row(2, 0), 100));
        rejects(IllegalArgumentException.class, "layer -1 out of range", c -> c.keptPositions(-1, 0));
    }

    @Test
    void wrongKeyLength() {
        rejects(IllegalArgumentException.class, "key must hold 8 floats", c -> c.append(0, row(4, 0), row(2, 0), 100));
    }

    @Test
    void wrongShapeAndRank() {
        rejects(IllegalArgumentException.class, "key must have shape [2, 4]", c -> {
            try (INDArray k = Nd4j.zeros(DataType.FLOAT, 2, 4, 1); INDArray v = Nd4j.zeros(DataType.FLOAT, 2, 4)) {
                c.append(0, k, v, 100);
            }
        });
    }

    @Test
    void dtypeMismatch() {
        rejects(IllegalArgumentException.class, "must be FLOAT", c -> {
            try (INDArray k = Nd4j.zeros(DataType.DOUBLE, 2, 4); INDArray v = Nd4j.zeros(DataType.FLOAT, 2, 4)) {
                c.append(0, k, v, 100);
            }
        });
    }

    @Test
    void nanAndInfinity() {
        float[] nan = row(2, 0);
        nan[3] = Float.NaN;
        rejects(IllegalArgumentException.class, "key must be finite, found NaN at flat index 3", c -> c.append(0, nan, row(2, 0), 100));
        float[] inf = row(2, 0);
        inf[0] = Float.POSITIVE_INFINITY;
        rejects(IllegalArgumentException.class, "value must be finite", c -> c.append(0, row(2, 0), inf, 100));
    }

    @Test
    void positionsThatRepeatOrGoBackwards() {
        rejects(IllegalArgumentException.class, "position 21 must exceed the layer's last position 21",
                c -> c.append(0, row(2, 0), row(2, 0), 21));
        rejects(IllegalArgumentException.class, "position 5 must exceed", c -> c.append(0, row(2, 0), row(2, 0), 5));
    }

    @Test
    void observeWithWrongColumnCount() {
        rejects(IllegalArgumentException.class, "probs must have shape [4, ", APPEND, c -> {
            try (INDArray probs = Nd4j.zeros(DataType.FLOAT, 4, 3)) {
                c.observe(0, probs);
            }
        });
    }

    @Test
    void observeWithNonProbabilities() {
        rejects(IllegalArgumentException.class, "is not a probability", APPEND, c -> {
            int slots = c.view(0).slots();
            float[] probs = new float[4 * slots];
            probs[slots - 1] = -0.5f;
            c.observe(0, probs, slots);
        });
    }

    @Test
    void callsOutOfOrder() {
        rejects(IllegalStateException.class, "append() the step's key and value first", c -> c.attend(0, row(4, 0), row(4, 0)));
        rejects(IllegalStateException.class, "call attend(), observe() or advance() before the next append", APPEND,
                c -> c.append(0, row(2, 0), row(2, 0), 101));
        rejects(IllegalStateException.class, "already prefilled", c -> {
            try (INDArray k = Nd4j.zeros(DataType.FLOAT, 2, 3, 4)) {
                c.prefill(0, k, k, new int[] {0, 1, 2}, null);
            }
        });
        rejects(IllegalStateException.class, "scores by attention", APPEND, c -> c.advance(0));
    }

    @Test
    void decodeBeforePrefill() {
        try (KvCache cache = KvCache.builder(LAYOUT).policy(SPEC).build()) {
            assertThatThrownBy(() -> cache.append(0, row(2, 0), row(2, 0), 0))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("layer 0 has not been prefilled");
            assertThat(cache.stats().allocatedBytes()).isZero();
        }
    }

    @Test
    void badPrefillInputChangesNothing() {
        Sequence seq = new Sequence(LAYOUT, 1);
        try (KvCache cache = KvCache.builder(LAYOUT).policy(SPEC).build();
             INDArray k = seq.promptTensor(0, M, 1);
             INDArray v = seq.promptTensor(0, M, 2);
             INDArray q = seq.promptTensor(0, M, 3)) {
            int[] backwards = Sequence.range(M);
            backwards[5] = 3;
            assertThatThrownBy(() -> cache.prefill(0, k, v, backwards, q))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strictly ascending; positions[5]=3");
            assertThatThrownBy(() -> cache.prefill(0, k, v, Sequence.range(M), null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reads the last 2 prompt queries");
            assertThatThrownBy(() -> cache.prefill(0, k, v, Sequence.range(M - 1), q))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keys must have shape [2, 11, 4]");
            try (INDArray nan = k.dup()) {
                nan.putScalar(new long[] {1, 2, 3}, Float.NaN);
                assertThatThrownBy(() -> cache.prefill(0, nan, v, Sequence.range(M), q))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keys must be finite");
            }
            assertThat(cache.stats().allocatedBytes()).isZero();
            assertThat(cache.size(0, 0)).isZero();
            cache.prefill(0, k, v, Sequence.range(M), q);
            assertThat(cache.size(0, 0)).isEqualTo(8);
        }
    }

    @Test
    void useAfterClose() {
        KvCache cache = KvCache.builder(LAYOUT).build();
        cache.close();
        assertThatThrownBy(() -> cache.size(0, 0)).isInstanceOf(IllegalStateException.class).hasMessageContaining("cache is closed");
    }
}
