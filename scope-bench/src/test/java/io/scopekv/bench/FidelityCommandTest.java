package io.scopekv.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.scopekv.bench.engine.RandomModel;
import io.scopekv.bench.gguf.GgmlType;
import io.scopekv.bench.io.JsonFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command end to end on a random-weight model with a byte tokenizer: outputs, overwrite rule, bad input. */
class FidelityCommandTest {

    @TempDir
    static Path dir;
    private static Path model;

    private final CommandCapture cli = new CommandCapture();

    @BeforeAll
    static void writeModel() throws Exception {
        model = RandomModel.llama(4, 2, GgmlType.F32).withByteTokenizer().write(dir);
    }

    private int fidelity(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("fidelity", "--model", model.toString(),
                "--prompt-tokens", "12", "--out", out.toString()));
        args.addAll(List.of(extra));
        return cli.run(args.toArray(String[]::new));
    }

    @Test
    void writesTheTableTheCsvTheJsonAndBothCharts() throws Exception {
        Path out = dir.resolve("run");
        assertThat(fidelity(out, "--samples", "2", "--tokens", "24")).as(cli.err()).isZero();
        assertThat(cli.out()).contains("2 samples, prompt 12 tokens, continuation 12", "| Full cache | 0.0000 |",
                "| SCOPE Slide, 25% |", "| H2O unified, accumulated from prefill, 12.5% |", "results in " + out);
        for (String file : List.of("results.md", "results.json", "positions.csv", "kl-memory.png", "kl-position.png")) {
            assertThat(out.resolve(file)).isNotEmptyFile();
        }
        Map<String, Object> json = JsonFormat.parseObject(Files.readString(out.resolve("results.json"), StandardCharsets.UTF_8));
        assertThat(json).containsEntry("continuation_tokens", 12);
        assertThat((List<?>) json.get("rows")).hasSize(20);
        assertThat((List<?>) json.get("sequences")).hasSize(2);
        assertThat(Files.readAllLines(out.resolve("positions.csv"))).hasSize(1 + 20 * 12);
        // the results stay unless --force replaces them
        assertThat(fidelity(out, "--samples", "2", "--tokens", "24")).isEqualTo(1);
        assertThat(cli.err()).contains("already holds results; pass --force");
        assertThat(fidelity(out, "--samples", "1", "--tokens", "24", "--force")).as(cli.err()).isZero();
    }

    @Test
    void sixteenBitStorageRunsAgainstTheFloat32Reference() throws Exception {
        Path out = dir.resolve("bf16-run");
        assertThat(fidelity(out, "--samples", "1", "--tokens", "24", "--storage", "BF16", "--attention", "engine"))
                .as(cli.err()).isZero();
        assertThat(Files.readString(out.resolve("results.md"))).contains("policies' K/V stored as BF16, the full-cache "
                + "reference as FLOAT32");
        Map<String, Object> json = JsonFormat.parseObject(Files.readString(out.resolve("results.json"), StandardCharsets.UTF_8));
        assertThat(json).containsEntry("storage", "BF16");
        Map<?, ?> full = (Map<?, ?>) ((List<?>) json.get("rows")).get(0);
        assertThat(full.get("label")).isEqualTo("Full cache");
        assertThat((Double) full.get("mean_kl")).isPositive();
    }

    @Test
    void readsOpeningsFromAFile() throws Exception {
        Path prompts = dir.resolve("prompts.txt");
        Files.writeString(prompts, "# two openings\nThe cat sat\n\nA dog ran\n");
        Path out = dir.resolve("prompts-run");
        assertThat(fidelity(out, "--prompts", prompts.toString(), "--samples", "1", "--tokens", "16")).as(cli.err()).isZero();
        assertThat(cli.out()).contains("; 2 openings");
        assertThat(Files.readString(out.resolve("results.json"))).contains("\"opening\": \"The cat sat\"");
    }

    @Test
    void badInputIsAUsageErrorAndWritesNothing() {
        Path out = dir.resolve("bad");
        assertThat(fidelity(out, "--tokens", "2000")).isEqualTo(2);
        assertThat(cli.err()).contains("--tokens 2000 exceeds the model's context length 1024");
        assertThat(fidelity(out, "--tokens", "13")).isEqualTo(2);
        assertThat(cli.err()).contains("continuation of at least 2 tokens");
        assertThat(cli.run("fidelity", "--out", out.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("Missing required option: '--model=FILE'");
        assertThat(fidelity(out, "--storage", "INT8")).isEqualTo(2);
        assertThat(cli.err()).contains("Invalid value for option '--storage': 'INT8' is not one of FLOAT32, BF16, F16");
        assertThat(fidelity(out, "--prompts", dir.resolve("missing.txt").toString())).isEqualTo(2);
        assertThat(cli.err()).contains("is not a file");
        assertThat(out).doesNotExist();
    }

    @Test
    void anotherArchitectureIsRefusedNamingIt() throws Exception {
        Path gemma = RandomModel.llama(4, 2, GgmlType.F32).withByteTokenizer().withArchitecture("gemma2")
                .write(dir);
        Path out = dir.resolve("gemma-run");
        assertThat(cli.run("fidelity", "--model", gemma.toString(), "--out", out.toString())).isEqualTo(1);
        assertThat(cli.err()).contains("unsupported architecture 'gemma2'; supported: llama, qwen2");
        assertThat(out).doesNotExist();
    }
}
