package io.scopekv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The same assertions over every registered policy, on a GQA layout. */
class KvCacheContractTest {
    private static final CacheLayout LAYOUT = CacheLayout.of(2, 4, 2, 8);

    static List<String> policies() {
        return Policies.all();
    }

    /**
     * Every policy on float32 host storage; each 16-bit storage type, and the ND4J-operations
     * backend, under a sample of policies.
     */
    static List<Arguments> storages() {
        List<Arguments> out = new ArrayList<>();
        List<String> all = Policies.all();
        for (int i = 0; i < all.size(); i++) {
            out.add(Arguments.of(all.get(i), StorageType.FLOAT32, Backend.HOST));
            if (i % 3 == 0) {
                out.add(Arguments.of(all.get(i), StorageType.BF16, Backend.HOST));
                out.add(Arguments.of(all.get(i), StorageType.F16, Backend.HOST));
            }
            // ND4J operations cost far more per step on the CPU: a few policies cover the path
            if (i % 9 == 1) {
                out.add(Arguments.of(all.get(i), i % 2 == 0 ? StorageType.FLOAT32 : StorageType.BF16, Backend.ND4J));
            }
        }
        return out;
    }

    static List<Arguments> hostStorages() {
        return storages().stream().filter(a -> a.get()[2] == Backend.HOST).toList();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("storages")
    void invariantsHoldAfterEveryStep(String spec, StorageType storage, Backend backend) {
        CacheLayout layout = new CacheLayout(2, 4, 2, 8, storage);
        Sequence seq = new Sequence(layout, 11);
        try (KvCache cache = KvCache.builder(LAYOUT).storage(storage).backend(backend).policy(spec).build()) {
            assertThat(cache.layout()).isEqualTo(layout);
            seq.prefill(cache, Policies.PROMPT);
            int[][][] prefillSets = Invariants.prefillSets(cache);
            int budget0 = cache.policy().prefill().budget(0, LAYOUT.layers(), Policies.PROMPT);
            assertThat(prefillSets[0][0]).hasSize(Math.min(Policies.PROMPT, budget0));
            Invariants.check(cache, seq, Policies.PROMPT, prefillSets);
            for (int step = 1; step <= Policies.STEPS; step++) {
                seq.step(cache, Policies.PROMPT + step - 1);
                Invariants.check(cache, seq, Policies.PROMPT, prefillSets);
            }
            assertThat(cache.stats().decodeSteps()).isEqualTo(Policies.STEPS);
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("hostStorages")
    void deterministic(String spec, StorageType storage, Backend backend) {
        assertThat(run(spec, storage, backend)).isEqualTo(run(spec, storage, backend));
    }

    @ParameterizedTest
    @MethodSource("policies")
    void observeWithTheSameProbabilitiesMatchesAttend(String spec) {
        Sequence seq = new Sequence(LAYOUT, 5);
        try (KvCache viaAttend = KvCache.builder(LAYOUT).policy(spec).build();
             KvCache viaObserve = KvCache.builder(LAYOUT).policy(spec).build()) {
            seq.prefill(viaAttend, Policies.PROMPT);
            seq.prefill(viaObserve, Policies.PROMPT);
            for (int step = 1; step <= Policies.STEPS; step++) {
                int position = Policies.PROMPT + step - 1;
                for (int l = 0; l < LAYOUT.layers(); l++) {
                    float[] out = new float[LAYOUT.queryHeads() * LAYOUT.headDim()];
                    viaAttend.append(l, seq.key(l, position), seq.value(l, position), position);
                    viaObserve.append(l, seq.key(l, position), seq.value(l, position), position);
                    float[] probs = ReferenceAttention.probabilities(viaObserve.view(l), seq.query(l, position),
                            LAYOUT, viaObserve.policy().gqa());
                    viaAttend.attend(l, seq.query(l, position), out);
                    viaObserve.observe(l, probs, viaObserve.view(l).slots());
                }
            }
            assertThat(Snapshot.of(viaObserve).positions()).isEqualTo(Snapshot.of(viaAttend).positions());
        }
    }

    @ParameterizedTest
    @MethodSource("policies")
    void closeReleasesAndRejectsFurtherUse(String spec) {
        Sequence seq = new Sequence(LAYOUT, 2);
        KvCache cache = KvCache.builder(LAYOUT).policy(spec).build();
        seq.prefill(cache, Policies.PROMPT);
        cache.close();
        cache.close();
        assertThatThrownBy(cache::stats).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> cache.append(0, seq.key(0, 30), seq.value(0, 30), 30))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> cache.view(0)).isInstanceOf(IllegalStateException.class);
    }

    private static Snapshot run(String spec, StorageType storage, Backend backend) {
        Sequence seq = new Sequence(LAYOUT, 3);
        try (KvCache cache = KvCache.builder(LAYOUT).storage(storage).backend(backend).policy(spec).build()) {
            seq.prefill(cache, Policies.PROMPT);
            for (int step = 1; step <= Policies.STEPS; step++) {
                seq.step(cache, Policies.PROMPT + step - 1);
            }
            return Snapshot.of(cache);
        }
    }
}
