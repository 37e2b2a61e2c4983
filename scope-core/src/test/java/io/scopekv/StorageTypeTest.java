package io.scopekv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.scopekv.policy.GqaMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What a storage type changes: bytes counted at its width, what it refuses, and finite attention. */
class StorageTypeTest {
    private static final String SLIDE = "prefill=snapkv(P=12,w=2),decoding=slide(W=6,R=2)";

    @ParameterizedTest
    @EnumSource(StorageType.class)
    void statsCountBytesAtTheStorageWidth(StorageType storage) {
        CacheLayout layout = new CacheLayout(2, 4, 2, 16, storage);
        Sequence seq = new Sequence(layout, 3);
        try (KvCache cache = KvCache.builder(CacheLayout.of(2, 4, 2, 16)).storage(storage).policy(SLIDE).build()) {
            seq.prefill(cache, 30);
            for (int p = 30; p < 40; p++) {
                seq.step(cache, p);
            }
            CacheStats stats = cache.stats();
            assertThat(stats.liveBytes()).isEqualTo(stats.totalKeptTokens() * 16 * 2 * storage.bytes());
            assertThat(stats.allocatedBytes() % (16L * 2 * storage.bytes())).isZero();
            assertThat(layout.bytesPerTokenPerLayer()).isEqualTo(2L * 16 * 2 * storage.bytes());
        }
    }

    @ParameterizedTest
    @EnumSource(StorageType.class)
    void finiteInputsWhoseScoresOverflowFloat32GiveAFiniteResult(StorageType storage) {
        CacheLayout layout = new CacheLayout(1, 8, 2, 16, storage);
        Sequence seq = new Sequence(layout, 8);
        float keyScale = storage == StorageType.F16 ? 1e3f : 1e30f;
        try (KvCache cache = KvCache.builder(layout).build()) {
            int m = 20;
            float[] flat = new float[2 * m * 16];
            for (int t = 0; t < m; t++) {
                float[] k = seq.key(0, t);
                for (int h = 0; h < 2; h++) {
                    for (int i = 0; i < 16; i++) {
                        flat[(h * m + t) * 16 + i] = k[h * 16 + i] * keyScale;
                    }
                }
            }
            int[] positions = java.util.stream.IntStream.range(0, m).toArray();
            cache.prefill(0, org.nd4j.linalg.factory.Nd4j.create(flat, new long[] {2, m, 16}, 'c'),
                    seq.promptTensor(0, m, 2), positions, null);
            float[] key = seq.key(0, m);
            for (int i = 0; i < key.length; i++) {
                key[i] *= keyScale;
            }
            cache.append(0, key, seq.value(0, m), m);
            float[] query = seq.query(0, m);
            for (int i = 0; i < query.length; i++) {
                query[i] *= storage == StorageType.F16 ? 1e36f : 1e10f;
            }
            double[] expected = ReferenceAttention.output(cache.view(0), query, layout, GqaMode.SUM);
            float[] out = new float[8 * 16];
            cache.attend(0, query, out);
            for (int i = 0; i < out.length; i++) {
                assertThat(out[i]).isFinite();
                assertThat((double) out[i]).isCloseTo(expected[i], within(1e-5 * Math.max(1, Math.abs(expected[i]))));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = StorageType.class, names = {"F16", "BF16"})
    void valuesBeyondTheRangeAreRefusedBeforeAnythingChanges(StorageType storage) {
        CacheLayout layout = new CacheLayout(1, 4, 2, 8, storage);
        Sequence seq = new Sequence(layout, 2);
        try (KvCache cache = KvCache.builder(layout).build()) {
            seq.prefill(cache, 10);
            float[] key = seq.key(0, 10);
            key[3] = storage == StorageType.F16 ? 70000f : Float.MAX_VALUE;
            assertThatThrownBy(() -> cache.append(0, key, seq.value(0, 10), 10))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("key[3]").hasMessageContaining("overflows " + storage);
            assertThat(cache.decodeSteps(0)).isZero();
            assertThat(cache.size(0, 0)).isEqualTo(10);
            assertThatThrownBy(() -> cache.view(0).keyBuffer(0)).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining(storage.name());
        }
    }
}
