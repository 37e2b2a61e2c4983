package io.scopekv.bench.longgenbench;

import static org.assertj.core.api.Assertions.assertThat;

import io.scopekv.bench.CommandCapture;
import io.scopekv.bench.engine.RandomModel;
import io.scopekv.bench.gguf.GgmlType;
import io.scopekv.bench.io.JsonFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline on a tiny random model with a byte-level tokenizer, and the command's errors. */
class LongGenBenchCommandTest {

    @TempDir
    Path dir;

    private final CommandCapture cli = new CommandCapture("longgenbench");

    private int run(String... args) {
        return cli.run(args);
    }

    private Path data(String name, String prompt) throws IOException {
        Path file = dir.resolve(name);
        String line = JsonFormat.write(Map.of("prompt", prompt, "questions", List.of("1+1?", "2+2?"),
                "answers", List.of("1 + 1 = 2\n#### 2", "#### 4")));
        Files.writeString(file, line + "\n" + line + "\n");
        return file;
    }

    @Test
    void runsEveryPolicyAndWritesPredictionsScoresAndSummary() throws IOException {
        Path model = RandomModel.llama(4, 2, GgmlType.F32).withByteTokenizer().write(dir);
        Path data = data("gsm8k_2.jsonl", "Examples: \nQuestion_1:\n1+1?\nQuestion_2:\n2+2?\n\n");
        Path results = dir.resolve("results");
        String snap = "prefill=snapkv(P=64,w=4),decoding=slide(W=48,R=16)";
        int rc = run("--model", model.toString(), "--data", data.toString(), "--policy", "prefill=full",
                "--policy", snap, "--max-new-tokens", "6", "--out", results.toString(), "--attention", "cache");
        assertThat(rc).as(cli.err()).isZero();

        List<String> summary = Files.readAllLines(results.resolve("summary.tsv"));
        assertThat(summary).hasSize(3);
        assertThat(cli.out()).as("the printed rows come with their header")
                .startsWith(summary.get(0) + "\n" + summary.get(1) + "\n" + summary.get(2) + "\n");
        assertThat(summary.get(1)).startsWith("prefill=full\tgsm8k\t2\t");
        assertThat(summary.get(2)).startsWith(snap + "\tgsm8k\t2\t");
        for (String policy : List.of("prefill=full", snap)) {
            Path policyDir = results.resolve(LongGenBenchRunner.directoryName(policy));
            List<String> lines = Files.readAllLines(policyDir.resolve("predictions.jsonl"));
            assertThat(lines).hasSize(2);
            List<String> responses = new ArrayList<>();
            for (String line : lines) {
                Map<?, ?> p = (Map<?, ?>) JsonFormat.parse(line);
                assertThat(p.get("policy")).isEqualTo(policy);
                assertThat(((Number) p.get("generated_tokens")).intValue()).isBetween(1, 6);
                assertThat(((Number) p.get("prompt_tokens")).doubleValue()).isGreaterThan(300.0);
                assertThat(p.get("gold")).isEqualTo(List.of("2", "4"));
                assertThat(((Number) p.get("decode_tokens_per_second")).doubleValue()).isGreaterThanOrEqualTo(0.0);
                responses.add((String) p.get("pred"));
            }
            Map<?, ?> scores = (Map<?, ?>) JsonFormat.parse(Files.readString(policyDir.resolve("scores.json")));
            double expected = LongGenBenchScorer.score(LongGenBenchTask.GSM8K, responses,
                    List.of(List.of("1 + 1 = 2\n#### 2", "#### 4"), List.of("1 + 1 = 2\n#### 2", "#### 4")));
            assertThat(((Number) scores.get("score")).doubleValue()).isEqualTo(expected);
            assertThat(((Number) scores.get("cache_peak_live_bytes")).doubleValue()).isPositive();
        }
        // the prompt is longer than 64 tokens, so SnapKV keeps fewer tokens than the full cache
        Map<?, ?> full = (Map<?, ?>) JsonFormat.parse(Files.readAllLines(results.resolve("prefill=full").resolve("predictions.jsonl")).get(0));
        Map<?, ?> compressed = (Map<?, ?>) JsonFormat.parse(Files.readAllLines(
                results.resolve(LongGenBenchRunner.directoryName(snap)).resolve("predictions.jsonl")).get(0));
        assertThat(((Number) compressed.get("cache_kept_tokens")).doubleValue()).isLessThan(((Number) full.get("cache_kept_tokens")).doubleValue());
    }

    @Test
    void reportsClearErrors() throws IOException {
        assertThat(run("--help")).isZero();
        assertThat(cli.out()).startsWith("Usage: scope-bench longgenbench").contains("--policy=SPEC", "(repeatable)");

        Path data = data("gsm8k_2.jsonl", "short prompt");
        assertThat(run("--model", dir.resolve("absent.gguf").toString(), "--data", data.toString(), "--policy", "prefill=full"))
                .isEqualTo(2);
        assertThat(cli.err()).contains("scope-bench longgenbench: Invalid value for option '--model': '"
                + dir.resolve("absent.gguf") + "' is not a file (no such file)")
                .contains("Run 'scope-bench longgenbench --help' for usage.");

        Path model = RandomModel.llama(4, 2, GgmlType.F32).withByteTokenizer().write(dir);
        assertThat(run("--model", model.toString(), "--data", data.toString(), "--policy", "prefill=nope")).isEqualTo(2);
        assertThat(cli.err()).contains("unknown prefill compressor 'nope'");

        assertThat(run("--model", model.toString(), "--data", data.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("Missing required option: '--policy=SPEC'");

        assertThat(run("--model", model.toString(), "--data", data.toString(), "--policy", "prefill=full",
                "--attention", "gpu")).isEqualTo(2);
        assertThat(cli.err()).contains("Invalid value for option '--attention': 'gpu' is not one of engine, cache");

        Path longData = data("gsm8k_long.jsonl", "x".repeat(2000));
        assertThat(run("--model", model.toString(), "--data", longData.toString(), "--policy", "prefill=full",
                "--out", dir.resolve("r").toString())).isEqualTo(1);
        assertThat(cli.err()).contains("does not fit the model's context length 1024").doesNotContain("--help");

        Path mistral = RandomModel.llama(4, 2, GgmlType.F32).withByteTokenizer().withArchitecture("gptneox").write(dir);
        assertThat(run("--model", mistral.toString(), "--data", data.toString(), "--policy", "prefill=full",
                "--out", dir.resolve("r").toString())).isEqualTo(1);
        assertThat(cli.err()).contains("unsupported architecture 'gptneox'");

        assertThat(run("--model", model.toString(), "--data", data.toString(), "--policy", "prefill=full", "--examples", "0"))
                .isEqualTo(2);
        assertThat(cli.err()).contains("Invalid value for option '--examples': '0' is not a positive integer");
    }
}
