package io.scopekv.bench.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scopekv.bench.io.JsonFormat;
import io.scopekv.bench.io.NpyWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTest {
    @TempDir
    Path tmp;

    @Test
    void fullCacheKeepsEveryTokenAndMatchesItself() throws IOException {
        Path trace = tmp.resolve("trace");
        TinyTrace.write(trace);
        Map<String, Object> summary = Replay.run(trace, "prefill=full,decoding=none", tmp.resolve("full"), null);
        List<List<List<Integer>>> kept = kept(tmp.resolve("full"));
        assertThat(kept).hasSize(TinyTrace.STEPS + 1);
        for (int j = 0; j <= TinyTrace.STEPS; j++) {
            List<Integer> expected = IntStream.range(0, TinyTrace.M + j).boxed().toList();
            assertThat(kept.get(j)).containsExactly(expected);
        }
        assertThat((Double) summary.get("meanRelativeError")).isZero();
        assertThat(summary).containsEntry("selections", 0L).containsEntry("tokensEvicted", 0L);
    }

    @Test
    void slideKeepsTheHeavyHittersOfATinyTrace() throws IOException {
        Path trace = tmp.resolve("trace");
        TinyTrace.write(trace);
        Map<String, Object> summary = Replay.run(trace, "prefill=full,decoding=slide(W=3,R=1)", tmp.resolve("slide"), null);
        // decode tokens 4.. have logits 5, 0, 1, 0.5, 2, 0.2: from step 3 on (n_d >= W = 3) Slide keeps
        // the newest token plus the top 2 older decoding tokens by this step's attention
        int[][] decoding = {{}, {4}, {4, 5}, {4, 5, 6}, {4, 6, 7}, {4, 6, 8}, {4, 8, 9}};
        List<List<List<Integer>>> kept = kept(tmp.resolve("slide"));
        for (int j = 0; j <= TinyTrace.STEPS; j++) {
            List<Integer> expected = new ArrayList<>(List.of(0, 1, 2, 3));
            for (int p : decoding[j]) {
                expected.add(p);
            }
            assertThat(kept.get(j)).as("step %d", j).containsExactly(expected);
        }
        assertThat(summary).containsEntry("selections", 4L).containsEntry("tokensEvicted", 3L);
        assertThat((Double) summary.get("meanRelativeError")).isPositive();
        assertThat((Double) summary.get("maxRelativeError")).isGreaterThanOrEqualTo((Double) summary.get("meanRelativeError"));
    }

    @Test
    void replicateModeReportsOneListPerQueryHead() throws IOException {
        Path trace = tmp.resolve("trace");
        TinyTrace.write(trace);
        Replay.run(trace, "prefill=full,decoding=slide(W=3,R=1),gqa=replicate", tmp.resolve("rep"), null);
        List<List<List<Integer>>> kept = kept(tmp.resolve("rep"));
        assertThat(kept.get(TinyTrace.STEPS)).hasSize(2).containsOnly(List.of(0, 1, 2, 3, 4, 8, 9));
    }

    @Test
    void rejectsMissingAndMismatchedFiles() throws IOException {
        Path trace = tmp.resolve("trace");
        assertThatThrownBy(() -> TraceReader.open(trace)).isInstanceOf(IOException.class).hasMessageContaining("meta.json");
        TinyTrace.write(trace);
        NpyWriter.write(trace.resolve("k.npy"), new float[TinyTrace.M * 2], TinyTrace.M, 1, 1, 2);
        assertThatThrownBy(() -> TraceReader.open(trace)).isInstanceOf(IOException.class)
                .hasMessageContaining("k.npy").hasMessageContaining("does not match meta.json");
        Files.delete(trace.resolve("v.npy"));
        Files.writeString(trace.resolve("meta.json"), "{\"layers\": 1, \"queryHeads\": 2}");
        assertThatThrownBy(() -> TraceReader.open(trace)).hasMessageContaining("\"kvHeads\" must be an integer");
        Files.writeString(trace.resolve("meta.json"), "{\"layers\": 1,\n \"queryHeads\": 2,}");
        assertThatThrownBy(() -> TraceReader.open(trace)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(trace.resolve("meta.json") + ": JSON syntax error at line 2, column 18: ")
                .hasMessageContaining("was expecting double-quote to start field name");
        Files.writeString(trace.resolve("meta.json"), "{\"layers\": 1, \"layers\": 2}");
        assertThatThrownBy(() -> TraceReader.open(trace)).hasMessageContaining("meta.json: JSON syntax error")
                .hasMessageContaining("Duplicate key (key 'layers')");
        Files.writeString(trace.resolve("meta.json"), JsonFormat.pretty(Map.of("layers", 1, "queryHeads", 3, "kvHeads", 2,
                "headDim", 2, "promptTokens", 4, "decodeSteps", 1, "maxNewTokens", 1)));
        assertThatThrownBy(() -> TraceReader.open(trace)).hasMessageContaining("multiple of kvHeads");
    }

    @Test
    void rejectsABadPolicySpecBeforeWritingAnything() throws IOException {
        Path trace = tmp.resolve("trace");
        TinyTrace.write(trace);
        assertThatThrownBy(() -> Replay.run(trace, "decoding=slide(R=1)", tmp.resolve("x"), null))
                .hasMessageContaining("missing required parameter W");
        assertThat(tmp.resolve("x")).doesNotExist();
    }

    @SuppressWarnings("unchecked")
    private static List<List<List<Integer>>> kept(Path out) throws IOException {
        List<List<List<Integer>>> steps = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve(Replay.KEPT_FILE))) {
            Map<String, Object> row = JsonFormat.parseObject(line);
            assertThat(row.get("step")).isEqualTo(steps.size());
            assertThat(row.get("layer")).isEqualTo(0);
            steps.add((List<List<Integer>>) row.get("kept"));
        }
        return steps;
    }

    @Test
    void aNanInTheTraceIsNamedByTokenStepAndLayer() throws IOException {
        Path trace = tmp.resolve("trace");
        TinyTrace.write(trace);
        int tokens = TinyTrace.M + TinyTrace.STEPS;
        float[] v = new float[tokens * 2];
        java.util.Arrays.fill(v, 1f);
        v[6 * 2 + 1] = Float.NaN;
        NpyWriter.write(trace.resolve("v.npy"), v, tokens, 1, 1, 2);
        assertThatThrownBy(() -> Replay.run(trace, "decoding=slide(W=3,R=1)", tmp.resolve("out"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("token 6 (decode step 3), layer 0: the value holds NaN at element 1; every query, key and value "
                        + "must be finite");
        io.scopekv.bench.CommandCapture cli = new io.scopekv.bench.CommandCapture();
        Path out = tmp.resolve("cli");
        assertThat(cli.run("replay", "--trace", trace.toString(), "--policy", "decoding=slide(W=3,R=1)", "--out",
                out.toString())).isEqualTo(1);
        assertThat(cli.err()).contains("token 6 (decode step 3), layer 0: the value holds NaN");
        assertThat(out).as("nothing written").doesNotExist();
    }
}
