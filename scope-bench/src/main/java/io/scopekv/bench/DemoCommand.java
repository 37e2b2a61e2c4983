package io.scopekv.bench;

import java.io.PrintStream;

/**
 * {@code scope-bench demo}: the paper's experiment on the tiny model shipped with the bench (the
 * {@code mini} command with its defaults). The synthetic workload stays available as {@code sweep}.
 */
public final class DemoCommand {

    private DemoCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return Commands.execute("demo", MiniCommand.options("demo"), args, out, err,
                parsed -> MiniCommand.execute(parsed, out, err));
    }
}
