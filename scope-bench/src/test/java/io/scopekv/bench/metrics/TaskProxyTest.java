package io.scopekv.bench.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.scopekv.CacheLayout;
import io.scopekv.PolicySpec;
import io.scopekv.bench.sim.Simulation;
import io.scopekv.bench.workload.LongGenWorkload;
import io.scopekv.bench.workload.WorkloadConfig;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskProxyTest {
    /** M = 16 + 3 x 8 + 8 = 48 prompt tokens, T = 48: three answers of 16 steps. */
    private static final WorkloadConfig TINY = WorkloadConfig.defaults().withLayout(CacheLayout.of(2, 2, 1, 16))
            .withLengths(16, 3, 8, 8, 48);

    @Test
    void scoresEachPolicyByTheTokensItKept() throws IOException {
        LongGenWorkload workload = new LongGenWorkload(TINY);
        TaskProxy proxy = new TaskProxy(workload.plan());
        try (Simulation sim = new Simulation(workload, List.of(
                new Simulation.Entry("full", PolicySpec.parse("prefill=full,decoding=none")),
                // keeps the 4 sinks and the last 4 prompt tokens (all tail): no question survives
                new Simulation.Entry("ends", PolicySpec.parse("prefill=streamingllm(P=8,sink=4),decoding=none")),
                // keeps the prompt but only the 4 newest decoding tokens: planted decoding tokens are
                // at least 4 steps old when an answer ends, so every answer loses its own
                new Simulation.Entry("recent", PolicySpec.parse("prefill=full,decoding=streamingllm(W=5,R=4)"))))) {
            sim.addListener(proxy);
            sim.run();
        }
        assertThat(proxy.accuracy("full")).isEqualTo(100.0);
        assertThat(proxy.correct("full")).containsOnly(true).hasSize(3);
        assertThat(proxy.questionRecall("ends")).isZero();
        assertThat(proxy.answerRecall("ends")).isEqualTo(100.0);
        assertThat(proxy.accuracy("ends")).isZero();
        assertThat(proxy.questionRecall("recent")).isEqualTo(100.0);
        assertThat(proxy.answerRecall("recent")).isZero();
        assertThat(proxy.accuracy("recent")).isZero();
    }

    @Test
    void percentileIsNearestRank() {
        double[] sorted = new double[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = i + 1;
        }
        assertThat(PolicySummary.percentile(sorted, 0.99)).isEqualTo(99.0);
        assertThat(PolicySummary.percentile(sorted, 0.5)).isEqualTo(50.0);
        assertThat(PolicySummary.percentile(new double[] {3}, 0.99)).isEqualTo(3.0);
        assertThat(PolicySummary.percentile(new double[0], 0.99)).isNaN();
    }
}
