package io.scopekv.bench;

import io.scopekv.bench.io.OutputDirectory;
import io.scopekv.bench.report.Progress;
import io.scopekv.bench.trace.TraceMeta;
import io.scopekv.bench.trace.TraceWriter;
import io.scopekv.bench.workload.LongGenWorkload;
import io.scopekv.bench.workload.WorkloadConfig;
import java.io.PrintStream;
import java.nio.file.Path;

/** {@code scope-bench export-trace}: the synthetic workload written in the replay format. */
public final class ExportTraceCommand {

    private ExportTraceCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options options = WorkloadOptions.declare(new Options("export-trace", "Writes the synthetic workload's tokens as a "
                + "trace directory (meta.json, q.npy, k.npy, v.npy) that replay reads."))
                .option("steps", "N", "decode steps to record", "T: 1024, or 4096 with --paper")
                .option("out", "DIR", "output directory", null);
        Commands.declareForce(options);
        return Commands.execute("export-trace", options, args, out, err, parsed -> {
            Path dir = Path.of(parsed.require("out"));
            WorkloadConfig config = WorkloadOptions.workload(parsed);
            int steps = parsed.has("steps") ? parsed.getInt("steps", 0) : config.maxNewTokens();
            if (steps < 0 || steps > config.maxNewTokens()) {
                throw new UsageException("--steps must be in [0, " + config.maxNewTokens() + "] (T), was " + steps);
            }
            LongGenWorkload workload = new LongGenWorkload(config);
            TraceMeta meta;
            try (OutputDirectory output = Commands.output(parsed, dir)) {
                try (Progress progress = new Progress("export", config.promptTokens() + steps, err)) {
                    meta = TraceWriter.write(workload, steps, output.staging(), progress::update);
                }
                output.commit();
            }
            out.println("Wrote trace of " + meta.tokens() + " tokens (M=" + meta.promptTokens() + ", " + meta.decodeSteps()
                    + " decode steps, " + meta.layout() + ") to " + dir);
            return 0;
        });
    }
}
