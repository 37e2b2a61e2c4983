package io.scopekv.bench;

import io.scopekv.bench.io.OutputDirectory;
import io.scopekv.bench.train.Checkpoint;
import io.scopekv.bench.train.EvalPoint;
import io.scopekv.bench.train.ModelConfig;
import io.scopekv.bench.train.TaskConfig;
import io.scopekv.bench.train.TaskVocabulary;
import io.scopekv.bench.train.TrainConfig;
import io.scopekv.bench.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scope-bench train}: trains the tiny decoder on the mini-LongGenBench task and writes a
 * checkpoint, the learning curve (CSV and PNG) and the model as GGUF into {@code --out}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, description = {
    "Train a tiny Llama model on the mini-LongGenBench task and export it as GGUF.",
    "%nTrains a Llama-architecture decoder (RMSNorm, RoPE, grouped-query attention, SwiGLU) on the generated "
        + "mini-LongGenBench task, in plain Java on the CPU. Writes checkpoint.bin, curve.csv, curve.png (loss), "
        + "accuracy.png and model.gguf into DIR at every evaluation."})
final class TrainCommand implements Callable<Integer> {

    private static final int DEFAULT_STEPS = 2000;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "output directory")
    Path dir;

    @Option(names = "--resume", description = "continue from DIR/checkpoint.bin: model, task and optimizer settings "
            + "come from the checkpoint; --steps may raise the total, --threads applies")
    boolean resume;

    @Option(names = "--force", description = "start a new run in a DIR that holds a previous one, replacing its files "
            + "at the first evaluation")
    boolean force;

    @Option(names = "--dim", paramLabel = "N", defaultValue = "64", description = "model width (default: ${DEFAULT-VALUE})")
    int dim;

    @Option(names = "--layers", paramLabel = "N", defaultValue = "2", description = "transformer blocks (default: ${DEFAULT-VALUE})")
    int layers;

    @Option(names = "--heads", paramLabel = "N", defaultValue = "4", description = "query heads (default: ${DEFAULT-VALUE})")
    int heads;

    @Option(names = "--kv-heads", paramLabel = "N", defaultValue = "2", description = "key/value heads (default: ${DEFAULT-VALUE})")
    int kvHeads;

    @Option(names = "--ffn", paramLabel = "N",
            description = "SwiGLU hidden width (default: 8/3 of dim, rounded up to a multiple of 8)")
    Integer ffn;

    @Option(names = "--tied", description = "reuse the token embedding as the output projection")
    boolean tied;

    @Option(names = "--context", paramLabel = "N", description = "context length (default: the task's length)")
    Integer context;

    @Option(names = "--rope-theta", paramLabel = "X", defaultValue = "10000",
            description = "RoPE base frequency (default: ${DEFAULT-VALUE})")
    float ropeTheta;

    @Option(names = "--facts", paramLabel = "N", defaultValue = "8",
            description = "facts in the prompt, at most 26 (default: ${DEFAULT-VALUE})")
    int facts;

    @Option(names = "--questions", paramLabel = "N", description = "questions answered in the response (default: --facts)")
    Integer questions;

    @Option(names = "--digits", paramLabel = "N", defaultValue = "2",
            description = "digits per value and running sum (default: ${DEFAULT-VALUE})")
    int digits;

    @Option(names = "--min-facts", paramLabel = "N", description = "curriculum: each training task draws its fact "
            + "count from [N, --facts]; held-out tasks always have --facts facts (default: --facts, no curriculum)")
    Integer minFacts;

    @Option(names = "--steps", paramLabel = "N", description = "optimizer steps (default: " + DEFAULT_STEPS
            + "; with --resume, the checkpoint's total)")
    Integer steps;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "16", description = "tasks per step (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--lr", paramLabel = "X", defaultValue = "3e-3", description = "peak learning rate (default: ${DEFAULT-VALUE})")
    float lr;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "100", description = "warmup steps (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--weight-decay", paramLabel = "X", defaultValue = "0.01",
            description = "AdamW weight decay on matrices (default: ${DEFAULT-VALUE})")
    float weightDecay;

    @Option(names = "--clip", paramLabel = "X", defaultValue = "1.0",
            description = "global gradient-norm clip (default: ${DEFAULT-VALUE})")
    float clip;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "initial weights and training tasks (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--eval-every", paramLabel = "N", defaultValue = "100",
            description = "steps between held-out evaluations (default: ${DEFAULT-VALUE})")
    int evalEvery;

    @Option(names = "--eval-tasks", paramLabel = "N", defaultValue = "20",
            description = "held-out tasks per evaluation (default: ${DEFAULT-VALUE})")
    int evalTasks;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
            description = "threads over the batch; results do not depend on it (default: ${DEFAULT-VALUE})")
    int threads;

    private final PrintStream out;
    private final PrintStream err;

    TrainCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws UsageException, IOException {
        checkOut(dir, resume, force);
        Trainer trainer;
        try {
            trainer = resume ? resume() : Trainer.start(config());
        } catch (IllegalArgumentException e) {
            // the configuration records check the options together, so what they reject is the command line
            throw new UsageException(e.getMessage());
        }
        TrainConfig c = trainer.config();
        out.printf(Locale.ROOT, "train: %d parameters, task of %d tokens (%d prompt + %d response), %s steps from %d%n",
                trainer.layout().size(), c.task().totalLength(), c.task().promptLength(), c.task().responseLength(),
                c.steps(), trainer.step());
        try {
            trainer.run(dir, err);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        EvalPoint last = trainer.curve().get(trainer.curve().size() - 1);
        out.printf(Locale.ROOT, "step %d, %.0f s: held-out answers right %.1f%% (greedy), %.1f%% (forced); files in %s%n",
                last.step(), last.seconds(), 100 * last.greedyAccuracy(), 100 * last.forcedAccuracy(), dir);
        return Commands.OK;
    }

    /** Refuses, before any work, a DIR that cannot be written or whose previous run would be replaced silently. */
    private static void checkOut(Path dir, boolean resume, boolean force) throws UsageException, IOException {
        if (resume && force) {
            throw new UsageException("--resume continues the run in --out and --force replaces it: give one of them");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException("--out " + dir + " exists and is not a directory");
        }
        if (!resume && !force) {
            for (String name : new String[] {Trainer.CHECKPOINT, Trainer.MODEL}) {
                if (Files.exists(dir.resolve(name))) {
                    throw new UsageException("--out " + dir + " already holds a run (" + name + "); pass --resume to "
                            + "continue it or --force to replace it");
                }
            }
        }
        OutputDirectory.check(dir, true);
    }

    private Trainer resume() throws IOException {
        Path file = dir.resolve(Trainer.CHECKPOINT);
        if (!Files.exists(file)) {
            throw new IOException("--resume needs " + file + ", which does not exist");
        }
        // 0 keeps the checkpoint's total
        return Trainer.resume(Checkpoint.read(file), steps == null ? 0 : steps, threads);
    }

    private TrainConfig config() {
        TaskConfig task = new TaskConfig(facts, questions == null ? facts : questions, digits);
        ModelConfig model = new ModelConfig(dim, layers, heads, kvHeads, ffn == null ? (dim * 8 / 3 + 7) / 8 * 8 : ffn,
                TaskVocabulary.SIZE, context == null ? task.totalLength() : context, tied, ropeTheta, 1e-5f);
        return new TrainConfig(model, task, minFacts == null ? facts : minFacts, steps == null ? DEFAULT_STEPS : steps,
                batch, lr, warmup, weightDecay, clip, seed, evalEvery, evalTasks, threads);
    }
}
