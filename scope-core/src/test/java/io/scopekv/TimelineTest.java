package io.scopekv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The paper-scale timelines (T = 4096, R = 256) run through a real one-head cache, against the
 * spec's formulas: Slide selects from j = W on; Adaptive from the first j with j >= B(j) on, every
 * step; Discontinuous delta steps later, then every delta + 1 steps. Steps run j = 1..T-1 (the
 * T-th generated token is never fed back).
 */
class TimelineTest {
    private static final int T = 4096;
    private static final int R = 256;
    private static final CacheLayout TINY = CacheLayout.of(1, 1, 1, 1);

    @ParameterizedTest(name = "{0} W={1}")
    @CsvSource({
        // strategy, W, first selection step, selections, final decoding budget
        "slide, 512, 512, 3584, 512",
        "slide, 1024, 1024, 3072, 1024",
        "adaptive, 512, 274, 3822, 528",
        "adaptive, 1024, 319, 3777, 1074",
        "discontinuous, 512, 289, 238, 528",
        "discontinuous, 1024, 324, 629, 1074",
    })
    void matchesTheSpecFormulas(String strategy, int w, long firstSelection, long selections, int finalBudget) {
        String decoding = strategy.equals("slide") ? "slide(W=" + w + ",R=" + R + ")"
                : strategy + "(W=" + w + ",R=" + R + ",T=" + T + ")";
        int delta = (T - R) / (w - R);
        assertThat(delta).isEqualTo(w == 512 ? 15 : 5);
        try (KvCache cache = KvCache.builder(TINY).policy("prefill=full,decoding=" + decoding + ",scorer=oldest").build()) {
            try (var k = org.nd4j.linalg.factory.Nd4j.zeros(1, 1, 1); var v = org.nd4j.linalg.factory.Nd4j.zeros(1, 1, 1)) {
                cache.prefill(0, k, v, new int[] {0}, null);
            }
            long first = -1;
            float[] one = {0f};
            for (int j = 1; j < T; j++) {
                cache.append(0, one, one, j);
                cache.advance(0);
                if (first < 0 && cache.stats().selectionSteps() == 1) {
                    first = j;
                }
            }
            CacheStats stats = cache.stats();
            assertThat(first).as("first selection step").isEqualTo(firstSelection);
            assertThat(stats.selectionSteps()).as("selections in %d steps", T - 1).isEqualTo(selections);
            int budget = Invariants.Bound.of(cache.policy().decoding(), T - 1).budget();
            assertThat(budget).as("budget at j = T - 1").isEqualTo(finalBudget);
            int decodingKept = cache.size(0, 0) - 1;
            assertThat(decodingKept).isLessThanOrEqualTo(finalBudget + (strategy.equals("discontinuous") ? delta : 0));
            assertThat(cache.keptPositions(0, 0)).startsWith(0);
        }
    }
}
