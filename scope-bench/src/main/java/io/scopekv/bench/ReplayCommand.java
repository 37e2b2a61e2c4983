package io.scopekv.bench;

import io.scopekv.PolicySpec;
import io.scopekv.bench.io.JsonFormat;
import io.scopekv.bench.io.OutputDirectory;
import io.scopekv.bench.report.Progress;
import io.scopekv.bench.trace.Replay;
import io.scopekv.bench.trace.TraceMeta;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/** {@code scope-bench replay}: one policy over a recorded trace, beside the full cache. */
public final class ReplayCommand {

    private ReplayCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options options = new Options("replay", "Replays a recorded trace (meta.json, q.npy, k.npy, v.npy; see docs/replay.md) "
                + "through one policy\nand writes kept.jsonl (kept positions per step and layer) and summary.json to OUT.")
                .option("trace", "DIR", "trace directory", null)
                .option("policy", "SPEC", "policy spec, e.g. prefill=snapkv(P=2048,w=8),decoding=slide(W=512,R=256)", null)
                .option("out", "DIR", "output directory", null);
        Commands.declareForce(options);
        return Commands.execute("replay", options, args, out, err, parsed -> {
            Path trace = Path.of(parsed.require("trace"));
            String spec = parsed.require("policy");
            Path dir = Path.of(parsed.require("out"));
            try {
                PolicySpec.parse(spec);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--policy: " + e.getMessage());
            }
            int steps = TraceMeta.read(trace).decodeSteps();
            Map<String, Object> summary;
            try (OutputDirectory output = Commands.output(parsed, dir)) {
                try (Progress progress = new Progress("replay", steps, err)) {
                    summary = Replay.run(trace, spec, output.staging(), (step, sim) -> progress.update(step));
                }
                output.commit();
            }
            out.print(JsonFormat.pretty(summary));
            out.println("Results: " + dir);
            return 0;
        });
    }
}
