package io.scopekv.bench.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.scopekv.bench.gguf.GgmlType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratorTest {

    private static final int[] PROMPT = {7, 1, 30, 2, 64};

    @TempDir
    Path dir;

    /** The greedy continuation according to the float64 reference. */
    private static int[] referenceGreedy(ReferenceLlama reference, int steps) {
        int[] sequence = PROMPT.clone();
        int[] out = new int[steps];
        for (int i = 0; i < steps; i++) {
            double[] logits = reference.logits(sequence);
            int best = 0;
            for (int v = 1; v < logits.length; v++) {
                if (logits[v] > logits[best]) {
                    best = v;
                }
            }
            out[i] = best;
            sequence = Arrays.copyOf(sequence, sequence.length + 1);
            sequence[sequence.length - 1] = best;
        }
        return out;
    }

    @Test
    void greedyGenerationFollowsTheReferenceAndStopsAtAStopToken() throws IOException {
        Path file = RandomModel.llama(4, 2, GgmlType.F32).write(dir);
        int[] expected = referenceGreedy(new ReferenceLlama(file), 8);
        try (LlamaModel model = LlamaModel.load(file)) {
            Generator.Result full;
            try (LlamaSession s = LlamaSession.open(model, "prefill=full", AttentionPath.CACHE)) {
                full = Generator.generate(s, PROMPT, new Generator.Options(8, 0, Sampler.greedy(), Set.of()));
            }
            assertThat(full.tokens()).containsExactly(expected);
            assertThat(full.stoppedByToken()).isFalse();
            assertThat(full.decodeTokensPerSecond()).isPositive();

            int stop = expected[2];
            int firstStop = 0;
            while (expected[firstStop] != stop) {
                firstStop++;
            }
            try (LlamaSession s = LlamaSession.open(model, "prefill=full", AttentionPath.ENGINE)) {
                Generator.Result stopped = Generator.generate(s, PROMPT, new Generator.Options(8, 0, Sampler.greedy(), Set.of(stop)));
                assertThat(stopped.tokens()).containsExactly(Arrays.copyOf(expected, firstStop + 1));
                assertThat(stopped.stoppedByToken()).isTrue();
            }
            try (LlamaSession s = LlamaSession.open(model, "prefill=full", AttentionPath.ENGINE)) {
                // the greedy first token is a stop token, suppressed for the first minNewTokens tokens
                Generator.Result atLeastTwo = Generator.generate(s, PROMPT,
                        new Generator.Options(8, 2, Sampler.greedy(), Set.of(expected[0])));
                assertThat(atLeastTwo.tokens()[0]).isNotEqualTo(expected[0]);
                assertThat(atLeastTwo.tokens().length).isGreaterThanOrEqualTo(2);
            }
            try (LlamaSession s = LlamaSession.open(model, "prefill=full", AttentionPath.ENGINE)) {
                assertThatThrownBy(() -> Generator.generate(s, PROMPT, new Generator.Options(300, 0, Sampler.greedy(), Set.of())))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("context length 256");
            }
        }
    }

    @Test
    void seededSamplingIsReproducibleAndFollowsTheDistribution() {
        float[] logits = {0f, (float) Math.log(3), -50f};
        Sampler.Picker a = new Sampler(1f, 1f, 42).picker();
        Sampler.Picker b = new Sampler(1f, 1f, 42).picker();
        int ones = 0;
        int draws = 20_000;
        for (int i = 0; i < draws; i++) {
            int x = a.next(logits);
            assertThat(b.next(logits)).isEqualTo(x);
            ones += x == 1 ? 1 : 0;
        }
        assertThat(ones / (double) draws).isCloseTo(0.75, within(0.02));
        // top-p 0.5 keeps only the most likely token (it alone holds 0.75 of the mass)
        Sampler.Picker nucleus = new Sampler(1f, 0.5f, 1).picker();
        for (int i = 0; i < 100; i++) {
            assertThat(nucleus.next(logits)).isEqualTo(1);
        }
        assertThat(Sampler.greedy().picker().next(new float[] {1f, 5f, 5f})).isEqualTo(1);
        assertThatThrownBy(() -> new Sampler(-1f, 1f, 0)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> new Sampler(1f, 0f, 0)).hasMessageContaining("topP");
    }
}
