package io.scopekv.extension;

import static org.assertj.core.api.Assertions.assertThat;

import io.scopekv.CacheLayout;
import io.scopekv.EngineInput;
import io.scopekv.KvCache;
import io.scopekv.policy.decoding.Slide;
import io.scopekv.policy.decoding.UnifiedH2o;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A strategy and a scorer from outside the library's packages plug in through the builder. */
class ExtensionTest {

    @Test
    void keyReadingScorerKeepsTheSmallestKeys() {
        // One head, d = 2, Slide(W=3, R=1); decoding keys at positions 1..5 have norms 5, 1, 3, 2, 4.
        // Step 3: candidates {1, 2} fit W - R = 2. Step 4: {1, 2, 3} -> drop 1 (norm 5).
        // Step 5: {2, 3, 4} -> drop 3 (norm 3). Kept: prompt 0, then 2, 4 and the recent 5.
        CacheLayout layout = CacheLayout.of(1, 1, 1, 2);
        try (KvCache cache = KvCache.builder(layout).decoding(new Slide(3, 1, new KeyNormScorer()))
                .engineSupplies().build()) {
            prefill(cache, 1, 0, 0);
            float[] norms = {5, 1, 3, 2, 4};
            for (int p = 1; p <= 5; p++) {
                cache.append(0, new float[] {0.6f * norms[p - 1], 0.8f * norms[p - 1]}, new float[2], p);
                cache.advance(0);
            }
            assertThat(cache.keptPositions(0, 0)).containsExactly(0, 2, 4, 5);
        }
    }

    @Test
    void keyReadingScorerSeesPromptKeysToo() {
        // Unified H2O lets prompt tokens compete, so their keys must reach the scorer: prompt keys
        // 0..3 have norms 10, 11, 12, 13, decoding keys norm 1. The limit is P + W = 6 tokens.
        // Step 5 (position 5): candidates 0..4 fit W + P - R = 5. Step 6: candidates 0..5 -> drop 3
        // (norm 13); step 7 drops 2, step 8 drops 1. A scorer that never saw the prompt keys would
        // score them 0 (the best) and drop decoding tokens instead.
        CacheLayout layout = CacheLayout.of(1, 1, 1, 2);
        try (KvCache cache = KvCache.builder(layout).decoding(new UnifiedH2o(2, 1, new KeyNormScorer()))
                .engineSupplies().build()) {
            prefill(cache, 4, 10, 1);
            for (int p = 4; p < 9; p++) {
                cache.append(0, new float[] {1, 0}, new float[2], p);
                cache.advance(0);
            }
            assertThat(cache.keptPositions(0, 0)).containsExactly(0, 4, 5, 6, 7, 8);
        }
    }

    @Test
    void perLayerBudgetsHoldOnEveryLayer() {
        CacheLayout layout = CacheLayout.of(4, 4, 2, 8);
        LayerBudgetSlide strategy = new LayerBudgetSlide(20, 4);
        int prompt = 16;
        SplittableRandom random = new SplittableRandom(7);
        try (KvCache cache = KvCache.builder(layout).decoding(strategy).build()) {
            for (int l = 0; l < layout.layers(); l++) {
                prefillRandom(cache, l, prompt, random);
            }
            int[] budgets = new int[layout.layers()];
            for (int p = prompt; p < prompt + 60; p++) {
                for (int l = 0; l < layout.layers(); l++) {
                    cache.append(l, gaussian(random, 2 * 8), gaussian(random, 2 * 8), p);
                    cache.attend(l, gaussian(random, 4 * 8), new float[4 * 8]);
                    budgets[l] = strategy.budget(l, layout.layers());
                    for (int h = 0; h < 2; h++) {
                        int[] kept = cache.keptPositions(l, h);
                        long decoding = Arrays.stream(kept).filter(x -> x >= prompt).count();
                        assertThat(decoding).as("layer %d head %d after position %d", l, h, p).isLessThanOrEqualTo(budgets[l]);
                        assertThat(kept).as("the R most recent stay").contains(p, p - 1, p - 2, p - 3);
                    }
                }
            }
            assertThat(budgets).containsExactly(8, 12, 16, 20);
            for (int l = 0; l < layout.layers(); l++) {
                assertThat(cache.size(l, 0)).as("layer %d holds its prompt plus its own budget", l).isEqualTo(prompt + budgets[l]);
            }
        }
    }

    /** Prefills one head of d = 2 with keys whose norms are {@code base + t * step}. */
    private static void prefill(KvCache cache, int m, int base, int step) {
        float[] keys = new float[m * 2];
        for (int t = 0; t < m; t++) {
            keys[2 * t] = base + t * step;
        }
        try (INDArray k = Nd4j.create(keys, new long[] {1, m, 2}, 'c'); INDArray v = Nd4j.zeros(1, m, 2)) {
            int[] positions = new int[m];
            Arrays.setAll(positions, i -> i);
            cache.prefill(0, k, v, positions, null);
        }
        assertThat(cache.policy().needs()).doesNotContain(EngineInput.ATTENTION_PROBABILITIES);
    }

    private static void prefillRandom(KvCache cache, int layer, int m, SplittableRandom random) {
        try (INDArray k = Nd4j.create(gaussian(random, 2 * m * 8), new long[] {2, m, 8}, 'c');
             INDArray v = Nd4j.create(gaussian(random, 2 * m * 8), new long[] {2, m, 8}, 'c')) {
            int[] positions = new int[m];
            Arrays.setAll(positions, i -> i);
            cache.prefill(layer, k, v, positions, null);
        }
    }

    private static float[] gaussian(SplittableRandom random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) random.nextGaussian();
        }
        return out;
    }
}
