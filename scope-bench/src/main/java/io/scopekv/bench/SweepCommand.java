package io.scopekv.bench;

import io.scopekv.bench.io.OutputDirectory;
import io.scopekv.bench.policies.PolicyRegistry;
import io.scopekv.bench.report.Progress;
import io.scopekv.bench.sweep.Sweep;
import io.scopekv.bench.sweep.SweepConfig;
import io.scopekv.bench.sweep.SweepReport;
import io.scopekv.bench.workload.WorkloadConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code scope-bench sweep}: every policy at every decoding budget, written to a results directory. */
public final class SweepCommand {
    private static final Logger LOG = LoggerFactory.getLogger(SweepCommand.class);

    private SweepCommand() {
    }

    static Options options(String command, String summary) {
        Options options = WorkloadOptions.declare(new Options(command, summary))
                .option("prefill-budget", "P", "prompt tokens kept after prefill", "60% of M; 2048 with --paper")
                .option("windows", "W1,W2", "decoding budgets W", "T/8,T/4 (12.5% and 25% of T); 512,1024 with --paper")
                .option("recent", "R", "recent decoding tokens always kept", "T/16; 256 with --paper")
                .option("policies", "A,B", "registered policies to run besides the bounds full and random; known: "
                        + String.join(", ", PolicyRegistry.names()), "all")
                .option("out", "DIR", "parent directory of the results directory", "results");
        return Commands.declareForce(options);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options options = options("sweep", "Runs policies x decoding budgets on the synthetic LongGenBench-style workload "
                + "against the full cache;\nwrites config.json, metrics.json, steps.csv, results.md and PNG charts "
                + "to OUT/<configuration>/ and prints the table.");
        return Commands.execute("sweep", options, args, out, err, parsed -> {
            SweepConfig config = config(parsed);
            checkMemory(config, Runtime.getRuntime().maxMemory(), Pointer.maxBytes());
            try (OutputDirectory dir = Commands.output(parsed, Path.of(parsed.get("out")).resolve(config.directoryName()))) {
                sweep(config, dir, out, err);
            }
            return 0;
        });
    }

    static SweepConfig config(Options.Parsed parsed) throws UsageException {
        WorkloadConfig workload = WorkloadOptions.workload(parsed);
        SweepConfig base = WorkloadOptions.paper(parsed) ? SweepConfig.paper(workload) : SweepConfig.defaults(workload);
        List<String> policies = parsed.getList("policies", base.policies());
        if (policies.isEmpty()) {
            throw new UsageException("--policies must name at least one policy (or all); known: "
                    + String.join(", ", PolicyRegistry.names()));
        }
        if (policies.stream().distinct().count() != policies.size()) {
            throw new UsageException("--policies names a policy twice: " + String.join(",", policies));
        }
        try {
            return new SweepConfig(workload, parsed.has("prefill-budget") ? parsed.getInt("prefill-budget", 0) : base.prefillBudget(),
                    parsed.has("windows") ? parsed.getIntList("windows", base.windows()) : base.windows(),
                    parsed.has("recent") ? parsed.getInt("recent", 0) : base.recent(),
                    policies.equals(List.of("all")) ? base.policies() : policies);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * Refuses, before anything is allocated, a sweep whose simulation arrays do not fit the heap or
     * whose full cache alone does not fit the off-heap limit, with the figures.
     */
    static void checkMemory(SweepConfig config, long maxHeap, long maxOffHeap) throws UsageException {
        Sweep.Memory need;
        try {
            need = Sweep.memory(config);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (need.heapBytes() > maxHeap) {
            throw new UsageException("this sweep needs " + size(need.heapBytes()) + " of Java heap for its keys and "
                    + "attention rows, and the JVM allows " + size(maxHeap) + " (-Xmx): use a smaller --layout or shorter lengths");
        }
        if (need.offHeapMinBytes() > maxOffHeap) {
            throw new UsageException("this sweep needs at least " + size(need.offHeapMinBytes()) + " of off-heap memory for "
                    + "the full cache, and up to " + size(need.offHeapMaxBytes()) + " with every policy run; the limit is "
                    + size(maxOffHeap) + " (-Dorg.bytedeco.javacpp.maxbytes, default -Xmx): use a smaller --layout, "
                    + "shorter lengths or fewer --policies");
        }
        if (need.offHeapMaxBytes() > maxOffHeap) {
            LOG.warn("the policy runs may need up to {} of off-heap memory, above the limit of {}; policies that evict "
                    + "need far less", size(need.offHeapMaxBytes()), size(maxOffHeap));
        }
    }

    private static String size(long bytes) {
        return bytes == Long.MAX_VALUE ? "more than 8 EiB"
                : String.format(java.util.Locale.ROOT, "%.1f GiB (%,d bytes)", bytes / (double) (1L << 30), bytes);
    }

    /** Runs a sweep with a progress bar on {@code err}, writes its report into {@code output}, commits it and prints its table. */
    static Path sweep(SweepConfig config, OutputDirectory output, PrintStream out, PrintStream err) throws IOException {
        Sweep.Result result;
        try (Progress progress = new Progress("sweep", config.workload().maxNewTokens(), err)) {
            int last = config.workload().maxNewTokens();
            result = Sweep.run(config, (step, sim) -> {
                progress.update(step);
                // end the bar before the sweep logs its summary line
                if (step == last) {
                    progress.close();
                }
            });
        }
        List<Path> files = SweepReport.write(result, output.staging());
        Path dir = output.commit();
        LOG.info("wrote {} files to {}", files.size(), dir);
        out.print(SweepReport.markdown(result));
        out.println();
        out.println("Results: " + dir);
        out.flush();
        return dir;
    }
}
