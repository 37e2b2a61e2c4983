package io.scopekv.bench;

import io.scopekv.bench.engine.AttentionPath;
import io.scopekv.bench.io.JsonFormat;
import io.scopekv.bench.io.OutputDirectory;
import io.scopekv.bench.mini.MiniExperiment;
import io.scopekv.bench.mini.MiniModel;
import io.scopekv.bench.report.Progress;
import io.scopekv.bench.train.TaskConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code scope-bench mini}: the paper's table on a model trained on the mini-LongGenBench task
 * (by default the one shipped in the jar), printed and written to {@code OUT/mini/}.
 */
public final class MiniCommand {

    private static final Logger LOG = LoggerFactory.getLogger(MiniCommand.class);
    static final int DEFAULT_TASKS = 100;

    private MiniCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return Commands.execute("mini", options("mini"), args, out, err, parsed -> execute(parsed, out, err));
    }

    static Options options(String command) {
        return Commands.declareForce(new Options(command, "Runs the paper's experiment on a tiny model trained on the mini-LongGenBench task: "
                + "every answer of\nheld-out tasks generated greedily under the full cache, SCOPE (Slide, Adaptive, "
                + "Discontinuous) at\ndecoding budgets of 25% and 12.5% of the response with the prompt kept, unified "
                + "H2O and StreamingLLM\nat the same total budget, SnapKV and PyramidKV prefill-only, and SnapKV + Slide; "
                + "then Slide and unified\nH2O ranking decoding tokens by accumulated attention (unified H2O with prompt "
                + "tokens\nstarting from zero and from their prefill attention). Prints the table "
                + "and writes results.md,\nresults.json and accuracy-memory.png to OUT/mini/.")
                .option("model", "FILE", "GGUF model written by the train command", "the model shipped with the bench")
                .option("tasks", "N", "held-out tasks per policy", String.valueOf(DEFAULT_TASKS))
                .option("attention", "PATH", "cache: KvCache.attend; engine: own loop + observe", "cache")
                .option("out", "DIR", "parent directory of the results directory", "results"));
    }

    static int execute(Options.Parsed parsed, PrintStream out, PrintStream err) throws UsageException, IOException {
        int tasks = parsed.getInt("tasks", DEFAULT_TASKS);
        if (tasks < 1) {
            throw new UsageException("--tasks must be at least 1, was " + tasks);
        }
        AttentionPath path = switch (parsed.get("attention")) {
            case "cache" -> AttentionPath.CACHE;
            case "engine" -> AttentionPath.ENGINE;
            default -> throw new UsageException("--attention must be cache or engine, was '" + parsed.get("attention") + "'");
        };
        String file = parsed.has("model") ? parsed.get("model") : null;
        if (file != null && !Files.isRegularFile(Path.of(file))) {
            throw new UsageException("--model " + file + " is not a file");
        }
        try (OutputDirectory output = Commands.output(parsed, Path.of(parsed.get("out")).resolve("mini"));
             MiniModel model = file == null ? MiniModel.embedded() : MiniModel.load(Path.of(file))) {
            TaskConfig task = model.task();
            out.printf(Locale.ROOT, "mini-LongGenBench on %s: %d facts, %d questions, %d-digit values; prompt %d tokens, "
                            + "response %d; %d held-out tasks per policy%n", model.name(), task.facts(), task.questions(),
                    task.valueDigits(), task.promptLength(), task.responseLength(), tasks);
            List<MiniExperiment.Policy> policies = MiniExperiment.paperTable(task);
            long[] done = {0};
            List<MiniExperiment.Row> rows;
            // one bar over every task, the untimed warm-up task of each policy included
            try (Progress progress = new Progress("mini", (long) policies.size() * (tasks + 1), err)) {
                rows = MiniExperiment.run(model, policies, tasks, path,
                        row -> LOG.debug("{}: {} answers right", row.policy().label(), row.accuracy()),
                        () -> progress.update(++done[0]));
            }
            String table = MiniExperiment.markdown(rows);
            out.print(table);
            Path dir = output.staging();
            Files.writeString(dir.resolve("results.md"), "# mini-LongGenBench on " + model.name() + "\n\n"
                    + String.format(Locale.ROOT, "%d facts, %d questions, %d-digit values; prompt %d tokens, response %d; "
                                    + "%d held-out tasks per policy; attention path %s.%n%n", task.facts(), task.questions(),
                            task.valueDigits(), task.promptLength(), task.responseLength(), tasks,
                            path.name().toLowerCase(Locale.ROOT))
                    + table, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("results.json"), JsonFormat.pretty(json(model, tasks, rows)) + "\n", StandardCharsets.UTF_8);
            MiniExperiment.chart(rows, String.format(Locale.ROOT, "mini-LongGenBench, %d facts, %d held-out tasks; %s",
                    task.facts(), tasks, model.name())).write(dir.resolve("accuracy-memory.png"));
            out.println("results in " + output.commit());
        }
        return 0;
    }

    private static Map<String, Object> json(MiniModel model, int tasks, List<MiniExperiment.Row> rows) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("model", model.name());
        root.put("facts", model.task().facts());
        root.put("questions", model.task().questions());
        root.put("value_digits", model.task().valueDigits());
        root.put("prompt_tokens", model.task().promptLength());
        root.put("response_tokens", model.task().responseLength());
        root.put("tasks", tasks);
        root.put("first_task", MiniExperiment.FIRST_TASK);
        List<Object> list = new ArrayList<>();
        for (MiniExperiment.Row r : rows) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("label", r.policy().label());
            row.put("spec", r.policy().spec());
            row.put("answers", r.answers());
            row.put("correct", r.correct());
            row.put("accuracy", r.accuracy());
            row.put("peak_live_bytes", r.peakLiveBytes());
            row.put("selections_per_task", r.selectionsPerTask());
            row.put("decode_tokens_per_second", r.decodeTokensPerSecond());
            list.add(row);
        }
        root.put("rows", list);
        return root;
    }
}
