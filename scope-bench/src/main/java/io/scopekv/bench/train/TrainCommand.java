package io.scopekv.bench.train;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code train --out DIR [options]}: trains the tiny decoder on the mini-LongGenBench task and
 * writes a checkpoint, the learning curve (CSV and PNG) and the model as GGUF into DIR.
 */
public final class TrainCommand {

    static final String USAGE = """
            usage: train --out DIR [--resume] [model, task and optimizer options]

            Trains a Llama-architecture decoder (RMSNorm, RoPE, grouped-query attention, SwiGLU) on
            the generated mini-LongGenBench task, in plain Java on the CPU. Writes checkpoint.bin,
            curve.csv, curve.png and model.gguf into DIR at every evaluation.

              --out DIR            output directory (required)
              --resume             continue from DIR/checkpoint.bin: model, task and optimizer settings
                                   come from the checkpoint; --steps may raise the total, --threads applies
            model:
              --dim N              model width (default 64)
              --layers N           transformer blocks (default 2)
              --heads N            query heads (default 4)
              --kv-heads N         key/value heads (default 2)
              --ffn N              SwiGLU hidden width (default 8/3 of dim, rounded up to a multiple of 8)
              --tied               reuse the token embedding as the output projection
              --context N          context length (default: the task's length)
              --rope-theta X       RoPE base frequency (default 10000)
            task:
              --facts N            facts in the prompt, at most 26 (default 8)
              --questions N        questions answered in the response (default: facts)
              --digits N           digits per value and running sum (default 2)
              --min-facts N        curriculum: each training task draws its fact count from
                                   [N, --facts] (default: --facts, no curriculum); held-out tasks
                                   always have --facts facts
            optimizer:
              --steps N            optimizer steps (default 2000)
              --batch N            tasks per step (default 16)
              --lr X               peak learning rate (default 3e-3)
              --warmup N           warmup steps (default 100)
              --weight-decay X     AdamW weight decay on matrices (default 0.01)
              --clip X             global gradient-norm clip (default 1.0)
              --seed N             initial weights and training tasks (default 1)
              --eval-every N       steps between held-out evaluations (default 100)
              --eval-tasks N       held-out tasks per evaluation (default 20)
              --threads N          threads over the batch; results do not depend on it (default 2)
              --help               this text
            """;

    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("--dim", "64"), Map.entry("--layers", "2"), Map.entry("--heads", "4"), Map.entry("--kv-heads", "2"),
            Map.entry("--facts", "8"), Map.entry("--digits", "2"), Map.entry("--steps", "2000"),
            Map.entry("--batch", "16"), Map.entry("--lr", "3e-3"), Map.entry("--warmup", "100"),
            Map.entry("--weight-decay", "0.01"), Map.entry("--clip", "1.0"), Map.entry("--seed", "1"),
            Map.entry("--eval-every", "100"), Map.entry("--rope-theta", "10000"), Map.entry("--eval-tasks", "20"), Map.entry("--threads", "2"));

    private TrainCommand() {
    }

    /** Runs the command; returns 0 on success, 1 when the run fails, 2 for a usage error. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options = new TreeMap<>();
        boolean resume = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "--help", "-h" -> {
                    out.print(USAGE);
                    return 0;
                }
                case "--resume" -> resume = true;
                case "--tied" -> options.put(flag, "true");
                default -> {
                    if (!DEFAULTS.containsKey(flag) && !flag.equals("--out") && !flag.equals("--ffn")
                            && !flag.equals("--context") && !flag.equals("--questions")
                            && !flag.equals("--min-facts")) {
                        return usage(err, "unknown option " + flag);
                    }
                    if (i + 1 >= args.length) {
                        return usage(err, "option " + flag + " needs a value");
                    }
                    options.put(flag, args[++i]);
                }
            }
        }
        if (!options.containsKey("--out")) {
            return usage(err, "--out DIR is required");
        }
        Path dir = Path.of(options.get("--out"));
        Trainer trainer;
        try {
            if (resume) {
                Path file = dir.resolve(Trainer.CHECKPOINT);
                if (!Files.exists(file)) {
                    err.println("train: --resume needs " + file + ", which does not exist");
                    return 1;
                }
                trainer = Trainer.resume(Checkpoint.read(file), options.containsKey("--steps") ? integer(options, "--steps") : 0,
                        integer(options, "--threads"));
            } else {
                trainer = Trainer.start(config(options));
            }
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        } catch (IOException e) {
            err.println("train: " + e.getMessage());
            return 1;
        }
        TrainConfig c = trainer.config();
        out.printf(Locale.ROOT, "train: %d parameters, task of %d tokens (%d prompt + %d response), %s steps from %d%n",
                trainer.layout().size(), c.task().totalLength(), c.task().promptLength(), c.task().responseLength(),
                c.steps(), trainer.step());
        try {
            trainer.run(dir, err);
        } catch (IOException | UncheckedIOException e) {
            err.println("train: " + e.getMessage());
            return 1;
        }
        EvalPoint last = trainer.curve().get(trainer.curve().size() - 1);
        out.printf(Locale.ROOT, "step %d, %.0f s: held-out answers right %.1f%% (greedy), %.1f%% (forced); files in %s%n",
                last.step(), last.seconds(), 100 * last.greedyAccuracy(), 100 * last.forcedAccuracy(), dir);
        return 0;
    }

    private static TrainConfig config(Map<String, String> o) {
        int facts = integer(o, "--facts");
        TaskConfig task = new TaskConfig(facts, o.containsKey("--questions") ? integer(o, "--questions") : facts,
                integer(o, "--digits"));
        int dim = integer(o, "--dim");
        int ffn = o.containsKey("--ffn") ? integer(o, "--ffn") : (dim * 8 / 3 + 7) / 8 * 8;
        int context = o.containsKey("--context") ? integer(o, "--context") : task.totalLength();
        ModelConfig model = new ModelConfig(dim, integer(o, "--layers"), integer(o, "--heads"), integer(o, "--kv-heads"),
                ffn, TaskVocabulary.SIZE, context, o.containsKey("--tied"), number(o, "--rope-theta"), 1e-5f);
        return new TrainConfig(model, task, o.containsKey("--min-facts") ? integer(o, "--min-facts") : facts,
                integer(o, "--steps"), integer(o, "--batch"), number(o, "--lr"),
                integer(o, "--warmup"), number(o, "--weight-decay"), number(o, "--clip"), seed(o),
                integer(o, "--eval-every"), integer(o, "--eval-tasks"), integer(o, "--threads"));
    }

    private static String value(Map<String, String> o, String flag) {
        return o.getOrDefault(flag, DEFAULTS.get(flag));
    }

    private static long seed(Map<String, String> o) {
        String v = value(o, "--seed");
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seed needs an integer, got '" + v + "'");
        }
    }

    private static int integer(Map<String, String> o, String flag) {
        String v = value(o, flag);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs an integer, got '" + v + "'");
        }
    }

    private static float number(Map<String, String> o, String flag) {
        String v = value(o, flag);
        try {
            return Float.parseFloat(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number, got '" + v + "'");
        }
    }

    private static int usage(PrintStream err, String message) {
        err.println("train: " + message);
        err.print(USAGE);
        return 2;
    }
}
