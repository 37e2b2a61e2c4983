package io.scopekv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Configurations that must behave identically. */
class IdentitiesTest {
    private static final CacheLayout GQA = CacheLayout.of(2, 4, 2, 4);
    private static final CacheLayout MHA = CacheLayout.of(2, 4, 4, 4);

    private static Snapshot run(CacheLayout layout, String spec, int prompt, int steps) {
        Sequence seq = new Sequence(layout, 17);
        try (KvCache cache = KvCache.builder(layout).policy(spec).build()) {
            seq.prefill(cache, prompt);
            for (int p = prompt; p < prompt + steps; p++) {
                seq.step(cache, p);
            }
            Snapshot s = Snapshot.of(cache);
            return new Snapshot(s.positions(), s.keys(), s.values(), cache.stats());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {60, 61, 100})
    void slideWithBudgetAtLeastTEqualsNone(int window) {
        // T = 60 new tokens means 59 decode steps: n_d never reaches W >= T
        assertThat(run(GQA, "prefill=snapkv(P=10,w=2),decoding=slide(W=" + window + ",R=4)", 20, 59).positions())
                .isEqualTo(run(GQA, "prefill=snapkv(P=10,w=2),decoding=none", 20, 59).positions());
    }

    @ParameterizedTest
    @ValueSource(ints = {20, 21, 64})
    void streamingPrefillWithBudgetAtLeastMEqualsFull(int budget) {
        assertThat(run(GQA, "prefill=streamingllm(P=" + budget + ",sink=4),decoding=slide(W=8,R=2)", 20, 30).positions())
                .isEqualTo(run(GQA, "prefill=full,decoding=slide(W=8,R=2)", 20, 30).positions());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "prefill=snapkv(P=10,w=2),decoding=slide(W=8,R=2)",
        "prefill=h2o(P=10,w=2),decoding=h2o(W=8,R=2)",
        "prefill=pyramidkv(P=10,w=2),decoding=discontinuous(W=8,R=2,T=40)",
    })
    void replicateEqualsSumOnMha(String spec) {
        Snapshot sum = run(MHA, spec, 20, 39);
        Snapshot replicate = run(MHA, spec + ",gqa=replicate", 20, 39);
        assertThat(replicate.positions()).isEqualTo(sum.positions());
        assertThat(replicate.stats()).isEqualTo(sum.stats());
    }

    @Test
    void replicateCostsGroupSizeTimesTheMemory() {
        Snapshot sum = run(GQA, "prefill=full,decoding=slide(W=8,R=2)", 20, 30);
        Snapshot replicate = run(GQA, "prefill=full,decoding=slide(W=8,R=2),gqa=replicate", 20, 30);
        assertThat(replicate.stats().liveBytes()).isEqualTo(2 * sum.stats().liveBytes());
    }
}
