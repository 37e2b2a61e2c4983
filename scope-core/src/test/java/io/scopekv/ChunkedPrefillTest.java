package io.scopekv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Prefill from heap arrays, buffers and chunks stores what one INDArray prefill stores. */
class ChunkedPrefillTest {
    private static final CacheLayout LAYOUT = CacheLayout.of(2, 4, 2, 8);
    /** Chunk sizes summing to the prompt length; the last is short, like an engine's tail batch. */
    private static final int[] CHUNKS = {7, 7, 7, 3};

    static List<String> policies() {
        return Policies.all();
    }

    @ParameterizedTest
    @MethodSource("policies")
    void chunksWithTheirQueriesMatchOnePrefill(String spec) {
        Sequence seq = new Sequence(LAYOUT, 9);
        Snapshot whole = run(spec, seq, cache -> seq.prefill(cache, Policies.PROMPT));
        Snapshot chunked = run(spec, seq, cache -> {
            for (int l = 0; l < LAYOUT.layers(); l++) {
                int from = 0;
                for (int size : CHUNKS) {
                    cache.prefillChunk(l, rows(seq, l, from, size, 1), rows(seq, l, from, size, 2), range(from, size),
                            rows(seq, l, from, size, 3));
                    from += size;
                }
                cache.endPrefill(l);
            }
        });
        assertThat(chunked).isEqualTo(whole);
    }

    @Test
    void snapKvReadsItsWindowFromTheLastChunkOnly() {
        String spec = "prefill=snapkv(P=12,w=4,kernel=3),decoding=slide(W=10,R=4)";
        Sequence seq = new Sequence(LAYOUT, 4);
        Snapshot whole = run(spec, seq, cache -> seq.prefill(cache, Policies.PROMPT));
        Snapshot lastChunkQueries = run(spec, seq, cache -> {
            for (int l = 0; l < LAYOUT.layers(); l++) {
                cache.prefillChunk(l, rows(seq, l, 0, 20, 1), rows(seq, l, 0, 20, 2), range(0, 20), null);
                // the last chunk carries the queries of its last 4 tokens: SnapKV's observation window
                cache.prefillChunk(l, rows(seq, l, 20, 4, 1), rows(seq, l, 20, 4, 2), range(20, 4), rows(seq, l, 20, 4, 3));
                cache.endPrefill(l);
            }
        });
        assertThat(lastChunkQueries).isEqualTo(whole);
    }

    @ParameterizedTest
    @MethodSource("policies")
    void heapArraysAndBuffersMatchNdArrays(String spec) {
        Sequence seq = new Sequence(LAYOUT, 6);
        int m = Policies.PROMPT;
        Snapshot nd = run(spec, seq, cache -> seq.prefill(cache, m));
        Snapshot heap = run(spec, seq, cache -> {
            for (int l = 0; l < LAYOUT.layers(); l++) {
                cache.prefill(l, rows(seq, l, 0, m, 1), rows(seq, l, 0, m, 2), range(0, m), rows(seq, l, 0, m, 3));
            }
        });
        Snapshot buffers = run(spec, seq, cache -> {
            for (int l = 0; l < LAYOUT.layers(); l++) {
                FloatBuffer k = offsetBuffer(rows(seq, l, 0, m, 1));
                cache.prefill(l, k, offsetBuffer(rows(seq, l, 0, m, 2)), range(0, m), offsetBuffer(rows(seq, l, 0, m, 3)));
                assertThat(k.position()).as("the buffer's position does not move").isEqualTo(3);
            }
        });
        assertThat(heap).isEqualTo(nd);
        assertThat(buffers).isEqualTo(nd);
    }

    @Test
    void outOfOrderCallsAndBadChunksAreRejectedBeforeAnythingChanges() {
        Sequence seq = new Sequence(LAYOUT, 2);
        try (KvCache cache = KvCache.builder(LAYOUT).policy("prefill=h2o(P=12,w=4),decoding=slide(W=10,R=4)").build()) {
            assertThatThrownBy(() -> cache.endPrefill(0)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no chunked prefill to end");
            cache.prefillChunk(0, rows(seq, 0, 0, 10, 1), rows(seq, 0, 0, 10, 2), range(0, 10), rows(seq, 0, 0, 10, 3));
            assertThatThrownBy(() -> cache.prefillChunk(0, rows(seq, 0, 9, 5, 1), rows(seq, 0, 9, 5, 2), range(9, 5), null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positions[0]=9 must exceed the previous chunk's last position 9");
            assertThatThrownBy(() -> cache.prefillChunk(0, new float[3], rows(seq, 0, 10, 5, 2), range(10, 5), null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keys must hold [heads=2, M=5, headDim=8] = 80 floats, was 3");
            assertThatThrownBy(() -> cache.append(0, seq.key(0, 30), seq.value(0, 30), 30))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("still prefilling");
            assertThatThrownBy(() -> cache.prefill(0, rows(seq, 0, 0, 10, 1), rows(seq, 0, 0, 10, 2), range(0, 10), null))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("chunked prefill open");
            assertThatThrownBy(() -> cache.view(0)).isInstanceOf(IllegalStateException.class);
            // H2O's prefill reads every prompt query; a chunk without them leaves too few
            cache.prefillChunk(0, rows(seq, 0, 10, 14, 1), rows(seq, 0, 10, 14, 2), range(10, 14), null);
            assertThatThrownBy(() -> cache.endPrefill(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("reads the last M=24 prompt queries");
            assertThat(cache.size(0, 0)).as("nothing stored").isZero();
        }
    }

    private interface Prefill {
        void run(KvCache cache);
    }

    private static Snapshot run(String spec, Sequence seq, Prefill prefill) {
        try (KvCache cache = KvCache.builder(LAYOUT).policy(spec).build()) {
            prefill.run(cache);
            for (int step = 1; step <= 12; step++) {
                seq.step(cache, Policies.PROMPT + step - 1);
            }
            return Snapshot.of(cache);
        }
    }

    /** Row-major {@code [heads, size, headDim]} of tokens {@code from .. from + size - 1}. */
    private static float[] rows(Sequence seq, int layer, int from, int size, int kind) {
        int heads = kind == 3 ? LAYOUT.queryHeads() : LAYOUT.kvHeads();
        int d = LAYOUT.headDim();
        float[] out = new float[heads * size * d];
        for (int t = 0; t < size; t++) {
            int p = from + t;
            float[] token = kind == 1 ? seq.key(layer, p) : kind == 2 ? seq.value(layer, p) : seq.query(layer, p);
            for (int h = 0; h < heads; h++) {
                System.arraycopy(token, h * d, out, (h * size + t) * d, d);
            }
        }
        return out;
    }

    private static int[] range(int from, int size) {
        int[] p = new int[size];
        Arrays.setAll(p, i -> from + i);
        return p;
    }

    /** The floats behind three floats of padding, with the buffer's position at the first real one. */
    private static FloatBuffer offsetBuffer(float[] data) {
        FloatBuffer buffer = FloatBuffer.allocate(data.length + 3);
        buffer.position(3);
        buffer.put(data);
        buffer.position(3);
        return buffer;
    }
}
