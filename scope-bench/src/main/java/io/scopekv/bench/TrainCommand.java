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

/**
 * {@code scope-bench train}: trains the tiny decoder on the mini-LongGenBench task and writes a
 * checkpoint, the learning curve (CSV and PNG) and the model as GGUF into {@code --out}.
 */
public final class TrainCommand {

    private TrainCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return Commands.execute("train", options(), args, out, err, parsed -> execute(parsed, out, err));
    }

    private static Options options() {
        return new Options("train", "Trains a Llama-architecture decoder (RMSNorm, RoPE, grouped-query attention, SwiGLU) on\n"
                + "the generated mini-LongGenBench task, in plain Java on the CPU. Writes checkpoint.bin,\n"
                + "curve.csv, curve.png (loss), accuracy.png and model.gguf into DIR at every evaluation.")
                .option("out", "DIR", "output directory (required)", null)
                .flag("resume", "continue from DIR/checkpoint.bin: model, task and optimizer settings come from the "
                        + "checkpoint; --steps may raise the total, --threads applies")
                .flag("force", "start a new run in a DIR that holds a previous one, replacing its files at the "
                        + "first evaluation")
                .option("dim", "N", "model width", "64")
                .option("layers", "N", "transformer blocks", "2")
                .option("heads", "N", "query heads", "4")
                .option("kv-heads", "N", "key/value heads", "2")
                .option("ffn", "N", "SwiGLU hidden width (default: 8/3 of dim, rounded up to a multiple of 8)", null)
                .flag("tied", "reuse the token embedding as the output projection")
                .option("context", "N", "context length (default: the task's length)", null)
                .option("rope-theta", "X", "RoPE base frequency", "10000")
                .option("facts", "N", "facts in the prompt, at most 26", "8")
                .option("questions", "N", "questions answered in the response (default: --facts)", null)
                .option("digits", "N", "digits per value and running sum", "2")
                .option("min-facts", "N", "curriculum: each training task draws its fact count from [N, --facts]; "
                        + "held-out tasks always have --facts facts (default: --facts, no curriculum)", null)
                .option("steps", "N", "optimizer steps", "2000")
                .option("batch", "N", "tasks per step", "16")
                .option("lr", "X", "peak learning rate", "3e-3")
                .option("warmup", "N", "warmup steps", "100")
                .option("weight-decay", "X", "AdamW weight decay on matrices", "0.01")
                .option("clip", "X", "global gradient-norm clip", "1.0")
                .option("seed", "N", "initial weights and training tasks", "1")
                .option("eval-every", "N", "steps between held-out evaluations", "100")
                .option("eval-tasks", "N", "held-out tasks per evaluation", "20")
                .option("threads", "N", "threads over the batch; results do not depend on it", "2");
    }

    private static int execute(Options.Parsed parsed, PrintStream out, PrintStream err) throws UsageException, IOException {
        Path dir = Path.of(parsed.require("out"));
        checkOut(dir, parsed.has("resume"), parsed.has("force"));
        Trainer trainer;
        try {
            trainer = parsed.has("resume") ? resume(dir, parsed) : Trainer.start(config(parsed));
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
        return 0;
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

    private static Trainer resume(Path dir, Options.Parsed p) throws UsageException, IOException {
        Path file = dir.resolve(Trainer.CHECKPOINT);
        if (!Files.exists(file)) {
            throw new IOException("--resume needs " + file + ", which does not exist");
        }
        // 0 keeps the checkpoint's total, so the --steps default must not apply here
        int steps = p.has("steps") ? p.getInt("steps", 0) : 0;
        return Trainer.resume(Checkpoint.read(file), steps, p.getInt("threads", 0));
    }

    private static TrainConfig config(Options.Parsed p) throws UsageException {
        int facts = p.getInt("facts", 0);
        TaskConfig task = new TaskConfig(facts, p.getInt("questions", facts), p.getInt("digits", 0));
        int dim = p.getInt("dim", 0);
        ModelConfig model = new ModelConfig(dim, p.getInt("layers", 0), p.getInt("heads", 0), p.getInt("kv-heads", 0),
                p.getInt("ffn", (dim * 8 / 3 + 7) / 8 * 8), TaskVocabulary.SIZE, p.getInt("context", task.totalLength()),
                p.has("tied"), p.getFloat("rope-theta", 0), 1e-5f);
        return new TrainConfig(model, task, p.getInt("min-facts", facts), p.getInt("steps", 0), p.getInt("batch", 0),
                p.getFloat("lr", 0), p.getInt("warmup", 0), p.getFloat("weight-decay", 0), p.getFloat("clip", 0),
                p.getLong("seed", 0), p.getInt("eval-every", 0), p.getInt("eval-tasks", 0), p.getInt("threads", 0));
    }
}
