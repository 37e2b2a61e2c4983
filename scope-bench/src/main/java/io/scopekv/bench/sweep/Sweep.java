package io.scopekv.bench.sweep;

import io.scopekv.bench.metrics.PolicySummary;
import io.scopekv.bench.metrics.TaskProxy;
import io.scopekv.bench.policies.PolicyRegistry;
import io.scopekv.bench.sim.PolicyRun;
import io.scopekv.bench.sim.Simulation;
import io.scopekv.bench.sim.StepListener;
import io.scopekv.bench.sim.StepMetrics;
import io.scopekv.bench.workload.LongGenWorkload;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs every variant of a {@link SweepConfig} in lockstep on one workload stream. */
public final class Sweep {
    private static final Logger LOG = LoggerFactory.getLogger(Sweep.class);

    /**
     * What one variant produced.
     *
     * @param variant the policy and budget
     * @param summary whole-run results
     * @param steps   per-step series
     */
    public record Row(PolicyRegistry.Variant variant, PolicySummary summary, StepMetrics steps) {
    }

    /**
     * A finished sweep.
     *
     * @param config         what ran
     * @param rows           one per variant, bounds first
     * @param fullPeakBytes  the full cache's peak resident bytes
     * @param seconds        wall time of the simulation
     */
    public record Result(SweepConfig config, List<Row> rows, long fullPeakBytes, double seconds) {
    }

    /**
     * Memory a sweep needs, computed from its sizes before anything is allocated.
     *
     * @param heapBytes       the simulation's arrays on the Java heap: every key of every layer
     *                        ({@code [layers][kvHeads][(M + T) x headDim]}, for the attention-mass
     *                        metrics) and the reference attention rows
     * @param offHeapMinBytes the full cache's storage, which every sweep holds: {@code layers x
     *                        (M + T) x kvHeads x headDim x 2 x 4} bytes
     * @param offHeapMaxBytes the full cache plus one full-size cache per policy run, an upper bound
     *                        reached only by the policies that keep every decoding token
     */
    public record Memory(long heapBytes, long offHeapMinBytes, long offHeapMaxBytes) {
    }

    private Sweep() {
    }

    /** What a sweep of {@code config} needs, without running it. */
    public static Memory memory(SweepConfig config) {
        var w = config.workload();
        long tokens = (long) w.promptTokens() + w.maxNewTokens();
        long keysPerHead = tokens * w.headDim();
        if (keysPerHead > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("(M + T) x headDim = " + tokens + " x " + w.headDim() + " = " + keysPerHead
                    + " keys per head exceed the limit of one Java array, " + (Integer.MAX_VALUE - 8) + " floats");
        }
        long heap = times(4, times(keysPerHead, times(w.kvHeads(), w.layers())) + tokens * w.queryHeads());
        long full = times(keysPerHead, times(w.layers(), times(w.kvHeads(), 8)));
        int runs = PolicyRegistry.variants(config.policies(), config.budgets()).size();
        return new Memory(heap, full, times(full, runs + 1));
    }

    /** A product that stays at Long.MAX_VALUE instead of overflowing: far beyond any memory either way. */
    private static long times(long a, long b) {
        long product = a * b;
        return Math.abs(product) / b != a ? Long.MAX_VALUE : product;
    }

    /**
     * Runs the sweep.
     *
     * @param progress notified after every step (step 0 = prefill), or null
     */
    public static Result run(SweepConfig config, StepListener progress) throws IOException {
        List<PolicyRegistry.Variant> variants = PolicyRegistry.variants(config.policies(), config.budgets());
        List<Simulation.Entry> entries = new ArrayList<>();
        for (PolicyRegistry.Variant v : variants) {
            entries.add(new Simulation.Entry(v.label(), v.policy()));
        }
        LongGenWorkload workload = new LongGenWorkload(config.workload());
        TaskProxy proxy = new TaskProxy(workload.plan());
        long start = System.nanoTime();
        LOG.info("sweep: {} policy runs, M={} prompt tokens, T={} steps, layout {}", variants.size(),
                workload.promptTokens(), workload.decodeSteps(), workload.layout());
        try (Simulation sim = new Simulation(workload, entries)) {
            sim.addListener(proxy);
            if (progress != null) {
                sim.addListener(progress);
            }
            sim.run();
            long fullPeak = sim.reference().stats().peakLiveBytes();
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < variants.size(); i++) {
                PolicyRun run = sim.runs().get(i);
                rows.add(new Row(variants.get(i), PolicySummary.of(run, proxy, fullPeak), run.metrics()));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            LOG.info("sweep finished in {} s", String.format(java.util.Locale.ROOT, "%.1f", seconds));
            return new Result(config, rows, fullPeak, seconds);
        }
    }
}
