package io.scopekv.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code scope-bench} entry point. {@code scope-bench [COMMAND] [options]}; without a command
 * it runs {@code demo}. Every command is one {@link #register} line.
 */
public final class Main {

    /** A subcommand: parses its own arguments, prints to {@code out}/{@code err}, returns the exit status. */
    @FunctionalInterface
    public interface Command {
        int run(String[] args, PrintStream out, PrintStream err);
    }

    private record Registered(String summary, Command command) {
    }

    static final String DEFAULT_COMMAND = "demo";
    private static final Map<String, Registered> COMMANDS = new LinkedHashMap<>();

    static {
        register("demo", "run the paper's table on the tiny model shipped with the bench (the default command)", DemoCommand::run);
        register("sweep", "run policies x budgets on the synthetic workload and write a report", SweepCommand::run);
        register("replay", "run one policy over a recorded trace and write what it kept", ReplayCommand::run);
        register("export-trace", "write the synthetic workload as a trace for replay", ExportTraceCommand::run);
        register("longgenbench", "run LongGenBench on a GGUF model with one or more policies", LongGenBenchCommand::run);
        register("mini", "run the paper's table on a model trained on the mini-LongGenBench task", MiniCommand::run);
        register("fidelity", "measure how far each policy moves a GGUF model's output from the full cache's", FidelityCommand::run);
        register("train", "train a tiny Llama model on the mini-LongGenBench task and export it as GGUF", TrainCommand::run);
    }

    private Main() {
    }

    private static void register(String name, String summary, Command command) {
        COMMANDS.put(name, new Registered(summary, command));
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command line and returns the exit status (0 ok, 1 failure, 2 usage error). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        System.setProperty("java.awt.headless", "true");
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help"))) {
            out.print(usage());
            return 0;
        }
        String name = args.length == 0 || args[0].startsWith("-") ? DEFAULT_COMMAND : args[0];
        String[] rest = args.length == 0 || args[0].startsWith("-") ? args : Arrays.copyOfRange(args, 1, args.length);
        Registered command = COMMANDS.get(name);
        if (command == null) {
            err.println("scope-bench: unknown command '" + name + "'; known: " + String.join(", ", COMMANDS.keySet()));
            err.println("Run 'scope-bench --help' for usage.");
            return 2;
        }
        return command.command().run(rest, out, err);
    }

    static String usage() {
        StringBuilder out = new StringBuilder("usage: scope-bench [COMMAND] [options]   (COMMAND defaults to ")
                .append(DEFAULT_COMMAND).append(")\n\ncommands:\n");
        COMMANDS.forEach((name, c) -> out.append("  ").append(name).append(" ".repeat(Math.max(2, 16 - name.length())))
                .append(c.summary()).append('\n'));
        out.append("\nRun 'scope-bench COMMAND --help' for a command's options.\n");
        return out.toString();
    }
}
