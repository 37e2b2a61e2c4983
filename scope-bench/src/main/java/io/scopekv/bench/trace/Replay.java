package io.scopekv.bench.trace;

import io.scopekv.CachePolicy;
import io.scopekv.CacheStats;
import io.scopekv.KvCache;
import io.scopekv.PolicySpec;
import io.scopekv.bench.io.JsonFormat;
import io.scopekv.bench.metrics.PolicySummary;
import io.scopekv.bench.sim.PolicyRun;
import io.scopekv.bench.sim.Simulation;
import io.scopekv.bench.sim.StepListener;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays a trace through one policy beside a full cache and writes what the policy kept
 * ({@value #KEPT_FILE}, one JSON line per step and layer, step 0 = after prefill) and a summary
 * ({@value #SUMMARY_FILE}).
 */
public final class Replay {
    public static final String KEPT_FILE = "kept.jsonl";
    public static final String SUMMARY_FILE = "summary.json";

    private Replay() {
    }

    /**
     * Runs the replay.
     *
     * @param trace    trace directory
     * @param spec     policy spec string
     * @param out      output directory, created if absent
     * @param progress notified after each step, or null
     * @return the summary written to {@value #SUMMARY_FILE}
     */
    public static Map<String, Object> run(Path trace, String spec, Path out, StepListener progress) throws IOException {
        CachePolicy policy = PolicySpec.parse(spec);
        Files.createDirectories(out);
        TraceReader reader = TraceReader.open(trace);
        try (Simulation sim = new Simulation(reader, List.of(new Simulation.Entry("replay", policy)));
             BufferedWriter kept = Files.newBufferedWriter(out.resolve(KEPT_FILE))) {
            sim.addListener((step, s) -> writeKept(step, s.runs().get(0), kept));
            if (progress != null) {
                sim.addListener(progress);
            }
            sim.run();
            PolicyRun run = sim.runs().get(0);
            PolicySummary summary = PolicySummary.of(run, null, sim.reference().stats().peakLiveBytes());
            CacheStats stats = run.cache().stats();
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("policy", policy.describe());
            result.put("trace", reader.meta().toMap());
            result.put("steps", sim.decodeSteps());
            result.put("selections", stats.selectionSteps());
            result.put("selectionsPerLayer", stats.selections());
            result.put("tokensEvicted", stats.tokensEvicted());
            result.put("bytesMoved", stats.bytesMoved());
            result.put("peakLiveBytes", stats.peakLiveBytes());
            result.put("peakAllocatedBytes", stats.peakAllocatedBytes());
            result.put("fullPeakLiveBytes", sim.reference().stats().peakLiveBytes());
            result.put("meanRelativeError", summary.meanError());
            result.put("maxRelativeError", summary.maxError());
            result.put("meanAttentionMassKept", summary.meanMassKept());
            Files.writeString(out.resolve(SUMMARY_FILE), JsonFormat.pretty(result));
            return result;
        }
    }

    private static void writeKept(int step, PolicyRun run, BufferedWriter out) throws IOException {
        KvCache cache = run.cache();
        for (int layer = 0; layer < cache.layout().layers(); layer++) {
            List<int[]> heads = new ArrayList<>();
            for (int h = 0; h < run.storageHeads(); h++) {
                heads.add(cache.keptPositions(layer, h));
            }
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("step", step);
            line.put("layer", layer);
            line.put("kept", heads);
            out.write(JsonFormat.write(line));
            out.newLine();
        }
    }
}
