package io.scopekv.bench.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.scopekv.bench.CommandCapture;
import io.scopekv.bench.engine.LlamaModel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {

    @TempDir
    Path dir;

    private final CommandCapture cli = new CommandCapture("train");

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void helpPrintsUsage() {
        assertThat(run("--help")).isZero();
        assertThat(cli.out()).startsWith("Usage: scope-bench train")
                .contains("--out=DIR", "--facts=N", "--lr=X", "(default: 3e-3)", "--tied", "--resume");
    }

    @Test
    void usageErrorsNameTheProblem() {
        assertThat(run("--steps", "3")).isEqualTo(2);
        assertThat(cli.err()).contains("scope-bench train: Missing required option: '--out=DIR'",
                "Run 'scope-bench train --help' for usage.");
        assertThat(run("--out", dir.toString(), "--bogus", "1")).isEqualTo(2);
        assertThat(cli.err()).contains("Unknown options: '--bogus', '1'");
        assertThat(run("--out", dir.toString(), "--dim", "wide")).isEqualTo(2);
        assertThat(cli.err()).contains("Invalid value for option '--dim': 'wide' is not an integer");
        assertThat(run("--out", dir.toString(), "--lr", "fast")).isEqualTo(2);
        assertThat(cli.err()).contains("Invalid value for option '--lr': 'fast' is not a finite number");
        assertThat(run("--out", dir.toString(), "--seed", "x")).isEqualTo(2);
        assertThat(cli.err()).contains("Invalid value for option '--seed': 'x' is not an integer");
        assertThat(run("--out", dir.toString(), "--facts", "30")).isEqualTo(2);
        assertThat(cli.err()).contains("scope-bench train: facts must be in [1, 26], was 30",
                "Run 'scope-bench train --help' for usage.");
        assertThat(run("--out", dir.toString(), "--facts", "4", "--min-facts", "5")).isEqualTo(2);
        assertThat(cli.err()).contains("minFacts must be in [1, facts = 4], was 5");
        assertThat(run("--out", dir.toString(), "--rope-theta", "-1")).isEqualTo(2);
        assertThat(cli.err()).contains("ropeTheta and rmsEps must be positive");
        assertThat(run("--out", dir.resolve("none").toString(), "--resume")).isEqualTo(1);
        assertThat(cli.err()).contains("scope-bench train: --resume needs").doesNotContain("--help");
    }

    @Test
    void trainsResumesAndWritesALoadableModel() throws Exception {
        String[] tiny = {"--out", dir.toString(), "--dim", "16", "--layers", "1", "--heads", "2", "--kv-heads", "1",
            "--facts", "3", "--min-facts", "1", "--digits", "1", "--rope-theta", "500000", "--steps", "2", "--batch", "2",
            "--eval-every", "2", "--eval-tasks", "2"};
        assertThat(run(tiny)).isZero();
        assertThat(cli.out()).contains("step 2,", "held-out answers right");
        assertThat(cli.err()).as("the progress line says whose loss it shows").contains("this batch: loss ");
        String checkpoint = java.util.Arrays.toString(java.nio.file.Files.readAllBytes(dir.resolve(Trainer.CHECKPOINT)));
        assertThat(run(tiny)).as("a second run into the same DIR").isEqualTo(2);
        assertThat(cli.err()).contains("--out " + dir + " already holds a run (checkpoint.bin); pass --resume to continue "
                + "it or --force to replace it");
        assertThat(java.util.Arrays.toString(java.nio.file.Files.readAllBytes(dir.resolve(Trainer.CHECKPOINT))))
                .isEqualTo(checkpoint);
        assertThat(run("--out", dir.toString(), "--resume", "--force")).isEqualTo(2);
        assertThat(cli.err()).contains("give one of them");
        assertThat(run("--out", dir.toString(), "--resume", "--steps", "4")).isZero();
        assertThat(cli.out()).contains("step 4,");
        try (var files = java.nio.file.Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no partial files")
                    .containsExactlyInAnyOrder(Trainer.CHECKPOINT, Trainer.MODEL, Trainer.CURVE_CSV, Trainer.CURVE_PNG,
                            Trainer.ACCURACY_PNG);
        }
        try (LlamaModel model = LlamaModel.load(dir.resolve(Trainer.MODEL))) {
            assertThat(model.config().dim()).isEqualTo(16);
            assertThat(model.config().ropeTheta()).isEqualTo(500000f);
            assertThat(model.config().vocabSize()).isEqualTo(TaskVocabulary.SIZE);
        }
    }
}
