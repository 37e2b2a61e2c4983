package io.scopekv.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path dir;

    private final CommandCapture cli = new CommandCapture();

    private int run(String... args) {
        return cli.run(args);
    }

    private String out() {
        return cli.out();
    }

    private String err() {
        return cli.err();
    }

    @Test
    void helpListsEveryCommand() {
        assertThat(run("--help")).isZero();
        assertThat(out()).contains("demo", "mini", "sweep", "replay", "export-trace", "longgenbench", "fidelity", "train");
        for (String command : new String[] {"demo", "mini", "sweep", "replay", "export-trace", "longgenbench", "fidelity",
            "train"}) {
            assertThat(run(command, "--help")).as(command).isZero();
            assertThat(out()).startsWith("Usage: scope-bench " + command);
        }
    }

    @Test
    void demoRunsThePapersTableOnTheShippedModel() throws Exception {
        java.io.ByteArrayOutputStream logs = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.err;
        int rc;
        // the SLF4J simple logger writes to System.err: per-task lines must stay at DEBUG
        System.setErr(new java.io.PrintStream(logs, true, java.nio.charset.StandardCharsets.UTF_8));
        long started = System.nanoTime();
        try {
            rc = run("demo", "--tasks", "1", "--out", dir.toString());
        } finally {
            System.setErr(original);
        }
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(rc).as(err()).isZero();
        String log = logs.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(log.lines().filter(l -> !l.startsWith("WARNING")).count()).as(log).isLessThanOrEqualTo(2);
        // one bar with an ETA over every task (each policy's warm-up task included), no line per policy
        // the bar stays silent for a run shorter than its quiet window (a fast JVM finishes one task
        // in under 2 s), so it is required only of runs well past that window
        if (elapsedMillis > 5000) {
            assertThat(err()).containsPattern("mini \\[#+-*\\] +\\d+% \\d+/\\d+ ETA \\d+:\\d\\d");
        }
        assertThat(err()).doesNotContain("answers right");
        assertThat(out()).contains("| decode tokens/s (median of tasks) |");
        assertThat(out()).contains("26 facts, 26 questions", "| Full cache | 100.0% | 100.0% |", "| SnapKV + Slide, 25% |");
        assertThat(dir.resolve("mini").resolve("results.md")).content().contains("| SCOPE Discontinuous, 12.5% |");
        assertThat(dir.resolve("mini").resolve("results.json")).content().contains("\"tasks\": 1");
        assertThat(javax.imageio.ImageIO.read(dir.resolve("mini").resolve("accuracy-memory.png").toFile())).isNotNull();
        assertThat(run("demo", "--tasks", "0")).isEqualTo(2);
        assertThat(err()).contains("Invalid value for option '--tasks': '0' is not a positive integer");
        assertThat(run("mini", "--model", dir.resolve("none.gguf").toString())).isEqualTo(2);
        assertThat(err()).contains("is not a file");
        assertThat(run("mini", "--attention", "gpu")).isEqualTo(2);
        assertThat(err()).contains("Invalid value for option '--attention': 'gpu' is not one of engine, cache");
    }

    @Test
    void badArgumentsExitWithStatusTwoAndSayWhy() {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err()).contains("unknown command 'frobnicate'");
        assertThat(run("sweep", "--windows")).isEqualTo(2);
        assertThat(err()).contains("Missing required parameter for option '--windows' (W)");
        assertThat(run("sweep", "--bogus", "1")).isEqualTo(2);
        assertThat(err()).contains("Unknown options: '--bogus', '1'");
        assertThat(run("sweep", "--windows", "64,32", "--recent", "64")).isEqualTo(2);
        assertThat(err()).contains("W > R");
        assertThat(run("sweep", "--paper=yes")).isEqualTo(2);
        assertThat(err()).contains("Invalid value for option '--paper': 'yes' is not a boolean");
        assertThat(run("sweep", "--layout", "2,3,2,8")).isEqualTo(2);
        assertThat(err()).contains("multiple of kvHeads");
        assertThat(run("replay", "--trace", dir.toString())).isEqualTo(2);
        assertThat(err()).contains("Missing required options: '--policy=SPEC', '--out=DIR'");
        assertThat(run("replay", "--trace", dir.toString(), "--policy", "decoding=lru", "--out", dir.resolve("o").toString())).isEqualTo(2);
        assertThat(err()).contains("unknown decoding strategy 'lru'");
        assertThat(run("replay", "--trace", dir.resolve("none").toString(), "--policy", "prefill=full", "--out", dir.resolve("o").toString()))
                .isEqualTo(1);
        assertThat(err()).contains("meta.json");
        assertThat(run("demo", "stray")).isEqualTo(2);
        for (String command : new String[] {"train", "longgenbench"}) {
            assertThat(run(command, "--bogus", "1")).as(command).isEqualTo(2);
            assertThat(err()).startsWith("scope-bench " + command + ": Unknown options: '--bogus', '1'")
                    .contains("Run 'scope-bench " + command + " --help' for usage.");
        }
        assertThat(run("longgenbench", "--policy")).isEqualTo(2);
        assertThat(err()).contains("Missing required parameter for option '--policy' (SPEC)");
        assertThat(run("train", "--out", dir.toString(), "--resume=yes")).isEqualTo(2);
        assertThat(err()).contains("Invalid value for option '--resume': 'yes' is not a boolean");
    }

    @Test
    void exportThenReplayFromTheCommandLine() throws Exception {
        Path trace = dir.resolve("trace");
        assertThat(run("export-trace", "--layout", "1,2,1,16", "--steps", "40", "--out", trace.toString())).isZero();
        assertThat(trace.resolve("q.npy")).exists();
        Path out = dir.resolve("replay");
        assertThat(run("replay", "--trace", trace.toString(), "--policy", "prefill=snapkv(P=300,w=8),decoding=slide(W=16,R=8)",
                "--out", out.toString())).isZero();
        assertThat(out()).contains("\"selections\"").contains("\"maxRelativeError\"");
        assertThat(Files.readAllLines(out.resolve("kept.jsonl"))).hasSize(41);
    }

    @Test
    void resultsAreNeverSilentlyReplaced() throws Exception {
        Path trace = dir.resolve("trace");
        String[] export = {"export-trace", "--layout", "1,2,1,16", "--steps", "8", "--out", trace.toString()};
        assertThat(run(export)).isZero();
        String meta = Files.readString(trace.resolve("meta.json"));
        assertThat(run(export)).isEqualTo(1);
        assertThat(err()).contains("scope-bench export-trace: " + trace + " already holds results; pass --force");
        assertThat(trace.resolve("meta.json")).hasContent(meta);
        assertThat(run("export-trace", "--layout", "1,2,1,16", "--steps", "4", "--out", trace.toString(), "--force")).isZero();
        assertThat(trace.resolve("meta.json")).content().contains("\"decodeSteps\": 4");

        Path out = dir.resolve("replay");
        String[] replay = {"replay", "--trace", trace.toString(), "--policy", "prefill=full", "--out", out.toString()};
        assertThat(run(replay)).isZero();
        assertThat(run("replay", "--trace", trace.toString(), "--policy", "decoding=slide(W=4,R=2)", "--out", out.toString()))
                .isEqualTo(1);
        assertThat(err()).contains("already holds results");
        assertThat(out.resolve("summary.json")).content().doesNotContain("slide");
        try (var siblings = Files.list(dir)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("trace", "replay");
        }
    }

    @Test
    void outIsCheckedBeforeAnyWorkAndMessagesNameThePathAndTheReason() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        long start = System.nanoTime();
        assertThat(run("mini", "--out", file.toString())).isEqualTo(1);
        assertThat(err()).contains("scope-bench mini: cannot create " + file.resolve("mini") + ": ")
                .contains(" is not a directory");
        assertThat(out()).as("no policy ran").isEmpty();
        Path trace = dir.resolve("trace");
        assertThat(run("export-trace", "--layout", "1,2,1,16", "--steps", "4", "--out", trace.toString())).isZero();
        assertThat(run("replay", "--trace", trace.toString(), "--policy", "prefill=full", "--out", "/proc/x")).isEqualTo(1);
        assertThat(err()).startsWith("scope-bench replay: cannot create").contains("/proc/x: ");
        assertThat(run("export-trace", "--out", file.toString())).isEqualTo(1);
        assertThat(err()).contains(file + " exists and is not a directory");
        assertThat(run("sweep", "--out", file.toString())).isEqualTo(1);
        assertThat(err()).contains("is not a directory");
        assertThat((System.nanoTime() - start) / 1e9).as("seconds: refused before running anything").isLessThan(20);
    }

    @Test
    void sweepsThatDifferInTheirPoliciesGetTheirOwnDirectories() throws Exception {
        String[] slide = {"sweep", "--layout", "1,2,1,16", "--policies", "slide", "--out", dir.toString()};
        assertThat(run(slide)).isZero();
        assertThat(run("sweep", "--layout", "1,2,1,16", "--policies", "h2o", "--out", dir.toString())).isZero();
        try (var dirs = Files.list(dir)) {
            assertThat(dirs.filter(p -> p.getFileName().toString().startsWith("sweep-"))).hasSize(2);
        }
        assertThat(run(slide)).isEqualTo(1);
        assertThat(err()).contains("already holds results; pass --force");
    }
}
