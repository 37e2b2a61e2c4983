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
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code scope-bench sweep}: every policy at every decoding budget, written to a results directory. */
@Command(name = "sweep", mixinStandardHelpOptions = true, description = {
    "Run policies x budgets on the synthetic workload and write a report.",
    "%nEvery policy at each decoding budget against the full cache, on the synthetic LongGenBench-style workload. "
        + "Writes config.json, metrics.json, steps.csv, results.md and PNG charts to OUT/<configuration>/ and prints "
        + "the table."})
final class SweepCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(SweepCommand.class);

    @Mixin
    WorkloadOptions workload;

    @Option(names = "--prefill-budget", paramLabel = "P",
            description = "prompt tokens kept after prefill (default: 60%% of M; 2048 with --paper)")
    Integer prefillBudget;

    @Option(names = "--windows", paramLabel = "W", split = ",",
            description = "decoding budgets W (default: T/8,T/4, 12.5%% and 25%% of T; 512,1024 with --paper)")
    List<Integer> windows;

    @Option(names = "--recent", paramLabel = "R",
            description = "recent decoding tokens always kept (default: T/16; 256 with --paper)")
    Integer recent;

    // a label no other option of this command has: picocli's completion script keeps the
    // candidates in one variable per label
    @Option(names = "--policies", paramLabel = "POLICY", split = ",", completionCandidates = OptionTypes.PolicyNames.class,
            description = "registered policies to run besides the bounds full and random, or all; known: "
                    + "${COMPLETION-CANDIDATES} (default: all)")
    List<String> policies;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "results",
            description = "parent directory of the results directory (default: ${DEFAULT-VALUE})")
    Path outDir;

    @Mixin
    ForceOption force;

    private final PrintStream out;
    private final PrintStream err;

    SweepCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws UsageException, IOException {
        SweepConfig config = config();
        checkMemory(config, Runtime.getRuntime().maxMemory(), Pointer.maxBytes());
        try (OutputDirectory dir = force.open(outDir.resolve(config.directoryName()))) {
            sweep(config, dir, out, err);
        }
        return Commands.OK;
    }

    SweepConfig config() throws UsageException {
        WorkloadConfig workload = this.workload.workload();
        SweepConfig base = this.workload.paper ? SweepConfig.paper(workload) : SweepConfig.defaults(workload);
        List<String> names = policies == null ? List.of("all")
                : policies.stream().map(String::trim).filter(name -> !name.isEmpty()).toList();
        if (names.isEmpty()) {
            throw new UsageException("--policies must name at least one policy (or all); known: "
                    + String.join(", ", PolicyRegistry.names()));
        }
        if (names.stream().distinct().count() != names.size()) {
            throw new UsageException("--policies names a policy twice: " + String.join(",", names));
        }
        try {
            return new SweepConfig(workload, prefillBudget != null ? prefillBudget : base.prefillBudget(),
                    windows != null ? windows : base.windows(), recent != null ? recent : base.recent(),
                    names.equals(List.of("all")) ? base.policies() : names);
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
