package io.scopekv.bench.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.scopekv.bench.workload.LongGenWorkload;
import io.scopekv.bench.workload.WorkloadConfig;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void exportedWorkloadReadsBackTokenForToken() throws IOException {
        WorkloadConfig config = WorkloadConfig.defaults().withLayout(io.scopekv.CacheLayout.of(2, 4, 2, 8))
                .withLengths(16, 2, 8, 4, 16);
        TraceMeta meta = TraceWriter.write(new LongGenWorkload(config), 10, dir, null);
        assertThat(meta.tokens()).isEqualTo(config.promptTokens() + 10);
        assertThat(meta.maxNewTokens()).isEqualTo(16);
        LongGenWorkload fresh = new LongGenWorkload(config);
        float[] q1 = new float[32];
        float[] k1 = new float[16];
        float[] v1 = new float[16];
        float[] q2 = new float[32];
        float[] k2 = new float[16];
        float[] v2 = new float[16];
        try (TraceReader reader = TraceReader.open(dir)) {
            assertThat(reader.meta()).isEqualTo(meta);
            // layer 1 first: layers are independent streams in the trace too
            for (int layer : new int[] {1, 0}) {
                for (int t = 0; t < meta.tokens(); t++) {
                    reader.next(layer, q1, k1, v1);
                    fresh.next(layer, q2, k2, v2);
                    assertThat(q1).as("layer %d token %d", layer, t).containsExactly(q2);
                    assertThat(k1).containsExactly(k2);
                    assertThat(v1).containsExactly(v2);
                }
            }
        }
    }
}
