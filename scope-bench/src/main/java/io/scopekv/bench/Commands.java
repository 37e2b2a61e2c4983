package io.scopekv.bench;

import java.io.IOException;
import java.io.PrintStream;

/** Shared error handling of the subcommands: usage errors exit 2, failures exit 1, both with one clear line. */
final class Commands {

    /** A command body. */
    @FunctionalInterface
    interface Body {
        int run(Options.Parsed parsed) throws UsageException, IOException;
    }

    private Commands() {
    }

    static int execute(String name, Options options, String[] args, PrintStream out, PrintStream err, Body body) {
        try {
            Options.Parsed parsed = options.parse(args);
            if (parsed.has("help")) {
                out.print(options.help());
                return 0;
            }
            return body.run(parsed);
        } catch (UsageException e) {
            err.println("scope-bench " + name + ": " + e.getMessage());
            err.println("Run 'scope-bench " + name + " --help' for usage.");
            return 2;
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            err.println("scope-bench " + name + ": " + e.getMessage());
            return 1;
        }
    }
}
