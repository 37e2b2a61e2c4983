package io.scopekv.bench.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.scopekv.CacheLayout;
import io.scopekv.bench.io.JsonFormat;
import io.scopekv.bench.policies.PolicyRegistry;
import io.scopekv.bench.workload.WorkloadConfig;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepReportTest {
    @TempDir
    Path dir;

    @Test
    void writesTableCsvJsonAndCharts() throws IOException {
        WorkloadConfig workload = WorkloadConfig.defaults().withLayout(CacheLayout.of(1, 2, 1, 16))
                .withLengths(24, 2, 8, 4, 64).withSeed(5);
        SweepConfig config = new SweepConfig(workload, 26, List.of(8, 16), 4, List.of("slide", "discontinuous", "snapkv"));
        Sweep.Result result = Sweep.run(config, null);
        int rows = PolicyRegistry.variants(config.policies(), config.budgets()).size();
        assertThat(result.rows()).hasSize(rows);

        Path out = dir.resolve(config.directoryName());
        List<Path> files = SweepReport.write(result, out);
        assertThat(config.directoryName()).startsWith("sweep-L1-H2x1-d16-M44-T64-P26-W8_16-R4-seed5-").hasSize(53);
        SweepConfig otherPolicies = new SweepConfig(workload, 26, List.of(8, 16), 4, List.of("slide"));
        assertThat(otherPolicies.directoryName()).as("the policy set is part of the name")
                .isNotEqualTo(config.directoryName());
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder("config.json",
                "metrics.json", "steps.csv", "results.md", "quality-vs-memory.png", "kept-tokens-W8.png",
                "resident-bytes-W8.png", "kept-tokens-W16.png", "resident-bytes-W16.png", "kept-tokens-zoom-W8.png",
                "kept-tokens-zoom-W16.png");

        Map<String, Object> cfg = JsonFormat.parseObject(Files.readString(out.resolve("config.json")));
        assertThat(cfg).containsEntry("seed", 5).containsEntry("prefillBudget", 26);
        assertThat(((Map<?, ?>) cfg.get("workload")).get("questions")).isEqualTo(2);
        Map<String, Object> metrics = JsonFormat.parseObject(Files.readString(out.resolve("metrics.json")));
        assertThat((List<?>) metrics.get("policies")).hasSize(rows);

        List<String> csv = Files.readAllLines(out.resolve("steps.csv"));
        assertThat(csv).hasSize(1 + rows * (64 + 1));
        assertThat(csv.get(0)).startsWith("policy,step,relative_error");

        String table = Files.readString(out.resolve("results.md"));
        assertThat(table.lines().filter(l -> l.startsWith("| ")).count()).isEqualTo(1 + rows);
        assertThat(table).contains("| Full | 100.0 |").contains("SCOPE Discontinuous W=16");

        for (Path png : files.stream().filter(p -> p.toString().endsWith(".png")).toList()) {
            BufferedImage image = ImageIO.read(png.toFile());
            assertThat(image.getWidth()).isEqualTo(1100);
            assertThat(image.getHeight()).isEqualTo(640);
        }
    }

    @Test
    void defaultsUseThePapersDecodingRatios() {
        SweepConfig config = SweepConfig.defaults(WorkloadConfig.defaults());
        assertThat(config.windows()).containsExactly(1024 / 8, 1024 / 4);
        assertThat(config.recent()).isEqualTo(1024 / 16);
        assertThat(config.policies()).containsExactlyElementsOf(PolicyRegistry.names());
        SweepConfig paper = SweepConfig.paper(WorkloadConfig.paper());
        assertThat(paper.prefillBudget()).isEqualTo(2048);
        assertThat(paper.windows()).containsExactly(512, 1024);
        assertThat(paper.recent()).isEqualTo(256);
    }
}
