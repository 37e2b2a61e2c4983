package io.scopekv.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * What every subcommand shares: the exit statuses and one-line messages (usage errors exit 2 with
 * a pointer to {@code --help}, failures exit 1, never a stack trace), the option types, the help
 * layout and the version.
 */
final class Commands {

    /** The command ran to the end. */
    static final int OK = 0;
    /** The command failed: unreadable or refused input, an output directory that cannot be used. */
    static final int FAILED = 1;
    /** The command line cannot be run as given. */
    static final int USAGE = 2;

    private Commands() {
    }

    /**
     * Caps ND4J's OpenMP and BLAS threads at the engine's thread count, so that prefill's matrix
     * products and the engine's own workers do not oversubscribe the cores. A process-wide setting,
     * hence made here, by the command that owns the process.
     */
    static void nd4jThreads(int threads) {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    /**
     * Gives a command line and every subcommand added so far the bench's option types, help layout,
     * version, streams and error handling.
     */
    static CommandLine configure(CommandLine cli, PrintStream out, PrintStream err) {
        OptionTypes.register(cli);
        configureHelp(cli);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setParameterExceptionHandler((e, args) -> usageError(e, err));
        cli.setExecutionExceptionHandler((e, command, parsed) -> failure(e, name(command), err));
        cli.setExecutionStrategy(parsed -> runLast(parsed, err));
        return cli;
    }

    private static void configureHelp(CommandLine cli) {
        CommandSpec spec = cli.getCommandSpec();
        spec.usageMessage().descriptionHeading("%n").optionListHeading("%nOptions:%n")
                .commandListHeading("%nCommands:%n").sortOptions(false).sortSynopsis(false);
        spec.versionProvider(new Version());
        cli.getSubcommands().values().forEach(Commands::configureHelp);
    }

    private static String name(CommandLine command) {
        return command.getCommandSpec().qualifiedName();
    }

    private static int usageError(ParameterException error, PrintStream err) {
        CommandLine command = error.getCommandLine();
        ParameterException e = error;
        if (e instanceof MissingParameterException && !command.getUnmatchedArguments().isEmpty()) {
            // picocli checks required options before unknown ones; a misspelt option is the likelier cause
            e = new UnmatchedArgumentException(command, command.getUnmatchedArguments());
        }
        if (e instanceof UnmatchedArgumentException u && !command.getSubcommands().isEmpty()
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
            err.println(name(command) + ": unknown command '" + u.getUnmatched().get(0) + "'; known: "
                    + String.join(", ", command.getSubcommands().keySet()));
        } else {
            err.println(name(command) + ": " + e.getMessage());
        }
        if (e instanceof UnmatchedArgumentException u) {
            PrintWriter suggestions = new PrintWriter(err, true);
            UnmatchedArgumentException.printSuggestions(u, suggestions);
            suggestions.flush();
        }
        err.println("Run '" + name(command) + " --help' for usage.");
        return USAGE;
    }

    /** Runs the last command named, turning an OutOfMemoryError, which picocli lets through, into one line. */
    private static int runLast(ParseResult parsed, PrintStream err) {
        try {
            return new CommandLine.RunLast().execute(parsed);
        } catch (OutOfMemoryError e) {
            List<CommandLine> commands = parsed.asCommandLineList();
            err.println(name(commands.get(commands.size() - 1)) + ": out of memory with a maximum heap of "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB; give the JVM more (-Xmx) or run a smaller "
                    + "configuration");
            return FAILED;
        }
    }

    /** The exit status and one line for an exception a command threw. */
    static int failure(Exception e, String name, PrintStream err) {
        if (e instanceof UsageException) {
            err.println(name + ": " + e.getMessage());
            err.println("Run '" + name + " --help' for usage.");
            return USAGE;
        }
        if (e instanceof IOException || e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
            err.println(name + ": " + message(e));
        } else if (e instanceof UncheckedIOException u) {
            err.println(name + ": " + message(u.getCause()));
        } else {
            // every expected failure has its own message above; this one is a defect, said in one line
            err.println(name + ": internal error, please report it with the command line: " + e);
        }
        return FAILED;
    }

    /**
     * The message, or the exception's kind when it has none (an EOFException, for one). File-system
     * exceptions carry only the path as their message, so the reason is added.
     */
    private static String message(Throwable e) {
        if (e instanceof FileSystemException f && f.getFile() != null && String.valueOf(f.getMessage()).equals(f.getFile())) {
            String reason = e instanceof NoSuchFileException ? "no such file or directory"
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof FileAlreadyExistsException ? "already exists"
                    : e instanceof NotDirectoryException ? "not a directory"
                    : e instanceof DirectoryNotEmptyException ? "directory not empty"
                    : e.getClass().getSimpleName();
            return f.getFile() + ": " + reason;
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** {@code --version}: the bench's version, from the build, and the Java runtime it runs on. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            java.util.Properties build = new java.util.Properties();
            try (var in = Commands.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    throw new IOException("version.properties is missing from the build");
                }
                build.load(in);
            }
            return new String[] {"scope-bench " + build.getProperty("version"),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ", "
                        + System.getProperty("java.vendor") + ")"};
        }
    }
}
