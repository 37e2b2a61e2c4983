package io.scopekv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random operation sequences over every registered policy and random layouts: after every step
 * each kept slot holds exactly what was appended at its position, positions are unique and
 * ascending, the prefill set is untouched under SCOPE, the R most recent tokens stay, budgets
 * hold, and the stats equal a recount.
 */
class CachePropertiesTest {

    @Provide
    Arbitrary<String> policy() {
        return Arbitraries.of(Policies.all());
    }

    @Provide
    Arbitrary<CacheLayout> layout() {
        return Arbitraries.of(List.of(CacheLayout.of(1, 2, 2, 4), CacheLayout.of(2, 4, 2, 3), CacheLayout.of(1, 6, 1, 5),
                CacheLayout.of(3, 8, 4, 2)));
    }

    @Property(tries = 60)
    void invariantsHoldOverRandomRuns(@ForAll("policy") String spec, @ForAll("layout") CacheLayout layout,
                                      @ForAll @IntRange(min = 1, max = 40) int prompt,
                                      @ForAll @IntRange(min = 0, max = 60) int steps,
                                      @ForAll @IntRange(min = 0, max = 20) int positionGap,
                                      @ForAll long seed) {
        Sequence seq = new Sequence(layout, seed);
        try (KvCache cache = KvCache.builder(layout).policy(spec).build()) {
            seq.prefill(cache, prompt);
            int[][][] prefillSets = Invariants.prefillSets(cache);
            Invariants.check(cache, seq, prompt, prefillSets);
            // a gap in positions (e.g. tokens the engine skipped) must not matter: positions are absolute
            int position = prompt + positionGap;
            for (int step = 1; step <= steps; step++) {
                seq.step(cache, position);
                position++;
            }
            if (positionGap == 0) {
                Invariants.check(cache, seq, prompt, prefillSets);
            }
            CacheStats stats = cache.stats();
            assertThat(stats.decodeSteps()).isEqualTo(steps);
            assertThat(stats.tokensEvicted() + stats.totalKeptTokens())
                    .as("every token ever stored is either kept or evicted")
                    .isEqualTo(sumPrefillKept(prefillSets) + (long) steps * layout.layers() * cache.view(0).heads());
        }
    }

    private static long sumPrefillKept(int[][][] sets) {
        long n = 0;
        for (int[][] layer : sets) {
            for (int[] head : layer) {
                n += head.length;
            }
        }
        return n;
    }
}
