package io.scopekv.bench.fidelity;

import io.scopekv.CachePolicy;
import io.scopekv.bench.fidelity.FidelityExperiment.Row;
import io.scopekv.bench.report.Chart;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The tables, CSV, JSON rows and charts of a fidelity run. */
public final class FidelityReport {

    /** Steps averaged per point of the position chart, so the lines show the trend, not token noise. */
    static final int SMOOTHING = 32;

    private static final Chart.Marker[] MARKERS = {Chart.Marker.DIAMOND, Chart.Marker.CIRCLE, Chart.Marker.SQUARE,
        Chart.Marker.TRIANGLE};

    private FidelityReport() {
    }

    /**
     * The table in Markdown: mean KL (all steps and the last quarter), mean change of the
     * reference token's log-probability, top-1 agreement, mean first divergence and peak KV memory
     * as a share of the full cache's.
     *
     * @throws IllegalArgumentException when no row is the full cache
     */
    public static String markdown(List<Row> rows) {
        Row full = fullRow(rows);
        StringBuilder out = new StringBuilder("| policy | mean KL (nats) | KL, last quarter | mean Δ log p(ref) | top-1 agreement "
                + "| first divergence (mean step) | never diverged | peak KV memory (% of full) |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %+.4f | %.1f%% | %.1f | %d of %d | %.1f%% |%n",
                    r.policy().label(), r.meanKl(), r.lastQuarterKl(), r.meanDeltaLogProb(), 100 * r.top1Agreement(),
                    r.meanFirstDivergence(), r.neverDiverged(), r.firstDivergence().length,
                    100.0 * r.peakLiveBytes() / full.peakLiveBytes()));
        }
        return out.toString();
    }

    /** Per policy and continuation step, the mean KL, change of log p(reference) and top-1 agreement. */
    public static String positionsCsv(List<Row> rows, int promptTokens) {
        StringBuilder out = new StringBuilder("policy,step,position,mean_kl,mean_delta_logprob,top1_agreement\n");
        for (Row r : rows) {
            double[] kl = r.klByStep();
            double[] delta = r.deltaLogProbByStep();
            double[] top1 = r.top1ByStep();
            String label = '"' + r.policy().label().replace("\"", "\"\"") + '"';
            for (int t = 0; t < kl.length; t++) {
                out.append(String.format(Locale.ROOT, "%s,%d,%d,%.6g,%.6g,%.4f%n", label, t, promptTokens + t, kl[t],
                        delta[t], top1[t]));
            }
        }
        return out.toString();
    }

    /** One JSON object per row: the summary figures and each sequence's first divergence. */
    public static List<Object> json(List<Row> rows) {
        Row full = fullRow(rows);
        List<Object> list = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("label", r.policy().label());
            row.put("group", r.policy().group());
            row.put("spec", r.policy().spec());
            row.put("mean_kl", r.meanKl());
            row.put("last_quarter_kl", r.lastQuarterKl());
            row.put("mean_delta_logprob", r.meanDeltaLogProb());
            row.put("top1_agreement", r.top1Agreement());
            row.put("mean_first_divergence", r.meanFirstDivergence());
            row.put("never_diverged", r.neverDiverged());
            List<Object> divergence = new ArrayList<>();
            for (int d : r.firstDivergence()) {
                divergence.add(d);
            }
            row.put("first_divergence", divergence);
            row.put("peak_live_bytes", r.peakLiveBytes());
            row.put("peak_memory_share", (double) r.peakLiveBytes() / full.peakLiveBytes());
            list.add(row);
        }
        return list;
    }

    /**
     * Mean KL against peak KV memory, one labelled point per policy.
     *
     * @throws IllegalArgumentException when no row is the full cache
     */
    public static Chart klMemoryChart(List<Row> rows, String subtitle) {
        Row full = fullRow(rows);
        Chart chart = new Chart("Divergence from the full cache vs KV memory", "peak KV memory (% of the full cache)",
                "mean KL(full || policy), nats").subtitle(subtitle).yFromZero(true);
        Map<String, Integer> groups = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            int group = groups.computeIfAbsent(r.policy().group(), g -> groups.size());
            chart.add(new Chart.Series(r.policy().label(), new double[] {100.0 * r.peakLiveBytes() / full.peakLiveBytes()},
                    new double[] {r.meanKl()}, color(i), MARKERS[group % MARKERS.length]));
        }
        return chart;
    }

    /**
     * Mean KL over the continuation, one line per compressing policy, each point the mean of
     * {@value #SMOOTHING} steps.
     */
    public static Chart klPositionChart(List<Row> rows, int promptTokens, String subtitle) {
        Chart chart = new Chart("Divergence from the full cache along the generation", "position in the sequence (token)",
                "mean KL(full || policy), nats, " + SMOOTHING + "-step mean").subtitle(subtitle).yFromZero(true);
        String full = CachePolicy.full().describe();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            if (r.policy().spec().equals(full)) {
                continue;
            }
            double[] kl = r.klByStep();
            int points = (kl.length + SMOOTHING - 1) / SMOOTHING;
            double[] x = new double[points];
            double[] y = new double[points];
            for (int b = 0; b < points; b++) {
                int from = b * SMOOTHING;
                int to = Math.min(kl.length, from + SMOOTHING);
                double sum = 0;
                for (int t = from; t < to; t++) {
                    sum += kl[t];
                }
                x[b] = promptTokens + (from + to - 1) / 2.0;
                y[b] = sum / (to - from);
            }
            chart.add(new Chart.Series(r.policy().label(), x, y, color(i), Chart.Marker.NONE));
        }
        return chart;
    }

    /** The palette, then its darker shades, so up to 24 series get distinct colours. */
    private static Color color(int index) {
        Color base = Chart.PALETTE[index % Chart.PALETTE.length];
        return index / Chart.PALETTE.length % 2 == 0 ? base : base.darker();
    }

    static Row fullRow(List<Row> rows) {
        String full = CachePolicy.full().describe();
        return rows.stream().filter(r -> r.policy().spec().equals(full)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the rows must include the full cache (" + full
                        + "): memory is reported as a share of it"));
    }
}
