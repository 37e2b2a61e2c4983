package io.scopekv.bench.sweep;

import io.scopekv.bench.io.JsonFormat;
import io.scopekv.bench.metrics.PolicySummary;
import io.scopekv.bench.policies.Budget;
import io.scopekv.bench.policies.PolicyRegistry;
import io.scopekv.bench.report.Chart;
import io.scopekv.bench.sim.StepMetrics;
import java.awt.Color;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a finished sweep to a directory: {@value #CONFIG}, {@value #METRICS}, {@value #STEPS},
 * {@value #TABLE} and PNG charts (quality vs memory; per decoding budget: kept tokens over the
 * decoding steps, a close-up of the SCOPE schedules, resident bytes over the steps).
 */
public final class SweepReport {
    public static final String CONFIG = "config.json";
    public static final String METRICS = "metrics.json";
    public static final String STEPS = "steps.csv";
    public static final String TABLE = "results.md";
    public static final String QUALITY_CHART = "quality-vs-memory.png";
    private static final List<String> SCOPE = List.of("slide", "adaptive", "discontinuous");

    private SweepReport() {
    }

    /** Writes every file and returns the paths written. */
    public static List<Path> write(Sweep.Result result, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        Path config = dir.resolve(CONFIG);
        Files.writeString(config, JsonFormat.pretty(result.config().toMap()));
        written.add(config);
        written.add(writeMetrics(result, dir.resolve(METRICS)));
        written.add(writeSteps(result, dir.resolve(STEPS)));
        Path table = dir.resolve(TABLE);
        Files.writeString(table, markdown(result));
        written.add(table);
        Path quality = dir.resolve(QUALITY_CHART);
        qualityChart(result).write(quality);
        written.add(quality);
        for (Budget b : result.config().budgets()) {
            Path kept = dir.resolve("kept-tokens-W" + b.window() + ".png");
            keptChart(result, b).write(kept);
            written.add(kept);
            Path zoom = dir.resolve("kept-tokens-zoom-W" + b.window() + ".png");
            zoomChart(result, b).write(zoom);
            written.add(zoom);
            Path bytes = dir.resolve("resident-bytes-W" + b.window() + ".png");
            bytesChart(result, b).write(bytes);
            written.add(bytes);
        }
        return written;
    }

    private static Path writeMetrics(Sweep.Result result, Path file) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("fullPeakLiveBytes", result.fullPeakBytes());
        root.put("seconds", result.seconds());
        List<Object> rows = new ArrayList<>();
        for (Sweep.Row row : result.rows()) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("policy", row.variant().entry().name());
            map.put("prefillBudget", row.variant().budget().prefill());
            map.put("window", row.variant().entry().usesWindow() ? row.variant().budget().window() : null);
            map.putAll(row.summary().toMap());
            rows.add(map);
        }
        root.put("policies", rows);
        Files.writeString(file, JsonFormat.pretty(root));
        return file;
    }

    private static Path writeSteps(Sweep.Result result, Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("policy,step,relative_error,attention_mass_kept,live_bytes,kept_tokens_per_head,selections,step_ms");
            out.newLine();
            for (Sweep.Row row : result.rows()) {
                StepMetrics m = row.steps();
                String label = '"' + row.summary().label().replace("\"", "\"\"") + '"';
                for (int j = 0; j <= m.decodeSteps(); j++) {
                    out.write(String.format(Locale.ROOT, "%s,%d,%s,%s,%d,%.2f,%d,%s", label, j, csv(m.relativeError(j)),
                            csv(m.massKept(j)), m.liveBytes(j), m.keptPerHead(j), m.selections(j), csv(m.stepMillis(j))));
                    out.newLine();
                }
            }
        }
        return file;
    }

    private static String csv(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    /** The combined table: one row per policy run. */
    public static String markdown(Sweep.Result result) {
        SweepConfig c = result.config();
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Sweep: M=%d prompt tokens, T=%d new tokens, P=%d, R=%d, %d questions, "
                        + "layout %d layers x %d/%d heads x %d dims, seed %d (%.1f s)%n%n",
                c.workload().promptTokens(), c.workload().maxNewTokens(), c.prefillBudget(), c.recent(),
                c.workload().questions(), c.workload().layers(), c.workload().queryHeads(), c.workload().kvHeads(),
                c.workload().headDim(), c.workload().seed(), result.seconds()));
        md.append("| Policy | Answers correct (%) | Question facts kept (%) | Answer facts kept (%) | Mean rel. error "
                + "| p99 rel. error | Attention mass kept (%) | Peak memory (% of full) | Selections | ms/step |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Sweep.Row row : result.rows()) {
            PolicySummary s = row.summary();
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.4f | %.4f | %.2f | %.1f | %d | %.3f |%n",
                    s.label(), s.accuracy(), s.questionRecall(), s.answerRecall(), s.meanError(), s.p99Error(),
                    100 * s.meanMassKept(), s.peakPercentOfFull(), s.selections(), s.msPerStep()));
        }
        return md.toString();
    }

    private static Chart qualityChart(Sweep.Result result) {
        Chart chart = new Chart("Task proxy vs peak KV memory", "peak resident KV memory (% of full cache)",
                "answers correct (%)")
                .subtitle("circle/square: decoding budgets in sweep order; diamond: independent of W");
        List<Budget> budgets = result.config().budgets();
        Chart.Marker[] markers = {Chart.Marker.CIRCLE, Chart.Marker.SQUARE, Chart.Marker.TRIANGLE};
        for (Sweep.Row row : result.rows()) {
            PolicyRegistry.Variant v = row.variant();
            Chart.Marker marker = v.entry().usesWindow()
                    ? markers[Math.min(markers.length - 1, budgets.indexOf(v.budget()))] : Chart.Marker.DIAMOND;
            chart.add(new Chart.Series(v.label(), new double[] {row.summary().peakPercentOfFull()},
                    new double[] {row.summary().accuracy()}, colour(v.entry()), marker));
        }
        return chart;
    }

    private static Chart keptChart(Sweep.Result result, Budget budget) {
        Chart chart = new Chart("Kept tokens over decoding, W=" + budget.window(), "decode step",
                "tokens kept per layer and head")
                .subtitle("policies with a decoding budget; equal budgets overlap (Full and prefill-only grow without bound: see resident bytes)")
                .yFromZero(false);
        for (Sweep.Row row : result.rows()) {
            if (row.variant().entry().usesWindow() && row.variant().budget().equals(budget)) {
                StepMetrics m = row.steps();
                double[] x = steps(m);
                double[] y = new double[x.length];
                for (int j = 0; j < y.length; j++) {
                    y[j] = m.keptPerHead(j);
                }
                chart.add(new Chart.Series(row.variant().label(), x, y, colour(row.variant().entry()), Chart.Marker.NONE));
            }
        }
        return chart;
    }

    /**
     * Eight Discontinuous periods (delta + 1 steps each) from mid-decode, SCOPE strategies only:
     * at full length a short period blurs into a band.
     */
    private static Chart zoomChart(Sweep.Result result, Budget budget) {
        int t = budget.maxNewTokens();
        int delta = (t - budget.recent()) / (budget.window() - budget.recent());
        int from = t / 2;
        int to = Math.min(t, from + 8 * (delta + 1));
        Chart chart = new Chart("Kept tokens, steps " + from + "-" + to + ", W=" + budget.window(), "decode step",
                "tokens kept per layer and head")
                .subtitle("SCOPE schedules close up: Slide flat at its budget, Adaptive grows by one every delta = "
                        + delta + " steps, Discontinuous selects every delta + 1")
                .yFromZero(false);
        for (Sweep.Row row : result.rows()) {
            PolicyRegistry.Variant v = row.variant();
            if (SCOPE.contains(v.entry().name()) && v.budget().equals(budget)) {
                StepMetrics m = row.steps();
                double[] x = new double[to - from + 1];
                double[] y = new double[x.length];
                for (int j = from; j <= to; j++) {
                    x[j - from] = j;
                    y[j - from] = m.keptPerHead(j);
                }
                chart.add(new Chart.Series(v.label(), x, y, colour(v.entry()), Chart.Marker.NONE));
            }
        }
        return chart;
    }

    private static Chart bytesChart(Sweep.Result result, Budget budget) {
        Chart chart = new Chart("Resident KV bytes over decoding, W=" + budget.window(), "decode step", "resident KV (KiB)")
                .subtitle("live bytes of kept tokens, all layers");
        for (Sweep.Row row : result.rows()) {
            PolicyRegistry.Variant v = row.variant();
            if (!v.entry().usesWindow() || v.budget().equals(budget)) {
                StepMetrics m = row.steps();
                double[] x = steps(m);
                double[] y = new double[x.length];
                for (int j = 0; j < y.length; j++) {
                    y[j] = m.liveBytes(j) / 1024.0;
                }
                chart.add(new Chart.Series(v.label(), x, y, colour(v.entry()), Chart.Marker.NONE));
            }
        }
        return chart;
    }

    private static double[] steps(StepMetrics m) {
        double[] x = new double[m.decodeSteps() + 1];
        for (int j = 0; j < x.length; j++) {
            x[j] = j;
        }
        return x;
    }

    /** One colour per registered policy, stable across charts. */
    private static Color colour(PolicyRegistry.Entry entry) {
        int index = new ArrayList<>(PolicyRegistry.names()).indexOf(entry.name());
        return Chart.PALETTE[Math.floorMod(index, Chart.PALETTE.length)];
    }
}
