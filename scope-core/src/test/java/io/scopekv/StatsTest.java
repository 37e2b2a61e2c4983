package io.scopekv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The memory formula, exactly: layers x heads x tokens x headDim x 2 x bytes per value. */
class StatsTest {

    @Test
    void liveAndAllocatedBytesFollowTheFormula() {
        CacheLayout layout = CacheLayout.of(3, 8, 2, 16);
        Sequence seq = new Sequence(layout, 3);
        try (KvCache cache = KvCache.builder(layout).policy("prefill=snapkv(P=20,w=4),decoding=slide(W=10,R=4)").build()) {
            seq.prefill(cache, 50);
            CacheStats afterPrefill = cache.stats();
            assertThat(afterPrefill.liveBytes()).isEqualTo(3L * 2 * 20 * 16 * 2 * 4);
            // Slide preallocates the prefill set plus W + 1 decoding slots and never grows
            assertThat(afterPrefill.allocatedBytes()).isEqualTo(3L * 2 * (20 + 11) * 16 * 2 * 4);
            for (int p = 50; p < 120; p++) {
                seq.step(cache, p);
            }
            CacheStats stats = cache.stats();
            assertThat(stats.liveBytes()).isEqualTo(3L * 2 * (20 + 10) * 16 * 2 * 4);
            // layers step one after another, so at most one layer holds its extra W + 1-th token at a time
            assertThat(stats.peakLiveBytes()).isEqualTo(3L * 2 * (20 + 10) * 16 * 2 * 4 + 2L * 16 * 2 * 4);
            assertThat(stats.allocatedBytes()).isEqualTo(afterPrefill.allocatedBytes()).isEqualTo(stats.peakAllocatedBytes());
            assertThat(stats.bytesMoved()).isZero();
            // selections from step 10 on: 61 steps, one eviction per head and layer from step 11
            assertThat(stats.selections()).containsExactly(61, 61, 61);
            assertThat(stats.tokensEvicted()).isEqualTo(60L * 3 * 2);
        }
    }

    @Test
    void boundedCacheAllocatesNothingOverTenThousandSteps() {
        CacheLayout layout = CacheLayout.of(2, 4, 2, 8);
        Sequence seq = new Sequence(layout, 5);
        for (String spec : new String[] {"prefill=full,decoding=slide(W=64,R=16)",
                "prefill=full,decoding=discontinuous(W=64,R=16,T=10000)",
                "prefill=full,decoding=h2o(W=64,R=16)"}) {
            try (KvCache cache = KvCache.builder(layout).policy(spec).build()) {
                seq.prefill(cache, 32);
                long allocatedAfterWarmup = -1;
                for (int p = 32; p < 32 + 10_000; p++) {
                    seq.step(cache, p);
                    if (p == 32 + 2_000) {
                        allocatedAfterWarmup = cache.stats().allocatedBytes();
                    }
                }
                assertThat(cache.stats().allocatedBytes()).as(spec).isEqualTo(allocatedAfterWarmup);
            }
        }
    }

    @Test
    void unboundedCacheGrowsBySegmentsWithoutCopying() {
        CacheLayout layout = CacheLayout.of(1, 2, 2, 4);
        Sequence seq = new Sequence(layout, 5);
        try (KvCache cache = KvCache.builder(layout).build()) {
            seq.prefill(cache, 10);
            assertThat(cache.stats().allocatedBytes()).isEqualTo(2L * (10 + 256) * 4 * 2 * 4);
            for (int p = 10; p < 10 + 300; p++) {
                seq.step(cache, p);
            }
            CacheStats stats = cache.stats();
            assertThat(stats.allocatedBytes()).isEqualTo(2L * (10 + 256 + 256) * 4 * 2 * 4);
            assertThat(stats.bytesMoved()).isZero();
            assertThat(cache.view(0).segments()).isEqualTo(2);
            assertThat(cache.view(0).segmentStart(1)).isEqualTo(266);
            assertThat(stats.liveBytes()).isEqualTo(2L * 310 * 4 * 2 * 4);
        }
    }
}
