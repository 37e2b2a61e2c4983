package io.scopekv.bench;

import io.scopekv.bench.io.OutputDirectory;
import io.scopekv.bench.report.Progress;
import io.scopekv.bench.trace.TraceMeta;
import io.scopekv.bench.trace.TraceWriter;
import io.scopekv.bench.workload.LongGenWorkload;
import io.scopekv.bench.workload.WorkloadConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code scope-bench export-trace}: the synthetic workload written in the replay format. */
@Command(name = "export-trace", mixinStandardHelpOptions = true, description = {
    "Write the synthetic workload as a trace for replay.",
    "%nWrites the synthetic workload's tokens as a trace directory (meta.json, q.npy, k.npy, v.npy) that replay "
        + "reads."})
final class ExportTraceCommand implements Callable<Integer> {

    @Mixin
    WorkloadOptions workload;

    @Option(names = "--steps", paramLabel = "N", description = "decode steps to record (default: T: 1024, or 4096 with --paper)")
    Integer steps;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "output directory")
    Path outDir;

    @Mixin
    ForceOption force;

    private final PrintStream out;
    private final PrintStream err;

    ExportTraceCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws UsageException, IOException {
        WorkloadConfig config = workload.workload();
        int steps = this.steps == null ? config.maxNewTokens() : this.steps;
        if (steps < 0 || steps > config.maxNewTokens()) {
            throw new UsageException("--steps must be in [0, " + config.maxNewTokens() + "] (T), was " + steps);
        }
        LongGenWorkload tokens = new LongGenWorkload(config);
        TraceMeta meta;
        try (OutputDirectory output = force.open(outDir)) {
            try (Progress progress = new Progress("export", config.promptTokens() + steps, err)) {
                meta = TraceWriter.write(tokens, steps, output.staging(), progress::update);
            }
            output.commit();
        }
        out.println("Wrote trace of " + meta.tokens() + " tokens (M=" + meta.promptTokens() + ", " + meta.decodeSteps()
                + " decode steps, " + meta.layout() + ") to " + outDir);
        return Commands.OK;
    }
}
