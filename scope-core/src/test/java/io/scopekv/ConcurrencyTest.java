package io.scopekv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** 16 sequences on 2 threads give exactly what running them one after another gives. */
class ConcurrencyTest {
    private static final CacheLayout LAYOUT = CacheLayout.of(2, 4, 2, 8);
    private static final String[] SPECS = {
        "prefill=snapkv(P=16,w=4),decoding=slide(W=12,R=4)",
        "prefill=h2o(P=16,w=4),decoding=discontinuous(W=12,R=4,T=64)",
        "prefill=full,decoding=h2o(W=12,R=4)",
        "prefill=pyramidkv(P=16,w=4),decoding=adaptive(W=12,R=4,T=64),scorer=cumulative",
    };

    private static Snapshot sequence(int index) {
        Sequence seq = new Sequence(LAYOUT, 1000 + index);
        try (KvCache cache = KvCache.builder(LAYOUT).policy(SPECS[index % SPECS.length]).build()) {
            seq.prefill(cache, 30);
            for (int p = 30; p < 90; p++) {
                seq.step(cache, p);
            }
            return Snapshot.of(cache);
        }
    }

    @Test
    void sixteenCachesOnTwoThreadsMatchSequentialRuns() throws Exception {
        List<Snapshot> sequential = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            sequential.add(sequence(i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Snapshot>> futures = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                int index = i;
                futures.add(pool.submit(() -> sequence(index)));
            }
            for (int i = 0; i < 16; i++) {
                assertThat(futures.get(i).get()).as("sequence %d", i).isEqualTo(sequential.get(i));
            }
        } finally {
            pool.shutdown();
        }
    }
}
