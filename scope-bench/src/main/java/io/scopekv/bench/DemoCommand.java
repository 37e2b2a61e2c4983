package io.scopekv.bench;

import java.io.PrintStream;
import picocli.CommandLine.Command;

/**
 * {@code scope-bench demo}: the paper's experiment on the tiny model shipped with the bench (the
 * {@code mini} command with its defaults). The synthetic workload stays available as {@code sweep}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = {
    "Run the paper's table on the tiny model shipped with the bench (the default command).",
    "%nThe mini command with its defaults: held-out mini-LongGenBench tasks answered greedily under the full cache "
        + "and under each policy of the paper's table. Prints the table, and writes results.md, results.json and "
        + "accuracy-memory.png to OUT/mini/."})
final class DemoCommand extends MiniCommand {

    DemoCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }
}
