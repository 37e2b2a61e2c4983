package io.scopekv.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the command line with its output captured; every run starts with empty buffers. */
public final class CommandCapture {

    private final String[] leading;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Runs {@code scope-bench} with {@code leading} (a command name, say) before the arguments of each run. */
    public CommandCapture(String... leading) {
        this.leading = leading.clone();
    }

    /** The command's exit status. */
    public int run(String... args) {
        out.reset();
        err.reset();
        String[] line = new String[leading.length + args.length];
        System.arraycopy(leading, 0, line, 0, leading.length);
        System.arraycopy(args, 0, line, leading.length, args.length);
        return Main.run(line, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** What the last run printed to standard output. */
    public String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What the last run printed to standard error. */
    public String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
