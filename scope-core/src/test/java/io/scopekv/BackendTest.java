package io.scopekv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Choosing the storage path: AUTO on the CPU backend, the system property, and HOST against ND4J agreeing. */
class BackendTest {
    private static final CacheLayout LAYOUT = CacheLayout.of(1, 8, 2, 32);
    private static final String SLIDE = "prefill=snapkv(P=12,w=2),decoding=slide(W=6,R=2)";

    @Test
    void autoIsHostOnTheCpuBackendAndThePropertyOverridesIt() {
        assertThat(KvCacheBuilder.resolve(Backend.AUTO)).isEqualTo(Backend.HOST);
        assertThat(KvCacheBuilder.resolve(Backend.ND4J)).isEqualTo(Backend.ND4J);
        String before = System.getProperty(Backend.PROPERTY);
        try {
            System.setProperty(Backend.PROPERTY, "nd4j");
            assertThat(KvCacheBuilder.resolve(Backend.AUTO)).isEqualTo(Backend.ND4J);
            assertThat(KvCacheBuilder.resolve(Backend.HOST)).as("an explicit choice wins").isEqualTo(Backend.HOST);
            System.setProperty(Backend.PROPERTY, "gpu");
            assertThatThrownBy(() -> KvCacheBuilder.resolve(Backend.AUTO)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(Backend.PROPERTY + "=gpu").hasMessageContaining("host or nd4j");
        } finally {
            if (before == null) {
                System.clearProperty(Backend.PROPERTY);
            } else {
                System.setProperty(Backend.PROPERTY, before);
            }
        }
    }

    @Test
    void bothPathsGiveTheSameOutputsAndKeepTheSameTokens() {
        Sequence seq = new Sequence(LAYOUT, 6);
        try (KvCache host = KvCache.builder(LAYOUT).backend(Backend.HOST).policy(SLIDE).build();
             KvCache nd4j = KvCache.builder(LAYOUT).backend(Backend.ND4J).policy(SLIDE).build()) {
            seq.prefill(host, 30);
            seq.prefill(nd4j, 30);
            for (int p = 30; p < 40; p++) {
                float[] a = seq.step(host, p);
                float[] b = seq.step(nd4j, p);
                for (int i = 0; i < a.length; i++) {
                    assertThat(b[i]).isCloseTo(a[i], within(1e-5f * Math.max(1, Math.abs(a[i]))));
                }
            }
            assertThat(Snapshot.of(nd4j).positions()).isEqualTo(Snapshot.of(host).positions());
            assertThatThrownBy(() -> nd4j.view(0).keyBuffer(0)).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("ND4J");
        }
    }
}
