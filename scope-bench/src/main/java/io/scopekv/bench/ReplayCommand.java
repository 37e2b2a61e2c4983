package io.scopekv.bench;

import io.scopekv.bench.io.JsonFormat;
import io.scopekv.bench.io.OutputDirectory;
import io.scopekv.bench.report.Progress;
import io.scopekv.bench.trace.Replay;
import io.scopekv.bench.trace.TraceMeta;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code scope-bench replay}: one policy over a recorded trace, beside the full cache. */
@Command(name = "replay", mixinStandardHelpOptions = true, description = {
    "Run one policy over a recorded trace and write what it kept.",
    "%nReplays a recorded trace (meta.json, q.npy, k.npy, v.npy; see docs/replay.md) through one policy and writes "
        + "kept.jsonl (kept positions per step and layer) and summary.json to OUT."})
final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--trace", paramLabel = "DIR", required = true, description = "trace directory")
    Path trace;

    @Option(names = "--policy", paramLabel = "SPEC", required = true, converter = OptionTypes.PolicySpecText.class,
            description = "policy spec, e.g. prefill=snapkv(P=2048,w=8),decoding=slide(W=512,R=256)")
    String policy;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "output directory")
    Path outDir;

    @Mixin
    ForceOption force;

    private final PrintStream out;
    private final PrintStream err;

    ReplayCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws IOException {
        int steps = TraceMeta.read(trace).decodeSteps();
        Map<String, Object> summary;
        try (OutputDirectory output = force.open(outDir)) {
            try (Progress progress = new Progress("replay", steps, err)) {
                summary = Replay.run(trace, policy, output.staging(), (step, sim) -> progress.update(step));
            }
            output.commit();
        }
        out.print(JsonFormat.pretty(summary));
        out.println("Results: " + outDir);
        return Commands.OK;
    }
}
