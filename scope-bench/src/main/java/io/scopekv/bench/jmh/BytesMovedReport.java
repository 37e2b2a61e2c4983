package io.scopekv.bench.jmh;

import io.scopekv.CacheLayout;
import io.scopekv.CacheStats;
import io.scopekv.KvCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bytes each strategy moves per decode step over the paper's horizon (P = 2048 prompt tokens,
 * T = 4096, R = 256), in units of one token's K/V bytes: eviction frees slots in place, so only
 * storage growth copies anything. The layer count does not change the ratio, so one layer of the
 * Llama-3.1-8B shape is simulated. Usage:
 * {@code java -cp scope-bench.jar io.scopekv.bench.jmh.BytesMovedReport}.
 */
public final class BytesMovedReport {
    private static final Logger LOG = LoggerFactory.getLogger(BytesMovedReport.class);

    private BytesMovedReport() {
    }

    public static void main(String[] args) {
        CacheLayout layout = CacheLayout.of(1, 32, 8, 128);
        String[] strategies = {"none", "slide(W=512,R=256)", "slide(W=1024,R=256)", "adaptive(W=512,R=256,T=4096)",
            "adaptive(W=1024,R=256,T=4096)", "discontinuous(W=512,R=256,T=4096)", "discontinuous(W=1024,R=256,T=4096)",
            "h2o(W=512,R=256)", "streamingllm(W=512,R=256)"};
        RandomTensors random = new RandomTensors(3);
        float[] key = random.vector(8 * 128);
        float[] value = random.vector(8 * 128);
        for (String decoding : strategies) {
            try (KvCache cache = KvCache.builder(layout).policy("prefill=full,decoding=" + decoding + ",scorer=oldest").build()) {
                random.prefill(cache, 2048);
                for (int j = 1; j < 4096; j++) {
                    cache.append(0, key, value, 2047 + j);
                    cache.advance(0);
                }
                CacheStats stats = cache.stats();
                double perStep = (double) stats.bytesMoved() / stats.decodeSteps() / layout.bytesPerTokenPerLayer();
                LOG.info(String.format("%-36s moved %.3f token K/V per step; allocated %d MiB, peak live %d MiB",
                        decoding, perStep, stats.peakAllocatedBytes() >> 20, stats.peakLiveBytes() >> 20));
            }
        }
    }
}
