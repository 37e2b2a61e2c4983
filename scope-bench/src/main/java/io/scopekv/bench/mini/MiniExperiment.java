package io.scopekv.bench.mini;

import io.scopekv.CachePolicy;
import io.scopekv.CacheStats;
import io.scopekv.PolicySpec;
import io.scopekv.bench.engine.AttentionPath;
import io.scopekv.bench.engine.Generator;
import io.scopekv.bench.engine.LlamaSession;
import io.scopekv.bench.engine.Sampler;
import io.scopekv.bench.report.Chart;
import io.scopekv.bench.train.MiniTask;
import io.scopekv.bench.train.TaskConfig;
import io.scopekv.bench.train.TaskVocabulary;
import io.scopekv.policy.decoding.Adaptive;
import io.scopekv.policy.decoding.CumulativeAttention;
import io.scopekv.policy.decoding.Discontinuous;
import io.scopekv.policy.decoding.NoEviction;
import io.scopekv.policy.decoding.Slide;
import io.scopekv.policy.decoding.UnifiedH2o;
import io.scopekv.policy.decoding.UnifiedStreamingLlm;
import io.scopekv.policy.prefill.FullPrefill;
import io.scopekv.policy.prefill.PyramidKvPrefill;
import io.scopekv.policy.prefill.SnapKvPrefill;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The paper's experiment (its table 1 and the plug-in rows) on a mini-LongGenBench model: every
 * answer of held-out tasks generated greedily under each cache policy.
 *
 * <p>Budgets follow the paper's ratios. The decoding budget W is 25% or 12.5% of the response
 * length N (the paper's 1024 and 512 of 4096), with R = W / 2 recent tokens (the paper's 256 of
 * 512). SCOPE rows keep the whole prompt. Unified H2O and StreamingLLM get the same total budget,
 * prompt + W, over prompt and decoding tokens together. Prefill-only SnapKV and PyramidKV compress
 * the prompt to 60% of its length (the paper's 2048 of a ~3.4K-token GSM8K+ prompt) and keep every
 * decoding token; SnapKV + Slide is the plug-in. Six rows beyond the paper rank decoding tokens
 * by accumulated instead of current attention ({@code scorer=cumulative}), for Slide and for
 * unified H2O; unified H2O twice, with prompt tokens starting from zero and from the attention they
 * got at prefill ({@code cumulative(prefill=1)}, as H2O does).
 */
public final class MiniExperiment {

    /** Held-out tasks of the experiment start here, past the ones the trainer evaluates on. */
    public static final int FIRST_TASK = 1000;

    /** Share of the prompt the prefill-only compressors keep. */
    public static final double PREFILL_SHARE = 0.6;

    /** Groups of the paper table, as plotted. */
    public static final String FULL = "Full cache";
    public static final String SCOPE = "SCOPE (prompt kept)";
    public static final String UNIFIED = "Unified H2O, StreamingLLM";
    public static final String PROMPT_COMPRESSED = "Prompt compressed";
    public static final String SCOPE_ACCUMULATED = "SCOPE Slide, accumulated scores";
    public static final String UNIFIED_ACCUMULATED = "Unified H2O, accumulated scores";

    /** Decoding budgets as shares of the response: the paper's 1024 and 512 of 4096. */
    private static final double[] SHARES = {0.25, 0.125};

    /**
     * One row of the table.
     *
     * @param label display name, e.g. {@code SCOPE Slide, 25%}
     * @param group the family it is plotted with, e.g. {@code SCOPE}
     * @param cache the cache policy
     */
    public record Policy(String label, String group, CachePolicy cache) {
        public Policy {
            if (label == null || label.isBlank() || group == null || group.isBlank() || cache == null) {
                throw new IllegalArgumentException("a policy needs a label, a group and a cache policy");
            }
        }

        /** A policy that is its own group, from a spec string. */
        public Policy(String label, String spec) {
            this(label, label, PolicySpec.parse(spec));
        }

        /** The cache policy's canonical spec string. */
        public String spec() {
            return cache.describe();
        }
    }

    /**
     * The outcome of one policy.
     *
     * @param policy                the policy
     * @param tasks                 tasks run
     * @param answers               answers asked, summed over tasks
     * @param correct               answers whose every token was generated right
     * @param peakLiveBytes         the largest live KV bytes of any task
     * @param selectionsPerTask     steps on which the busiest layer ran selection, mean per task
     * @param decodeTokensPerSecond the median over tasks of each task's decoded tokens over its
     *                              decode time: a burst of load on a shared machine moves a few
     *                              tasks, not the median
     */
    public record Row(Policy policy, int tasks, long answers, long correct, long peakLiveBytes, double selectionsPerTask,
                      double decodeTokensPerSecond) {

        /** Share of the answers right, in [0, 1]. */
        public double accuracy() {
            return answers == 0 ? 0 : (double) correct / answers;
        }
    }

    private MiniExperiment() {
    }

    /** The decoding budget W for a share of a response of {@code responseLength} tokens. */
    public static int window(int responseLength, double share) {
        return Math.max(2, (int) Math.round(share * responseLength));
    }

    /** The paper's rows for a task size (see the class comment for the budgets). */
    public static List<Policy> paperTable(TaskConfig task) {
        return paperTable(task.promptLength(), task.responseLength());
    }

    /**
     * The paper's rows for a prompt of {@code promptLength} tokens and a response of
     * {@code responseLength} (see the class comment for the budgets).
     *
     * @throws IllegalArgumentException when either length is below 2
     */
    public static List<Policy> paperTable(int promptLength, int responseLength) {
        if (promptLength < 2 || responseLength < 2) {
            throw new IllegalArgumentException("the paper's table needs a prompt and a response of at least 2 tokens, was "
                    + promptLength + " and " + responseLength);
        }
        int n = responseLength;
        int kept = Math.max(9, (int) Math.round(PREFILL_SHARE * promptLength));
        SnapKvPrefill snapKv = new SnapKvPrefill(kept, 8, 7);
        FullPrefill full = new FullPrefill();
        List<Policy> rows = new ArrayList<>();
        rows.add(new Policy("Full cache", FULL, CachePolicy.full()));
        for (double share : SHARES) {
            int w = window(n, share);
            int r = w / 2;
            String pct = percent(share);
            rows.add(new Policy("SCOPE Slide, " + pct, SCOPE, CachePolicy.of(full, new Slide(w, r))));
            rows.add(new Policy("SCOPE Adaptive, " + pct, SCOPE, CachePolicy.of(full, new Adaptive(w, r, n))));
            rows.add(new Policy("SCOPE Discontinuous, " + pct, SCOPE, CachePolicy.of(full, new Discontinuous(w, r, n))));
            rows.add(new Policy("H2O unified, " + pct, UNIFIED, CachePolicy.of(full, new UnifiedH2o(w, r))));
            rows.add(new Policy("StreamingLLM unified, " + pct, UNIFIED, CachePolicy.of(full, new UnifiedStreamingLlm(w, r))));
        }
        rows.add(new Policy("SnapKV prefill-only", PROMPT_COMPRESSED, CachePolicy.of(snapKv, new NoEviction())));
        rows.add(new Policy("PyramidKV prefill-only", PROMPT_COMPRESSED,
                CachePolicy.of(new PyramidKvPrefill(kept, 8, 20, 7), new NoEviction())));
        int w25 = window(n, 0.25);
        rows.add(new Policy("SnapKV + Slide, 25%", PROMPT_COMPRESSED, CachePolicy.of(snapKv, new Slide(w25, w25 / 2))));
        // beyond the paper, which ranks decoding tokens by the current step's attention: the same
        // budgets ranked by attention accumulated since each token entered the cache (H2O's score)
        for (double share : SHARES) {
            int w = window(n, share);
            int r = w / 2;
            rows.add(new Policy("SCOPE Slide, accumulated scores, " + percent(share), SCOPE_ACCUMULATED,
                    CachePolicy.of(full, new Slide(w, r, new CumulativeAttention(false)))));
            rows.add(new Policy("H2O unified, accumulated scores, " + percent(share), UNIFIED_ACCUMULATED,
                    CachePolicy.of(full, new UnifiedH2o(w, r, new CumulativeAttention(false)))));
            rows.add(new Policy("H2O unified, accumulated from prefill, " + percent(share), UNIFIED_ACCUMULATED,
                    CachePolicy.of(full, new UnifiedH2o(w, r, new CumulativeAttention(true)))));
        }
        return List.copyOf(rows);
    }

    private static String percent(double share) {
        double p = share * 100;
        return (p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p)) + "%";
    }

    /**
     * Generates every held-out task {@code FIRST_TASK .. FIRST_TASK + tasks - 1} under one policy,
     * always the task's full response length.
     *
     * @throws IllegalArgumentException for a non-positive task count
     */
    public static Row run(MiniModel model, Policy policy, int tasks, AttentionPath path) {
        return run(model, policy, tasks, path, () -> { });
    }

    private static Row run(MiniModel model, Policy policy, int tasks, AttentionPath path, Runnable taskDone) {
        if (tasks < 1) {
            throw new IllegalArgumentException("tasks must be at least 1, was " + tasks);
        }
        TaskConfig config = model.task();
        // EOS is held back until the last token, so every policy decodes the same number of tokens and
        // memory and speed compare at equal length even when a model that went wrong would stop early
        Generator.Options options = new Generator.Options(config.responseLength(), config.responseLength() - 1, Sampler.greedy(),
                Set.of(TaskVocabulary.EOS));
        long answers = 0;
        long correct = 0;
        long peak = 0;
        long selections = 0;
        double[] rates = new double[tasks];
        for (int i = 0; i < tasks; i++) {
            MiniTask task = MiniTask.eval(config, FIRST_TASK + i);
            Generator.Result result;
            CacheStats stats;
            try (LlamaSession session = LlamaSession.open(model.model(), policy.cache(), path)) {
                result = Generator.generate(session, task.prompt(), options);
                stats = session.cache().stats();
            }
            answers += task.questions();
            correct += task.correctAnswers(result.tokens());
            peak = Math.max(peak, stats.peakLiveBytes());
            selections += stats.selectionSteps();
            long decoded = Math.max(0, result.tokens().length - 1);
            rates[i] = result.decodeNanos() == 0 ? 0 : decoded / (result.decodeNanos() / 1e9);
            taskDone.run();
        }
        Arrays.sort(rates);
        double median = tasks % 2 == 1 ? rates[tasks / 2] : (rates[tasks / 2 - 1] + rates[tasks / 2]) / 2;
        return new Row(policy, tasks, answers, correct, peak, (double) selections / tasks, median);
    }

    /**
     * Runs every policy in order, handing each row to {@code done} as it finishes. One untimed task
     * per policy runs first, so that the first rows do not pay for the JIT's warm-up in tokens/s.
     */
    public static List<Row> run(MiniModel model, List<Policy> policies, int tasks, AttentionPath path, Consumer<Row> done) {
        return run(model, policies, tasks, path, done, () -> { });
    }

    /**
     * As {@link #run(MiniModel, List, int, AttentionPath, Consumer)}, calling {@code taskDone} after
     * every task, warm-up tasks included: {@code policies.size() x (tasks + 1)} calls in all.
     */
    public static List<Row> run(MiniModel model, List<Policy> policies, int tasks, AttentionPath path, Consumer<Row> done,
                                Runnable taskDone) {
        for (Policy p : policies) {
            run(model, p, 1, path, taskDone);
        }
        List<Row> rows = new ArrayList<>();
        for (Policy p : policies) {
            Row row = run(model, p, tasks, path, taskDone);
            rows.add(row);
            done.accept(row);
        }
        return rows;
    }

    /**
     * Answers right against peak KV memory, one series per group.
     *
     * @throws IllegalArgumentException when no row is the full cache
     */
    public static Chart chart(List<Row> rows, String subtitle) {
        Row reference = fullRow(rows);
        Chart chart = new Chart("Answers right vs KV memory", "peak KV memory (% of the full cache)", "answers right (%)")
                .subtitle(subtitle).yFromZero(true);
        Chart.Marker[] markers = {Chart.Marker.DIAMOND, Chart.Marker.CIRCLE, Chart.Marker.SQUARE, Chart.Marker.TRIANGLE};
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        for (Row r : rows) {
            groups.computeIfAbsent(r.policy().group(), g -> new ArrayList<>()).add(r);
        }
        int i = 0;
        for (Map.Entry<String, List<Row>> g : groups.entrySet()) {
            double[] x = g.getValue().stream().mapToDouble(r -> 100.0 * r.peakLiveBytes() / reference.peakLiveBytes()).toArray();
            double[] y = g.getValue().stream().mapToDouble(r -> 100 * r.accuracy()).toArray();
            chart.add(new Chart.Series(g.getKey(), x, y, Chart.PALETTE[i % Chart.PALETTE.length], markers[i % markers.length]));
            i++;
        }
        return chart;
    }

    private static Row fullRow(List<Row> rows) {
        CachePolicy full = CachePolicy.full();
        return rows.stream().filter(r -> r.policy().cache().equals(full)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the rows must include the full cache (" + full
                        + "): memory is reported as a share of it"));
    }

    /**
     * The table in Markdown: answer accuracy, peak KV memory as % of the full cache's, selections
     * per task and decode speed.
     *
     * @throws IllegalArgumentException when no row is the full cache (memory is relative to it)
     */
    public static String markdown(List<Row> rows) {
        Row reference = fullRow(rows);
        StringBuilder out = new StringBuilder(
                "| policy | answers right | peak KV memory (% of full) | selections per task | decode tokens/s (median of tasks) |\n"
                        + "|---|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %.1f%% | %.1f%% | %.1f | %.0f |%n", r.policy().label(),
                    100 * r.accuracy(), 100.0 * r.peakLiveBytes() / reference.peakLiveBytes(), r.selectionsPerTask(),
                    r.decodeTokensPerSecond()));
        }
        return out.toString();
    }
}
