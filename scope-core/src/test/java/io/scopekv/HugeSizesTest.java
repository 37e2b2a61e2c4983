package io.scopekv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Sizes that would overflow an int, or allocate more than any sequence needs, get a message or cost nothing. */
class HugeSizesTest {

    @Test
    void aLayoutWhoseTokenRowOverflowsIsRefusedNamingTheValueAndTheLimit() {
        assertThatThrownBy(() -> CacheLayout.of(1_000_000, 1_000_000, 1_000_000, 1_000_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("queryHeads x headDim = 1000000 x 1000000 = 1000000000000 exceeds the limit of 16777216 "
                        + "elements per token row");
        assertThat(CacheLayout.of(1, 128, 8, 128).headDim()).isEqualTo(128);
    }

    @Test
    void aBudgetLargerThanAnySequenceAllocatesWhatTheSequenceUses() {
        CacheLayout layout = CacheLayout.of(1, 2, 1, 4);
        Sequence seq = new Sequence(layout, 3);
        for (String spec : new String[] {"decoding=slide(W=2147483647,R=16)", "decoding=h2o(W=2147483647,R=2147483646)"}) {
            try (KvCache cache = KvCache.builder(layout).policy(spec).build()) {
                seq.prefill(cache, 8);
                for (int p = 8; p < 40; p++) {
                    seq.step(cache, p);
                }
                assertThat(cache.keptPositions(0, 0)).as(spec).hasSize(40);
                assertThat(cache.stats().peakAllocatedBytes()).as(spec)
                        .isLessThanOrEqualTo(2L * (8 + 4096 + 1) * 4 * Float.BYTES);
            }
        }
    }

    @Test
    void aRecentWindowBeyondTheFirstRingGrowsAndStillProtectsTheNewestTokens() {
        CacheLayout layout = CacheLayout.of(1, 2, 1, 4);
        Sequence seq = new Sequence(layout, 5);
        try (KvCache cache = KvCache.builder(layout).policy("decoding=slide(W=1500,R=1300)").build()) {
            seq.prefill(cache, 4);
            for (int p = 4; p < 4 + 1600; p++) {
                seq.step(cache, p);
            }
            int[] kept = cache.keptPositions(0, 0);
            assertThat(kept).hasSize(4 + 1500);
            // the 1,300 newest decoding tokens are always kept
            for (int p = 4 + 1600 - 1300; p < 4 + 1600; p++) {
                assertThat(kept).contains(p);
            }
        }
    }
}
