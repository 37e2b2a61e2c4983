package io.scopekv.bench;

import java.io.PrintStream;
import java.util.Set;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code scope-bench} entry point: {@code scope-bench [COMMAND] [OPTIONS]}; without a command
 * it runs {@code demo}. Every command is one {@code addSubcommand} line in {@link #commandLine}.
 */
@Command(name = "scope-bench", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "[COMMAND]",
        description = "Runs the scope-kv experiments: the paper's table on a tiny model of our own, synthetic "
                + "workloads, trace replay, LongGenBench and fidelity on GGUF models, and the trainer. Without a "
                + "command, runs demo (options after it go to demo).",
        footer = {"%nRun 'scope-bench COMMAND --help' for a command's options; "
            + "'source <(scope-bench generate-completion)' completes commands and options in bash."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:the command ran to the end",
            "1:it failed: unreadable or refused input, an output directory that holds results (see --force) or "
                + "cannot be written, an internal error; nothing half-written is left",
            "2:the command line cannot be run as given: the message names the option, the value and the rule"})
public final class Main {

    static final String DEFAULT_COMMAND = "demo";

    /** What picocli answers at the top level; any other option starts the default command's options. */
    private static final Set<String> TOP_LEVEL_OPTIONS = Set.of("-h", "--help", "-V", "--version");

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command line and returns the exit status (0 ok, 1 failure, 2 usage error). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        System.setProperty("java.awt.headless", "true");
        boolean noCommand = args.length == 0 || args[0].startsWith("-") && !TOP_LEVEL_OPTIONS.contains(args[0]);
        String[] line = args;
        if (noCommand) {
            line = new String[args.length + 1];
            line[0] = DEFAULT_COMMAND;
            System.arraycopy(args, 0, line, 1, args.length);
        }
        try {
            return commandLine(out, err).execute(line);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The command line with every subcommand, writing to {@code out} and {@code err}. */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new Main())
                .addSubcommand(new DemoCommand(out, err))
                .addSubcommand(new SweepCommand(out, err))
                .addSubcommand(new ReplayCommand(out, err))
                .addSubcommand(new ExportTraceCommand(out, err))
                .addSubcommand(new LongGenBenchCommand(out))
                .addSubcommand(new MiniCommand(out, err))
                .addSubcommand(new FidelityCommand(out, err))
                .addSubcommand(new TrainCommand(out, err))
                .addSubcommand(new AutoComplete.GenerateCompletion())
                .addSubcommand(new CommandLine.HelpCommand());
        return Commands.configure(cli, out, err);
    }
}
