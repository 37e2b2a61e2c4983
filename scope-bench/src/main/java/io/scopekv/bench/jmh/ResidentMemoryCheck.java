package io.scopekv.bench.jmh;

import io.scopekv.CacheLayout;
import io.scopekv.CacheStats;
import io.scopekv.KvCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs 10,000 decode steps of a bounded cache (Slide, attend() path) and logs the process's
 * resident set size and the cache's allocated bytes every 1,000 steps: both must stay flat once
 * the budget is reached. Usage: {@code java -cp scope-bench.jar io.scopekv.bench.jmh.ResidentMemoryCheck [spec]}.
 */
public final class ResidentMemoryCheck {
    private static final Logger LOG = LoggerFactory.getLogger(ResidentMemoryCheck.class);

    private ResidentMemoryCheck() {
    }

    public static void main(String[] args) throws IOException {
        String spec = args.length > 0 ? args[0] : "prefill=full,decoding=slide(W=512,R=256)";
        CacheLayout layout = CacheLayout.of(8, 32, 8, 128);
        RandomTensors random = new RandomTensors(1);
        float[] key = random.vector(8 * 128);
        float[] value = random.vector(8 * 128);
        float[] query = random.vector(32 * 128);
        float[] out = new float[32 * 128];
        try (KvCache cache = KvCache.builder(layout).policy(spec).build()) {
            random.prefill(cache, 2048);
            long first = -1;
            for (int step = 1; step <= 10_000; step++) {
                for (int l = 0; l < layout.layers(); l++) {
                    cache.append(l, key, value, 2047 + step);
                    cache.attend(l, query, out);
                }
                if (step % 1000 == 0) {
                    CacheStats stats = cache.stats();
                    long rss = residentKiB();
                    if (first < 0) {
                        first = rss;
                    }
                    LOG.info("step {}: RSS {} MiB ({} MiB vs step 1000), cache allocated {} MiB, live {} MiB",
                            step, rss / 1024, (rss - first) / 1024, stats.allocatedBytes() >> 20, stats.liveBytes() >> 20);
                }
            }
        }
    }

    private static long residentKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
