package io.scopekv.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.scopekv.CacheLayout;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line itself: option syntax, types, defaults, help, version and completion. */
class CommandLineTest {

    @TempDir
    Path dir;

    private final CommandCapture cli = new CommandCapture();

    /** The command object that {@code args} selects, with its options set. */
    private static Object parse(String... args) {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        CommandLine.ParseResult parsed = Main.commandLine(sink, sink).parseArgs(args);
        return parsed.subcommand().commandSpec().userObject();
    }

    @Test
    void repeatableKeepsEveryValueInOrder() {
        LongGenBenchCommand command = (LongGenBenchCommand) parse("longgenbench", "--model", "pom.xml", "--data", "pom.xml",
                "--policy", "decoding=slide(W=8,R=4)", "--out", "o", "--policy=prefill=full", "--policy", "decoding=h2o(W=8,R=4)");
        assertThat(command.policies).containsExactly("decoding=slide(W=8,R=4)", "prefill=full", "decoding=h2o(W=8,R=4)");
        assertThat(command.outDir).isEqualTo(Path.of("o"));
    }

    @Test
    void absentOptionsTakeTheirDefaults() throws UsageException {
        SweepCommand sweep = (SweepCommand) parse("sweep");
        assertThat(sweep.windows).isNull();
        assertThat(sweep.config().windows()).containsExactly(128, 256);
        assertThat(sweep.config().policies()).hasSizeGreaterThan(2);
        assertThat(sweep.outDir).isEqualTo(Path.of("results"));
        assertThat(sweep.workload.layout).isEqualTo(CacheLayout.of(2, 4, 2, 64));
        assertThat(((SweepCommand) parse("sweep", "--windows", "64", "--windows", " 96, 32")).windows).containsExactly(64, 96, 32);
        LongGenBenchCommand longgenbench = (LongGenBenchCommand) parse("longgenbench", "--model", "pom.xml", "--data", "pom.xml",
                "--policy", "prefill=full");
        assertThat(longgenbench.outDir).isEqualTo(Path.of("results/longgenbench"));
        assertThat(longgenbench.examples).isNull();
    }

    @Test
    void onlyRepeatableOptionsMayBeGivenTwice() {
        assertThat(cli.run("sweep", "--out", "a", "--out", "b")).isEqualTo(2);
        assertThat(cli.err()).startsWith("scope-bench sweep: option '--out' (DIR) should be specified only once\n");
        assertThat(cli.run("sweep", "--force", "--force")).isEqualTo(2);
        assertThat(cli.err()).startsWith("scope-bench sweep: option '--force' should be specified only once\n");
        assertThat(cli.run("longgenbench", "--policy")).isEqualTo(2);
        assertThat(cli.err()).startsWith("scope-bench longgenbench: Missing required parameter for option '--policy' (SPEC)\n");
    }

    @Test
    void helpMarksRepeatableOptionsAndDefaults() {
        assertThat(cli.run("longgenbench", "--help")).isZero();
        assertThat(cli.out()).startsWith("Usage: scope-bench longgenbench [-hV] --model=FILE --data=FILE --policy=SPEC\n")
                .contains("[--policy=SPEC]...", "(repeatable)", "(default: results/longgenbench)",
                        "how the instruction is joined to the prompt: llama3,");
        assertThat(cli.run("help", "sweep")).isZero();
        assertThat(cli.out()).startsWith("Usage: scope-bench sweep").contains("known: full, random, slide,", "(default: 60% of M;");
    }

    @Test
    void longsAndNumbers() {
        TrainCommand train = (TrainCommand) parse("train", "--out", "o", "--seed", "12345678901", "--lr=2.5e-3");
        assertThat(train.seed).isEqualTo(12345678901L);
        assertThat(train.lr).isEqualTo(2.5e-3f);
        TrainCommand defaults = (TrainCommand) parse("train", "--out", "o");
        assertThat(defaults.seed).isEqualTo(1);
        assertThat(defaults.lr).isEqualTo(3e-3f);
        assertThat(defaults.steps).as("absent: 2000, or the checkpoint's total with --resume").isNull();
        assertThat(cli.run("train", "--out", dir.toString(), "--seed", "x")).isEqualTo(2);
        assertThat(cli.err()).contains("Invalid value for option '--seed': 'x' is not an integer");
        assertThat(cli.run("train", "--out", dir.toString(), "--rope-theta", "fast")).isEqualTo(2);
        assertThat(cli.err()).contains("Invalid value for option '--rope-theta': 'fast' is not a finite number");
        assertThat(cli.run("demo", "--tasks", "99999999999")).isEqualTo(2);
        assertThat(cli.err()).contains("Invalid value for option '--tasks': '99999999999' is not an integer in [-2147483648, "
                + "2147483647]");
        assertThat(cli.run("sweep", "--layout", "2,x,2,8")).isEqualTo(2);
        assertThat(cli.err()).contains("Invalid value for option '--layout': '2,x,2,8' is not preset, llama3-8b or "
                + "LAYERS,QHEADS,KVHEADS,HEADDIM: entry 2, 'x' is not an integer");
        assertThat(((SweepCommand) parse("sweep", "--layout", "LLAMA3-8B")).workload.layout).isEqualTo(CacheLayout.of(32, 32, 8, 128));
    }

    @Test
    void withoutACommandTheDemoRunsWithTheOptionsGiven() {
        assertThat(cli.run("--tasks", "0")).isEqualTo(2);
        assertThat(cli.err()).startsWith("scope-bench demo: Invalid value for option '--tasks': '0' is not a positive integer\n");
        assertThat(Main.commandLine(System.out, System.err).getSubcommands()).containsKey(Main.DEFAULT_COMMAND);
    }

    @Test
    void aMisspeltOptionIsNamedWithTheNearestOneEvenWhenARequiredOptionIsMissing() {
        assertThat(cli.run("sweep", "--windws", "64")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("scope-bench sweep: Unknown options: '--windws', '64'\nPossible solutions: --windows\n"
                + "Run 'scope-bench sweep --help' for usage.\n");
        assertThat(cli.run("replay", "--polcy", "prefill=full")).isEqualTo(2);
        assertThat(cli.err()).startsWith("scope-bench replay: Unknown options: '--polcy', 'prefill=full'\n")
                .contains("Possible solutions: --policy");
        assertThat(cli.run("swep")).isEqualTo(2);
        assertThat(cli.err()).startsWith("scope-bench: unknown command 'swep'; known: demo, sweep, replay, ")
                .contains("Did you mean: scope-bench sweep");
    }

    @Test
    void everyLevelPrintsItsHelpAndTheVersion() {
        // picocli reads descriptions as format strings and warns on System.err about a bare '%'
        PrintStream original = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            for (String command : Main.commandLine(System.out, System.err).getSubcommands().keySet()) {
                if (command.equals("help")) {
                    continue;
                }
                assertThat(cli.run(command, "--version")).as(command).isZero();
                assertThat(cli.out()).as(command).startsWith("scope-bench 0.").contains("Java " + Runtime.version());
                assertThat(cli.run(command, "-h")).as(command).isZero();
                assertThat(cli.out()).as(command).startsWith("Usage: scope-bench " + command).doesNotContain("%n");
            }
        } finally {
            System.setErr(original);
        }
        assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(cli.run("-V")).isZero();
        assertThat(cli.out()).startsWith("scope-bench 0.");
        assertThat(cli.run("--help")).isZero();
        assertThat(cli.out()).startsWith("Usage: scope-bench [-hV] [COMMAND]")
                .contains("generate-completion", "Exit status:", "  0   the command ran to the end",
                        "  1   it failed", "  2   the command line cannot be run as given");
    }

    @Test
    void generateCompletionPrintsABashScriptThatCompletesCommandsOptionsAndValues() throws Exception {
        assertThat(cli.run("generate-completion")).isZero();
        Path script = Files.writeString(dir.resolve("scope-bench.bash"), cli.out());
        // what a user does: source it, then press TAB after a partial command and after an option
        String session = "source '" + script + "'\n"
                + "complete -p scope-bench\n"
                + "COMP_WORDS=(scope-bench sw); COMP_CWORD=1; _complete_scope-bench; echo \"[${COMPREPLY[*]}]\"\n"
                + "COMP_WORDS=(scope-bench sweep --pre); COMP_CWORD=2; _complete_scope-bench; echo \"[${COMPREPLY[*]}]\"\n"
                + "COMP_WORDS=(scope-bench mini --attention ''); COMP_CWORD=3; _complete_scope-bench; echo \"[${COMPREPLY[*]}]\"\n"
                + "COMP_WORDS=(scope-bench sweep --layout ''); COMP_CWORD=3; _complete_scope-bench; echo \"[${COMPREPLY[*]}]\"\n";
        Process bash = new ProcessBuilder("bash", "-c", session).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor()).as(out).isZero();
        assertThat(out.lines().toList()).containsExactly("complete -o default -F _complete_scope-bench scope-bench",
                "[sweep]", "[--prefill-budget]", "[engine cache]", "[preset llama3-8b]");
    }

    @Test
    void outputOptionsArePaths() {
        MiniCommand mini = (MiniCommand) parse("mini", "--out", "a/b");
        assertThat(mini.outDir).isEqualTo(Path.of("a/b"));
        assertThat(mini.modelFile).isNull();
        assertThat(cli.run("mini", "--model", dir.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("Invalid value for option '--model': '" + dir + "' is not a file (a directory)");
        assertThat(List.of(cli.err().split("\n"))).hasSize(2);
    }
}
