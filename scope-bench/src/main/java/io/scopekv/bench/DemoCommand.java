package io.scopekv.bench;

import io.scopekv.bench.sweep.SweepConfig;
import io.scopekv.bench.workload.WorkloadConfig;
import java.io.PrintStream;
import java.nio.file.Path;

/** {@code scope-bench demo}: the default sweep, its table printed to stdout. */
public final class DemoCommand {

    private DemoCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options options = new Options("demo", "Runs the default sweep (every registered policy at W = 12.5% and 25% of T "
                + "on the small synthetic workload)\nand prints the combined table; the full report goes to OUT/<configuration>/.")
                .option("seed", "N", "workload seed", "42")
                .option("out", "DIR", "parent directory of the results directory", "results");
        return Commands.execute("demo", options, args, out, err, parsed -> {
            long seed;
            try {
                seed = Long.parseLong(parsed.get("seed").trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--seed must be an integer, was '" + parsed.get("seed") + "'");
            }
            SweepConfig config = SweepConfig.defaults(WorkloadConfig.defaults().withSeed(seed));
            SweepCommand.sweep(config, Path.of(parsed.get("out")), out, err);
            return 0;
        });
    }
}
