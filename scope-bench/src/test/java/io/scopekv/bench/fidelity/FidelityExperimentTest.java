package io.scopekv.bench.fidelity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scopekv.StorageType;
import io.scopekv.bench.engine.AttentionPath;
import io.scopekv.bench.engine.LlamaModel;
import io.scopekv.bench.engine.RandomModel;
import io.scopekv.bench.fidelity.FidelityExperiment.Row;
import io.scopekv.bench.fidelity.FidelityExperiment.Sequence;
import io.scopekv.bench.fidelity.FidelityExperiment.Settings;
import io.scopekv.bench.gguf.GgmlType;
import io.scopekv.bench.mini.MiniExperiment;
import io.scopekv.bench.mini.MiniExperiment.Policy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole table on a small random-weight model: what must hold whatever the weights. */
class FidelityExperimentTest {

    private static final int HELD = 5;
    private static final Settings SETTINGS = new Settings(16, 40, 2, 3, 1f, 1f, AttentionPath.CACHE);
    private static final List<int[]> OPENINGS = List.of(new int[] {1, 40, 41, 42}, new int[] {1, 7, 8});

    @TempDir
    static Path dir;
    private static LlamaModel model;
    private static List<Sequence> sequences;
    private static List<Policy> policies;
    private static List<Row> rows;
    private static final List<Long> progress = new ArrayList<>();

    @BeforeAll
    static void runTheTable() throws IOException {
        model = LlamaModel.load(RandomModel.llama(4, 2, GgmlType.F32).write(dir));
        sequences = FidelityExperiment.sequences(model, OPENINGS, Set.of(HELD), SETTINGS);
        policies = MiniExperiment.paperTable(16, 24);
        rows = FidelityExperiment.run(model, policies, sequences, Set.of(HELD), AttentionPath.CACHE, StorageType.FLOAT32,
                progress::add);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void sequencesExtendTheOpeningsBySeededSampling() {
        assertThat(sequences).hasSize(2);
        for (int i = 0; i < 2; i++) {
            Sequence s = sequences.get(i);
            assertThat(s.prompt()).hasSize(16).startsWith(OPENINGS.get(i));
            assertThat(s.reference()).hasSize(24).doesNotContain(HELD);
            assertThat(s.greedy()).hasSize(24).doesNotContain(HELD);
        }
        List<Sequence> again = FidelityExperiment.sequences(model, OPENINGS, Set.of(HELD), SETTINGS);
        assertThat(again.get(1).prompt()).containsExactly(sequences.get(1).prompt());
        assertThat(again.get(1).reference()).containsExactly(sequences.get(1).reference());
        // another seed samples another text
        List<Sequence> other = FidelityExperiment.sequences(model, OPENINGS, Set.of(HELD),
                new Settings(16, 40, 1, 99, 1f, 1f, AttentionPath.CACHE));
        assertThat(other.get(0).reference()).isNotEqualTo(sequences.get(0).reference());
    }

    @Test
    void theFullCacheRowMatchesTheReferenceExactly() {
        Row full = rows.get(0);
        assertThat(full.policy().label()).isEqualTo("Full cache");
        assertThat(full.klByStep()).containsOnly(0.0);
        assertThat(full.deltaLogProbByStep()).containsOnly(0.0);
        assertThat(full.top1ByStep()).containsOnly(1.0);
        assertThat(full.firstDivergence()).containsExactly(24, 24);
        assertThat(full.neverDiverged()).isEqualTo(2);
    }

    @Test
    void compressedRowsHoldLessAndDivergeOnceTheyEvict() {
        assertThat(rows).hasSize(policies.size());
        Row full = rows.get(0);
        for (Row r : rows.subList(1, rows.size())) {
            assertThat(r.peakLiveBytes()).as(r.policy().label()).isLessThan(full.peakLiveBytes()).isPositive();
            assertThat(Arrays.stream(r.klByStep()).min().orElseThrow()).as(r.policy().label()).isGreaterThanOrEqualTo(0);
            assertThat(r.top1Agreement()).isBetween(0.0, 1.0);
            assertThat(Arrays.stream(r.firstDivergence()).boxed()).allMatch(d -> d >= 0 && d <= 24);
            // step 0's logits come from the whole prompt, before any compression can act
            assertThat(r.klByStep()[0]).as(r.policy().label()).isZero();
            // every row evicts something within 24 steps, after which its distributions differ
            assertThat(r.meanKl()).as(r.policy().label()).isPositive();
        }
        // Slide at 12.5% of 24 keeps 3 decoding tokens: nothing is evicted before step 3
        Row slide = row("SCOPE Slide, 12.5%");
        assertThat(slide.policy().spec()).contains("slide(W=3,R=1)");
        assertThat(Arrays.copyOf(slide.klByStep(), 3)).containsOnly(0.0);
        assertThat(slide.klByStep()[23]).isPositive();
    }

    @Test
    void sixteenBitStorageIsMeasuredAgainstTheFloat32FullCache() {
        List<Policy> two = List.of(policies.get(0), policies.stream()
                .filter(p -> p.label().equals("SCOPE Slide, 12.5%")).findFirst().orElseThrow());
        for (StorageType storage : List.of(StorageType.BF16, StorageType.F16)) {
            List<Row> halves = FidelityExperiment.run(model, two, sequences, Set.of(HELD), AttentionPath.CACHE, storage, done -> { });
            Row full = halves.get(0);
            // the prompt's logits come from the engine's float32 prefill; every later step reads 16-bit keys and values
            assertThat(full.klByStep()[0]).as(storage.name()).isZero();
            assertThat(full.meanKl()).as(storage.name()).isPositive().isLessThan(row("SCOPE Slide, 12.5%").meanKl());
            assertThat(full.peakLiveBytes() * 2).as(storage.name()).isEqualTo(rows.get(0).peakLiveBytes());
            assertThat(halves.get(1).meanKl()).as(storage.name()).isPositive();
        }
        assertThatThrownBy(() -> FidelityExperiment.run(model, two, sequences, Set.of(HELD), AttentionPath.CACHE, null, done -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("storage type must not be null");
    }

    @Test
    void progressReachesTheAnnouncedTotal() {
        assertThat(progress).isSorted();
        assertThat(progress.get(progress.size() - 1)).isEqualTo(FidelityExperiment.totalWork(policies.size(), sequences));
    }

    @Test
    void theReportHasOneLineAndOnePointPerPolicy() {
        String table = FidelityReport.markdown(rows);
        assertThat(table.lines()).hasSize(policies.size() + 2);
        assertThat(table).contains("| Full cache | 0.0000 | 0.0000 | +0.0000 | 100.0% | 24.0 | 2 of 2 | 100.0% |");
        assertThat(FidelityReport.positionsCsv(rows, 16).lines()).hasSize(1 + policies.size() * 24)
                .contains("\"Full cache\",0,16,0.00000,0.00000,1.0000");
        assertThat(FidelityReport.json(rows)).hasSize(policies.size());
        assertThat(FidelityReport.klMemoryChart(rows, "test").render().getWidth()).isPositive();
        assertThat(FidelityReport.klPositionChart(rows, 16, "test").render().getWidth()).isPositive();
        assertThatThrownBy(() -> FidelityReport.markdown(rows.subList(1, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must include the full cache");
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new Settings(16, 17, 1, 0, 1f, 1f, AttentionPath.CACHE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("continuation of at least 2 tokens");
        assertThatThrownBy(() -> new Settings(24, 64, 0, 0, 1f, 1f, AttentionPath.CACHE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("samples must be at least 1, was 0");
        assertThatThrownBy(() -> new Settings(24, 64, 1, 0, 0f, 1f, AttentionPath.CACHE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("temperature must be positive");
        assertThatThrownBy(() -> FidelityExperiment.sequences(model, OPENINGS, Set.of(),
                new Settings(24, 300, 1, 0, 1f, 1f, AttentionPath.CACHE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds the model's context length 256");
    }

    private static Row row(String label) {
        return rows.stream().filter(r -> r.policy().label().equals(label)).findFirst().orElseThrow();
    }
}
