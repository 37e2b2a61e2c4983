package io.scopekv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small cases (a few tokens, two heads) whose kept sets are worked out by hand in the comments. */
class HandCasesTest {
    /** One layer, two query heads, two KV heads (MHA), head dim 2. */
    private static final CacheLayout MHA = CacheLayout.of(1, 2, 2, 2);

    /** Prefills positions 0..m-1 with zero keys (uniform attention) unless a key function is given. */
    private static KvCache cache(CacheLayout layout, String spec, int m) {
        KvCache cache = KvCache.builder(layout).policy(spec).build();
        try (INDArray k = Nd4j.zeros(layout.kvHeads(), m, layout.headDim());
             INDArray v = Nd4j.zeros(layout.kvHeads(), m, layout.headDim());
             INDArray q = Nd4j.zeros(layout.queryHeads(), m, layout.headDim())) {
            cache.prefill(0, k, v, Sequence.range(m), q);
        }
        return cache;
    }

    /**
     * Appends position {@code p} and observes probabilities {@code prob(queryHead, position)} for
     * every live slot (values need not sum to one: only their order matters to selection).
     */
    private static void step(KvCache cache, int p, IntBinaryOperator probPercent) {
        CacheLayout layout = cache.layout();
        float[] zero = new float[layout.kvHeads() * layout.headDim()];
        cache.append(0, zero, zero, p);
        LayerView view = cache.view(0);
        int slots = view.slots();
        float[] probs = new float[layout.queryHeads() * slots];
        int perHead = view.heads() == layout.queryHeads() ? 1 : layout.groupSize();
        for (int q = 0; q < layout.queryHeads(); q++) {
            for (int s = 0; s < slots; s++) {
                int position = view.position(q / perHead, s);
                probs[q * slots + s] = position < 0 ? 0f : probPercent.applyAsInt(q, position) / 100f;
            }
        }
        cache.observe(0, probs, slots);
    }

    @Nested
    class Decoding {
        @Test
        void slideKeepsTopCandidatesPlusRecentPerHead() {
            // M = 4, W = 4, R = 2. Head 0 prefers position 4 then 6; head 1 prefers 5 then 6.
            IntBinaryOperator prob = (head, p) -> head == 0 ? (p == 4 ? 50 : p == 6 ? 30 : 10) : (p == 5 ? 40 : p == 6 ? 30 : 10);
            try (KvCache cache = cache(MHA, "prefill=full,decoding=slide(W=4,R=2)", 4)) {
                for (int p = 4; p <= 7; p++) {
                    step(cache, p, prob);
                }
                // step 4: n_d = 4 = W, selection runs and evicts nothing
                assertThat(cache.stats().selectionSteps()).isEqualTo(1);
                assertThat(cache.keptPositions(0, 0)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
                step(cache, 8, prob);
                // step 5: candidates {4,5,6} (7, 8 recent), keep 2: head 0 drops 5, head 1 drops 4
                assertThat(cache.keptPositions(0, 0)).containsExactly(0, 1, 2, 3, 4, 6, 7, 8);
                assertThat(cache.keptPositions(0, 1)).containsExactly(0, 1, 2, 3, 5, 6, 7, 8);
                step(cache, 9, prob);
                // step 6: candidates head 0 {4,6,7}: 7 (10) goes; head 1 {5,6,7}: 7 goes
                assertThat(cache.keptPositions(0, 0)).containsExactly(0, 1, 2, 3, 4, 6, 8, 9);
                assertThat(cache.keptPositions(0, 1)).containsExactly(0, 1, 2, 3, 5, 6, 8, 9);
                assertThat(cache.stats().tokensEvicted()).isEqualTo(4);
            }
        }

        @Test
        void tiesGoToTheLowerPosition() {
            try (KvCache cache = cache(MHA, "prefill=full,decoding=slide(W=3,R=1)", 2)) {
                for (int p = 2; p <= 6; p++) {
                    step(cache, p, (head, position) -> 20);
                }
                // equal scores: each step evicts the highest-positioned candidate, keeping 2 and 3
                assertThat(cache.keptPositions(0, 0)).containsExactly(0, 1, 2, 3, 6);
            }
        }

        @Test
        void adaptiveBudgetGrowsEveryDeltaSteps() {
            // W = 6, R = 2, T = 10: delta = (10 - 2) / (6 - 2) = 2, B(j) = 2 + (j - 1) / 2 = 2,2,3,3,4,4,5
            // Scores prefer lower positions (older = higher score).
            IntBinaryOperator prob = (head, p) -> 90 - p;
            try (KvCache cache = cache(MHA, "prefill=full,decoding=adaptive(W=6,R=2,T=10)", 2)) {
                int[] expectedDecodingSizes = {1, 2, 3, 3, 4, 4, 5};
                for (int j = 1; j <= 7; j++) {
                    step(cache, 1 + j, prob);
                    assertThat(cache.size(0, 0) - 2).as("decoding tokens after step %d", j).isEqualTo(expectedDecodingSizes[j - 1]);
                }
                // j = 4 (B = 3): candidates {2, 3}, keep 1 -> 3 goes. j = 6 (B = 4): candidates
                // {2, 4, 5}, keep 2 -> 5 goes. j = 7 (B = 5): candidates {2, 4, 6}, all stay.
                assertThat(cache.keptPositions(0, 1)).containsExactly(0, 1, 2, 4, 6, 7, 8);
                // selections on every step from j = 2 (n_d = 2 >= B = 2)
                assertThat(cache.stats().selectionSteps()).isEqualTo(6);
            }
        }

        @Test
        void discontinuousSelectsEveryDeltaPlusOneStepsFromTheFirstTimeOverBudget() {
            // Same budgets as Adaptive (delta = 2). First over budget at j = 2 (counts 1), j = 3 (2),
            // selects at j = 4 keeping B(4) = 3; then counts j = 5, 6 and selects at j = 7 keeping 5.
            IntBinaryOperator prob = (head, p) -> 90 - p;
            try (KvCache cache = cache(MHA, "prefill=full,decoding=discontinuous(W=6,R=2,T=10)", 2)) {
                int[] expectedDecodingSizes = {1, 2, 3, 3, 4, 5, 5, 6, 7, 6};
                long[] expectedSelections = {0, 0, 0, 1, 1, 1, 2, 2, 2, 3};
                for (int j = 1; j <= 10; j++) {
                    step(cache, 1 + j, prob);
                    assertThat(cache.size(0, 0) - 2).as("decoding tokens after step %d", j).isEqualTo(expectedDecodingSizes[j - 1]);
                    assertThat(cache.stats().selectionSteps()).as("selections after step %d", j).isEqualTo(expectedSelections[j - 1]);
                }
                // j = 4 (B = 3): candidates {2, 3} keep 1 -> {2, 4, 5}. j = 7 (B = 5): candidates
                // {2, 4, 5, 6} keep 3 -> 6 goes. j = 10 (B = 6): candidates {2, 4, 5, 7, 8, 9} keep 4.
                assertThat(cache.keptPositions(0, 0)).containsExactly(0, 1, 2, 4, 5, 7, 10, 11);
            }
        }

        @Test
        void unifiedH2oEvictsPromptTokensToo() {
            // M = 4 kept, W = 3, R = 1: whole-cache budget 7. Prompt position 1 has the lowest score.
            IntBinaryOperator prob = (head, p) -> p == 1 ? 1 : 50;
            try (KvCache cache = cache(MHA, "prefill=full,decoding=h2o(W=3,R=1)", 4)) {
                for (int p = 4; p <= 7; p++) {
                    step(cache, p, prob);
                }
                // step 4: 8 tokens, candidates = all but position 7; keep 6: 1 goes
                assertThat(cache.keptPositions(0, 0)).containsExactly(0, 2, 3, 4, 5, 6, 7);
                step(cache, 8, prob);
                // then ties: the highest candidate position (7) goes
                assertThat(cache.keptPositions(0, 1)).containsExactly(0, 2, 3, 4, 5, 6, 8);
            }
        }

        @Test
        void accumulatedScoresStartFromZeroOrFromThePrefillAttention() {
            // M = 4 zero keys and queries: prompt row t spreads 1/(t+1) over tokens 0..t, so at prefill
            // token 0 got 25/12, 1 got 13/12, 2 got 7/12, 3 got 1/4. Decode steps give position 0 1%, the
            // rest 10%. After steps 4..7 (W = 3, R = 1, one token over the whole-cache budget of 7):
            // from zero, 0 has 0.04 and the others at least 0.2: 0 goes;
            // from prefill, 0 has 2.12, 1 1.48, 2 0.98, 3 0.65, 4 0.4, 5 0.3, 6 0.2: 6 goes.
            IntBinaryOperator prob = (head, p) -> p == 0 ? 1 : 10;
            try (KvCache zero = cache(MHA, "prefill=full,decoding=h2o(W=3,R=1),scorer=cumulative", 4);
                 KvCache prefill = cache(MHA, "prefill=full,decoding=h2o(W=3,R=1),scorer=cumulative(prefill=1)", 4)) {
                for (int p = 4; p <= 7; p++) {
                    step(zero, p, prob);
                    step(prefill, p, prob);
                }
                assertThat(zero.keptPositions(0, 0)).containsExactly(1, 2, 3, 4, 5, 6, 7);
                assertThat(prefill.keptPositions(0, 0)).containsExactly(0, 1, 2, 3, 4, 5, 7);
                assertThat(prefill.keptPositions(0, 1)).containsExactly(0, 1, 2, 3, 4, 5, 7);
            }
        }

        @Test
        void promptScoresDoNotMatterWhenThePromptIsKept() {
            // Slide never ranks prompt tokens, so where they start cannot change what it keeps
            IntBinaryOperator prob = (head, p) -> (p * 7 + head * 3) % 11 + 1;
            try (KvCache zero = cache(MHA, "prefill=full,decoding=slide(W=3,R=1),scorer=cumulative", 4);
                 KvCache prefill = cache(MHA, "prefill=full,decoding=slide(W=3,R=1),scorer=cumulative(prefill=1)", 4)) {
                for (int p = 4; p <= 12; p++) {
                    step(zero, p, prob);
                    step(prefill, p, prob);
                    assertThat(prefill.keptPositions(0, 0)).containsExactly(zero.keptPositions(0, 0));
                    assertThat(prefill.keptPositions(0, 1)).containsExactly(zero.keptPositions(0, 1));
                }
                assertThat(zero.stats().tokensEvicted()).isPositive();
            }
        }

        @Test
        void prefillScoresNeedEveryPromptQuery() {
            String spec = "prefill=full,decoding=h2o(W=3,R=1),scorer=cumulative(prefill=1)";
            assertThat(PolicySpec.parse(spec).needs()).contains(EngineInput.ALL_PROMPT_QUERIES);
            try (KvCache cache = KvCache.builder(MHA).policy(spec).build();
                 INDArray k = Nd4j.zeros(2, 4, 2);
                 INDArray v = Nd4j.zeros(2, 4, 2);
                 INDArray window = Nd4j.zeros(2, 2, 2);
                 INDArray all = Nd4j.zeros(2, 4, 2)) {
                assertThatThrownBy(() -> cache.prefill(0, k, v, Sequence.range(4), window))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("scorer cumulative(prefill=1) reads all M=4 prompt queries");
                cache.prefill(0, k, v, Sequence.range(4), all); // the refused call changed nothing
                assertThat(cache.keptPositions(0, 0)).containsExactly(0, 1, 2, 3);
            }
        }

        @Test
        void unifiedStreamingKeepsTheEarliestAndTheRecent() {
            try (KvCache cache = cache(MHA, "prefill=full,decoding=streamingllm(W=3,R=1)", 4)) {
                for (int p = 4; p <= 9; p++) {
                    cache.append(0, new float[4], new float[4], p);
                    cache.advance(0);
                }
                assertThat(cache.keptPositions(0, 0)).containsExactly(0, 1, 2, 3, 4, 5, 9);
            }
        }

        @Test
        void gqaSumAndMaxAggregateTheGroupDifferently() {
            // 4 query heads on 2 KV heads. Candidates 2 and 3 (after M = 2); group 0 query heads:
            // q0: {2: 60, 3: 50}, q1: {2: 0, 3: 50}. Sum: 60 vs 100 keeps 3; max: 60 vs 50 keeps 2.
            CacheLayout gqa = CacheLayout.of(1, 4, 2, 2);
            IntBinaryOperator prob = (q, p) -> p == 2 ? (q % 2 == 0 ? 60 : 0) : p == 3 ? 50 : 10;
            for (String mode : new String[] {"sum", "max"}) {
                try (KvCache cache = cache(gqa, "prefill=full,decoding=slide(W=2,R=1),gqa=" + mode, 2)) {
                    step(cache, 2, prob);
                    step(cache, 3, prob);
                    step(cache, 4, prob);
                    assertThat(cache.keptPositions(0, 0)).as(mode)
                            .containsExactly(0, 1, mode.equals("sum") ? 3 : 2, 4);
                }
            }
        }
    }

    @Nested
    class Prefill {
        /** Prefills one layer from explicit keys {@code [kvHeads][M][2]} and one repeated query. */
        private int[] keep(String spec, float[][] keysPerToken, float[] query, int m) {
            return keep(spec, keysPerToken, query, m, true);
        }

        private int[] keep(String spec, float[][] keysPerToken, float[] query, int m, boolean headsAgree) {
            CacheLayout layout = CacheLayout.of(1, 2, 2, 2);
            float[] k = new float[2 * m * 2];
            float[] q = new float[2 * m * 2];
            for (int h = 0; h < 2; h++) {
                for (int t = 0; t < m; t++) {
                    System.arraycopy(keysPerToken[t], 0, k, (h * m + t) * 2, 2);
                    System.arraycopy(query, 0, q, (h * m + t) * 2, 2);
                }
            }
            try (KvCache cache = KvCache.builder(layout).policy(spec).build();
                 INDArray keys = Nd4j.create(k, new long[] {2, m, 2}, 'c');
                 INDArray values = Nd4j.zeros(2, m, 2);
                 INDArray queries = Nd4j.create(q, new long[] {2, m, 2}, 'c')) {
                cache.prefill(0, keys, values, Sequence.range(m), queries);
                if (headsAgree) {
                    assertThat(cache.keptPositions(0, 1)).containsExactly(cache.keptPositions(0, 0));
                }
                return cache.keptPositions(0, 0);
            }
        }

        private float[][] keys(int m, int... hot) {
            float[][] keys = new float[m][2];
            for (int t : hot) {
                keys[t] = new float[] {1, 0};
            }
            return keys;
        }

        @Test
        void snapKvKeepsWhatTheWindowAttendsTo() {
            // window queries (8, 0) attend almost only to the hot keys 2, 5, 6; keep 3 + window {8, 9}
            assertThat(keep("prefill=snapkv(P=5,w=2,kernel=1)", keys(10, 2, 5, 6), new float[] {8, 0}, 10))
                    .containsExactly(2, 5, 6, 8, 9);
        }

        @Test
        void snapKvPoolingSpreadsScoresAndTiesGoLow() {
            // kernel 3: tokens 1..7 all pool to the hot score; ties keep the lowest: 1, 2, 3
            assertThat(keep("prefill=snapkv(P=5,w=2,kernel=3)", keys(10, 2, 5, 6), new float[] {8, 0}, 10))
                    .containsExactly(1, 2, 3, 8, 9);
        }

        @Test
        void h2oUsesTheCausalMask() {
            // zero keys: row t spreads 1/(t+1) over tokens 0..t, so token u scores sum_{t>=u} 1/(t+1),
            // falling with u: keep 0, 1, 2 and the last w = 1 (token 5). Without the causal mask all
            // tokens would tie.
            assertThat(keep("prefill=h2o(P=4,w=1)", keys(6), new float[] {3, 1}, 6)).containsExactly(0, 1, 2, 5);
        }

        @Test
        void streamingKeepsSinksAndRecent() {
            assertThat(keep("prefill=streamingllm(P=5,sink=2)", keys(10), new float[] {0, 0}, 10))
                    .containsExactly(0, 1, 7, 8, 9);
        }

        @Test
        void keyNormKeepsTheSmallestKeysPlusWindow() {
            float[][] keys = new float[8][];
            float[] norms = {5, 1, 4, 0.5f, 3, 2, 9, 9};
            for (int t = 0; t < 8; t++) {
                keys[t] = new float[] {0, norms[t]};
            }
            assertThat(keep("prefill=keynorm(P=4,w=1)", keys, new float[] {0, 0}, 8)).containsExactly(1, 3, 5, 7);
        }

        @Test
        void randomKeepsTheWindowAndTheBudget() {
            int[] kept = keep("prefill=random(P=6,w=2,seed=1)", keys(20), new float[] {0, 0}, 20, false);
            assertThat(kept).hasSize(6).contains(18, 19);
            assertThat(keep("prefill=random(P=6,w=2,seed=1)", keys(20), new float[] {0, 0}, 20, false)).containsExactly(kept);
            assertThat(keep("prefill=random(P=6,w=2,seed=2)", keys(20), new float[] {0, 0}, 20, false)).isNotEqualTo(kept);
        }

        @Test
        void fullKeepsEverything() {
            assertThat(keep("prefill=full", keys(7), new float[] {0, 0}, 7)).containsExactly(0, 1, 2, 3, 4, 5, 6);
        }

        @Test
        void pyramidBudgetsFallLinearlyWithDepth() {
            // P = 12, w = 2, beta = 5: spare 10, min 2, max 18; layer l keeps 18 - l * 16 / 3 + 2
            var pyramid = PolicySpec.parse("prefill=pyramidkv(P=12,w=2,beta=5)").prefill();
            assertThat(new int[] {pyramid.budget(0, 4, 100), pyramid.budget(1, 4, 100), pyramid.budget(2, 4, 100),
                    pyramid.budget(3, 4, 100)}).containsExactly(20, 15, 10, 4);
        }
    }
}
