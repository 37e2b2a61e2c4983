package io.scopekv.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scopekv.CacheLayout;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LongGenWorkloadTest {
    private static final WorkloadConfig SMALL = WorkloadConfig.defaults().withLayout(CacheLayout.of(2, 4, 2, 32))
            .withLengths(48, 4, 16, 8, 128);

    @Test
    void sameSeedSameStreamOtherSeedOtherStream() {
        float[][] a = firstTokens(SMALL, 1);
        float[][] b = firstTokens(SMALL, 1);
        float[][] c = firstTokens(SMALL.withSeed(7), 1);
        assertThat(a[0]).containsExactly(b[0]);
        assertThat(a[1]).containsExactly(b[1]);
        assertThat(a[0]).isNotEqualTo(c[0]);
    }

    @Test
    void layersAreIndependentStreams() {
        LongGenWorkload w = new LongGenWorkload(SMALL);
        float[] q = new float[4 * 32];
        float[] k = new float[2 * 32];
        float[] v = new float[2 * 32];
        w.next(0, q, k, v);
        w.next(0, q, k, v);
        float[] secondOfLayer0 = k.clone();
        LongGenWorkload other = new LongGenWorkload(SMALL);
        other.next(1, q, k, v);
        other.next(0, q, k, v);
        other.next(0, q, k, v);
        assertThat(k).containsExactly(secondOfLayer0);
    }

    @Test
    void stopsAfterTheLastDecodeToken() {
        WorkloadConfig tiny = SMALL.withLengths(4, 1, 3, 0, 8).withLayout(CacheLayout.of(1, 1, 1, 4));
        LongGenWorkload w = new LongGenWorkload(tiny);
        float[] row = new float[4];
        for (int t = 0; t < tiny.promptTokens() + 8; t++) {
            w.next(0, row, row.clone(), row.clone());
        }
        assertThatThrownBy(() -> w.next(0, row, row.clone(), row.clone())).hasMessageContaining("no token after position 14");
    }

    @Test
    void answersQueryTheirOwnQuestionAndPlantedTokens() {
        WorkloadConfig config = WorkloadConfig.defaults().withLayout(CacheLayout.of(1, 2, 1, 64));
        LongGenWorkload w = new LongGenWorkload(config);
        TaskPlan plan = w.plan();
        int m = config.promptTokens();
        int t = config.maxNewTokens();
        int d = 64;
        float[][] keys = new float[m + t][];
        float[][] queries = new float[m + t][];
        for (int i = 0; i < m + t; i++) {
            float[] q = new float[2 * d];
            float[] k = new float[d];
            w.next(0, q, k, new float[d]);
            keys[i] = k;
            queries[i] = Arrays.copyOf(q, d);
        }
        int answer = 2;
        double own = 0;
        double others = 0;
        int nOwn = 0;
        int nOthers = 0;
        double prevPlanted = 0;
        double ordinary = 0;
        int nOrdinary = 0;
        int start = plan.answerStart(answer);
        int end = plan.answerEnd(answer);
        int[] previous = plan.answerPlantedSteps(answer - 1);
        for (int step = start; step <= end; step++) {
            float[] q = queries[plan.position(step)];
            for (int p = 0; p < m; p++) {
                if (plan.isPlantedQuestionToken(p)) {
                    if (plan.questionAt(p) == answer) {
                        own += logit(q, keys[p]);
                        nOwn++;
                    } else {
                        others += logit(q, keys[p]);
                        nOthers++;
                    }
                }
            }
            for (int s : previous) {
                prevPlanted += logit(q, keys[plan.position(s)]) / previous.length;
            }
            for (int s = plan.answerStart(answer - 1); s < start; s++) {
                if (plan.plantedAnswerAt(plan.position(s)) < 0) {
                    ordinary += logit(q, keys[plan.position(s)]);
                    nOrdinary++;
                }
            }
        }
        int steps = end - start + 1;
        double expectedGap = config.answerQuery() * config.questionKey();
        assertThat(own / nOwn - others / nOthers).isGreaterThan(0.7 * expectedGap);
        assertThat(prevPlanted / steps - ordinary / nOrdinary).isGreaterThan(0.7 * config.plantedQuery() * config.plantedKey());
    }

    @Test
    void sinksDrawMoreAttentionThanDistantExamples() {
        WorkloadConfig config = WorkloadConfig.defaults().withLayout(CacheLayout.of(1, 1, 1, 64));
        LongGenWorkload w = new LongGenWorkload(config);
        int n = config.exampleTokens();
        float[][] keys = new float[n][64];
        float[][] queries = new float[n][64];
        for (int i = 0; i < n; i++) {
            w.next(0, queries[i], keys[i], new float[64]);
        }
        double sink = 0;
        double far = 0;
        int late = n - 150;
        for (int t = 150; t < n; t++) {
            for (int s = 0; s < config.sinks(); s++) {
                sink += logit(queries[t], keys[s]) / (config.sinks() * late);
            }
            for (int s = config.sinks(); s < 50; s++) {
                far += logit(queries[t], keys[s]) / ((50 - config.sinks()) * late);
            }
        }
        assertThat(sink - far).isGreaterThan(0.5 * config.sinkKey() * config.sinkQuery());
    }

    @Test
    void configRejectsInvalidValuesByName() {
        WorkloadConfig d = WorkloadConfig.defaults();
        assertThatThrownBy(() -> d.withLengths(256, 0, 32, 16, 1024)).hasMessageContaining("questions must be >= 1, was 0");
        assertThatThrownBy(() -> d.withLengths(256, 8, 2, 16, 1024)).hasMessageContaining("plantedPerQuestion must be <= questionTokens");
        assertThatThrownBy(() -> d.withLengths(256, 8, 32, 16, 4)).hasMessageContaining("maxNewTokens must be >= questions");
        assertThatThrownBy(() -> d.withLayout(CacheLayout.of(1, 1, 1, 4)).withLengths(2, 1, 4, 0, 8))
                .hasMessageContaining("exampleTokens must be >= 4");
        assertThatThrownBy(() -> new WorkloadConfig(1, 1, 1, 4, 8, 4, 1, 4, 1, 0, 8, 1, 0.9, 1, 1, 1, 1, 1, 1, 1,
                1, 1, 1, 1, Double.NaN, 0, 1)).hasMessageContaining("keyNoise must be finite and >= 0, was NaN");
        assertThatThrownBy(() -> new WorkloadConfig(1, 1, 1, 4, 8, 4, 1, 4, 1, 0, 8, 1, 1.0, 1, 1, 1, 1, 1, 1, 1,
                1, 1, 1, 1, 0, 0, 1)).hasMessageContaining("locality must be in [0, 1), was 1.0");
    }

    @Test
    void paperPresetHasThePapersLengths() {
        WorkloadConfig paper = WorkloadConfig.paper();
        assertThat(paper.promptTokens()).isBetween(3300, 3500);
        assertThat(paper.maxNewTokens()).isEqualTo(4096);
        assertThat(paper.questions()).isEqualTo(30);
    }

    private static double logit(float[] q, float[] k) {
        double dot = 0;
        for (int i = 0; i < k.length; i++) {
            dot += q[i] * k[i];
        }
        return dot / Math.sqrt(k.length);
    }

    private static float[][] firstTokens(WorkloadConfig config, int layer) {
        LongGenWorkload w = new LongGenWorkload(config);
        float[] q = new float[config.queryHeads() * config.headDim()];
        float[] k = new float[config.kvHeads() * config.headDim()];
        float[] v = new float[k.length];
        for (int t = 0; t < 30; t++) {
            w.next(layer, q, k, v);
        }
        return new float[][] {q, k};
    }
}
