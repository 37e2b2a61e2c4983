package io.scopekv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Multi-threaded attend() against one thread: bit-identical outputs and cache states. */
class ThreadCountTest {

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
}
