package io.scopekv.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs a command with its output captured; every run starts with empty buffers. */
public final class CommandCapture {

    private final Main.Command command;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    public CommandCapture(Main.Command command) {
        this.command = command;
    }

    /** The command's exit status. */
    public int run(String... args) {
        out.reset();
        err.reset();
        return command.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
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
