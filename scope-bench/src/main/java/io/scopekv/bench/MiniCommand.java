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
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code scope-bench mini}: the paper's table on a model trained on the mini-LongGenBench task
 * (by default the one shipped in the jar), printed and written to {@code OUT/mini/}. Not final:
 * {@link DemoCommand} is this command under another name.
 */
@Command(name = "mini", mixinStandardHelpOptions = true, description = {
    "Run the paper's table on a model trained on the mini-LongGenBench task.",
    "%nEvery answer of held-out tasks is generated greedily under the full cache, SCOPE (Slide, Adaptive, "
        + "Discontinuous) at decoding budgets of 25%% and 12.5%% of the response with the prompt kept, unified H2O and "
        + "StreamingLLM at the same total budget, SnapKV and PyramidKV prefill-only, and SnapKV + Slide; then Slide "
        + "and unified H2O ranking decoding tokens by accumulated attention (unified H2O with prompt tokens starting "
        + "from zero and from their prefill attention). Prints the table and writes results.md, results.json and "
        + "accuracy-memory.png to OUT/mini/."})
class MiniCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(MiniCommand.class);
    static final int DEFAULT_TASKS = 100;

    @Option(names = "--model", paramLabel = "FILE", converter = OptionTypes.ExistingFile.class,
            description = "GGUF model written by the train command (default: the model shipped with the bench)")
    Path modelFile;

    @Option(names = "--tasks", paramLabel = "N", defaultValue = "" + DEFAULT_TASKS, converter = OptionTypes.Positive.class,
            description = "held-out tasks per policy (default: ${DEFAULT-VALUE})")
    int tasks;

    @Option(names = "--attention", paramLabel = "PATH", defaultValue = "cache", converter = OptionTypes.AttentionPaths.class,
            completionCandidates = OptionTypes.AttentionPaths.class,
            description = "cache: KvCache.attend; engine: own loop + observe (default: ${DEFAULT-VALUE})")
    AttentionPath attention;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "results",
            description = "parent directory of the results directory (default: ${DEFAULT-VALUE})")
    Path outDir;

    @Mixin
    ForceOption force;

    private final PrintStream out;
    private final PrintStream err;

    MiniCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws IOException {
        try (OutputDirectory output = force.open(outDir.resolve("mini"));
             MiniModel model = modelFile == null ? MiniModel.embedded() : MiniModel.load(modelFile)) {
            TaskConfig task = model.task();
            out.printf(Locale.ROOT, "mini-LongGenBench on %s: %d facts, %d questions, %d-digit values; prompt %d tokens, "
                            + "response %d; %d held-out tasks per policy%n", model.name(), task.facts(), task.questions(),
                    task.valueDigits(), task.promptLength(), task.responseLength(), tasks);
            List<MiniExperiment.Policy> policies = MiniExperiment.paperTable(task);
            long[] done = {0};
            List<MiniExperiment.Row> rows;
            // one bar over every task, the untimed warm-up task of each policy included
            try (Progress progress = new Progress("mini", (long) policies.size() * (tasks + 1), err)) {
                rows = MiniExperiment.run(model, policies, tasks, attention,
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
                            attention.name().toLowerCase(Locale.ROOT))
                    + table, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("results.json"), JsonFormat.pretty(json(model, tasks, rows)) + "\n", StandardCharsets.UTF_8);
            MiniExperiment.chart(rows, String.format(Locale.ROOT, "mini-LongGenBench, %d facts, %d held-out tasks; %s",
                    task.facts(), tasks, model.name())).write(dir.resolve("accuracy-memory.png"));
            out.println("results in " + output.commit());
        }
        return Commands.OK;
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
