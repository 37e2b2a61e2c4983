package io.scopekv.bench.mini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scopekv.bench.engine.AttentionPath;
import io.scopekv.bench.train.GgufExport;
import io.scopekv.bench.train.ModelConfig;
import io.scopekv.bench.train.ParamLayout;
import io.scopekv.bench.train.TaskConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MiniExperimentTest {

    @TempDir
    Path dir;

    @Test
    void paperTableBudgetsFollowThePapersRatios() {
        TaskConfig task = new TaskConfig(26, 26, 2);   // prompt 133, response 183
        List<MiniExperiment.Policy> rows = MiniExperiment.paperTable(task);
        assertThat(rows).hasSize(20);
        assertThat(rows.get(0).spec()).isEqualTo("prefill=full,decoding=none");
        // W = 25% of 183 = 46 (R = 23) and 12.5% = 23 (R = 11); prefill-only keeps 60% of 133 = 80
        assertThat(rows).extracting(MiniExperiment.Policy::label).contains("SCOPE Slide, 25%", "SCOPE Slide, 12.5%",
                "H2O unified, 25%", "StreamingLLM unified, 12.5%", "SnapKV prefill-only", "PyramidKV prefill-only",
                "SnapKV + Slide, 25%");
        assertThat(spec(rows, "SCOPE Slide, 25%")).contains("prefill=full", "slide(W=46,R=23)");
        assertThat(spec(rows, "SCOPE Adaptive, 12.5%")).contains("adaptive(W=23,R=11,T=183)");
        assertThat(spec(rows, "SCOPE Discontinuous, 25%")).contains("discontinuous(W=46,R=23,T=183)");
        assertThat(spec(rows, "H2O unified, 25%")).contains("prefill=full", "h2o(W=46,R=23)");
        assertThat(spec(rows, "SnapKV prefill-only")).contains("snapkv(P=80", "decoding=none");
        assertThat(spec(rows, "SnapKV + Slide, 25%")).contains("snapkv(P=80", "slide(W=46,R=23)");
        assertThat(spec(rows, "SCOPE Slide, accumulated scores, 12.5%")).contains("prefill=full", "slide(W=23,R=11)",
                "scorer=cumulative");
        assertThat(spec(rows, "H2O unified, accumulated scores, 25%")).contains("h2o(W=46,R=23)", "scorer=cumulative");
        assertThat(spec(rows, "H2O unified, accumulated scores, 25%")).doesNotContain("prefill=1");
        assertThat(spec(rows, "H2O unified, accumulated from prefill, 12.5%")).contains("h2o(W=23,R=11)",
                "scorer=cumulative(prefill=1)");
        assertThat(spec(rows, "SCOPE Slide, 25%")).doesNotContain("cumulative");
    }

    @Test
    void everyRowRunsAndCompressedRowsHoldLessMemory() throws Exception {
        TaskConfig task = new TaskConfig(6, 6, 1);   // prompt 33, response 37
        ModelConfig config = ModelConfig.of(16, 2, 2, 1, 24, task.totalLength());
        ParamLayout layout = new ParamLayout(config);
        Path file = dir.resolve("random.gguf");
        GgufExport.write(layout, layout.initialize(5), task, "random", file);
        try (MiniModel model = MiniModel.load(file)) {
            assertThat(model.task()).isEqualTo(task);
            List<MiniExperiment.Row> rows = MiniExperiment.run(model, MiniExperiment.paperTable(task), 2,
                    AttentionPath.CACHE, row -> { });
            assertThat(rows).hasSize(20).allSatisfy(r -> {
                assertThat(r.tasks()).isEqualTo(2);
                assertThat(r.answers()).isEqualTo(12);
                assertThat(r.correct()).isBetween(0L, 12L);
                assertThat(r.decodeTokensPerSecond()).isPositive();
            });
            MiniExperiment.Row full = rows.get(0);
            MiniExperiment.Row slide = rows.get(1);
            assertThat(full.selectionsPerTask()).isZero();
            assertThat(full.peakLiveBytes()).isGreaterThan(slide.peakLiveBytes());
            String table = MiniExperiment.markdown(rows);
            assertThat(table.lines()).hasSize(22);
            assertThat(table).contains("| Full cache |", "100.0% |");
            assertThat(rows).extracting(r -> r.policy().group()).containsOnly(MiniExperiment.FULL, MiniExperiment.SCOPE,
                    MiniExperiment.UNIFIED, MiniExperiment.PROMPT_COMPRESSED, MiniExperiment.SCOPE_ACCUMULATED,
                    MiniExperiment.UNIFIED_ACCUMULATED);
            assertThat(MiniExperiment.chart(rows, "test").render().getWidth()).isPositive();
            assertThatThrownBy(() -> MiniExperiment.chart(rows.subList(1, 3), "no full row"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must include the full cache");
            assertThatThrownBy(() -> MiniExperiment.markdown(rows.subList(1, 3)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must include the full cache");
            assertThatThrownBy(() -> MiniExperiment.run(model, rows.get(0).policy(), 0, AttentionPath.CACHE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tasks must be at least 1, was 0");
        }
    }

    @Test
    void aModelNotTrainedOnTheTaskIsRejected() throws Exception {
        Path file = io.scopekv.bench.engine.RandomModel.llama(4, 2, io.scopekv.bench.gguf.GgmlType.F32).write(dir);
        assertThatThrownBy(() -> MiniModel.load(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no scopekv.task.facts metadata");
    }

    private static String spec(List<MiniExperiment.Policy> rows, String label) {
        return rows.stream().filter(p -> p.label().equals(label)).findFirst().orElseThrow().spec();
    }
}
