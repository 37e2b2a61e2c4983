package io.scopekv.bench.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.scopekv.CacheLayout;
import io.scopekv.PolicySpec;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationTest {
    /** Logit of every query on token t's key; decode tokens start at position 4. */
    private static final float[] LOGITS = {0.3f, -0.2f, 0.1f, 0.4f, 5f, 0f, 1f, 0.5f, 2f, 0.2f};
    private static final int M = 4;
    private static final int STEPS = 6;

    /**
     * 1 layer, 2 query heads on 1 KV head, headDim 2: queries {@code [sqrt(2), 0]}, keys
     * {@code [logit, 0]}, values {@code [t, 1]}.
     */
    private static final class HandStream implements TokenSource {
        private final int[] next = new int[1];

        @Override
        public CacheLayout layout() {
            return CacheLayout.of(1, 2, 1, 2);
        }

        @Override
        public int promptTokens() {
            return M;
        }

        @Override
        public int decodeSteps() {
            return STEPS;
        }

        @Override
        public int maxNewTokens() {
            return STEPS;
        }

        @Override
        public void next(int layer, float[] query, float[] key, float[] value) {
            int t = next[layer]++;
            query[0] = (float) Math.sqrt(2);
            query[1] = 0;
            query[2] = (float) Math.sqrt(2);
            query[3] = 0;
            key[0] = LOGITS[t];
            key[1] = 0;
            value[0] = t;
            value[1] = 1;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void measuresFidelityAndMassAgainstTheFullCache() throws IOException {
        try (Simulation sim = new Simulation(new HandStream(), List.of(
                new Simulation.Entry("full", PolicySpec.parse("prefill=full,decoding=none")),
                new Simulation.Entry("slide", PolicySpec.parse("prefill=full,decoding=slide(W=3,R=1)"))))) {
            sim.run();
            StepMetrics full = sim.runs().get(0).metrics();
            StepMetrics slide = sim.runs().get(1).metrics();
            for (int j = 1; j <= STEPS; j++) {
                assertThat(full.relativeError(j)).isZero();
                assertThat(full.massKept(j)).isCloseTo(1.0, within(1e-6));
            }
            // Slide evicts token 5 at step 4 and token 7 at step 5 (see the replay test's hand trace)
            for (int j = 1; j <= 4; j++) {
                assertThat(slide.relativeError(j)).as("step %d", j).isCloseTo(0.0, within(1e-6));
                assertThat(slide.massKept(j)).isCloseTo(1.0, within(1e-6));
            }
            assertThat(slide.massKept(5)).isCloseTo(1 - prob(5, 8), within(1e-5));
            assertThat(slide.massKept(6)).isCloseTo(1 - prob(5, 9) - prob(7, 9), within(1e-5));
            assertThat(slide.relativeError(5)).isCloseTo(expectedError(8, new int[] {5}), within(1e-5));
            assertThat(slide.relativeError(6)).isCloseTo(expectedError(9, new int[] {5, 7}), within(1e-5));
            assertThat(slide.keptPerHead(6)).isEqualTo(M + 3);
            assertThat(full.keptPerHead(6)).isEqualTo(M + STEPS);
            assertThat(slide.liveBytes(6)).isEqualTo((M + 3) * 2L * 2 * 4);
            assertThat(slide.selections(6)).isEqualTo(4);
        }
    }

    /** Full-cache softmax probability of token t when the newest token is {@code last}. */
    private static double prob(int t, int last) {
        double sum = 0;
        for (int s = 0; s <= last; s++) {
            sum += Math.exp(LOGITS[s]);
        }
        return Math.exp(LOGITS[t]) / sum;
    }

    /** ||out - out_full|| / ||out_full|| when the tokens in {@code missing} are gone; values are [t, 1]. */
    private static double expectedError(int last, int[] missing) {
        double fullSum = 0;
        double fullMean = 0;
        double keptSum = 0;
        double keptMean = 0;
        for (int s = 0; s <= last; s++) {
            double e = Math.exp(LOGITS[s]);
            fullSum += e;
            fullMean += e * s;
            boolean gone = false;
            for (int g : missing) {
                gone |= g == s;
            }
            if (!gone) {
                keptSum += e;
                keptMean += e * s;
            }
        }
        double a = fullMean / fullSum;
        double b = keptMean / keptSum;
        return Math.abs(a - b) / Math.sqrt(a * a + 1);
    }
}
