package io.scopekv.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scopekv.bench.engine.LlamaModel;
import io.scopekv.bench.engine.RandomModel;
import io.scopekv.bench.gguf.GgmlType;
import io.scopekv.bench.gguf.GgufFile;
import io.scopekv.bench.io.JsonFormat;
import io.scopekv.bench.longgenbench.LongGenBenchExample;
import io.scopekv.bench.train.Checkpoint;
import io.scopekv.bench.train.ModelConfig;
import io.scopekv.bench.train.TaskConfig;
import io.scopekv.bench.train.TrainConfig;
import io.scopekv.bench.train.Trainer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged and hostile files and sizes get one line naming the file, the item and the rule: never a raw exception. */
class BadFilesTest {
    @TempDir
    Path dir;

    private final CommandCapture cli = new CommandCapture();

    /** Offset of the first weight-array length in a checkpoint: the fixed-size header before it. */
    private static final int CHECKPOINT_ARRAY_LENGTH = 117;

    @Test
    void aGgufWithZeroHeadsIsRefusedNamingTheFileAndTheKey() throws IOException {
        Path file = RandomModel.llama(4, 2, GgmlType.F32).write(dir);
        byte[] bytes = Files.readAllBytes(file);
        int value = valueOffset(bytes, "llama.attention.head_count");
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(value, 0);
        Files.write(file, bytes);
        assertThatThrownBy(() -> LlamaModel.load(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ": llama.embedding_length and llama.attention.head_count must be positive, were 64 and 0");
    }

    @Test
    void aGgufThatClaimsABillionTensorsIsRefusedBeforeReadingThem() throws IOException {
        Path file = RandomModel.llama(4, 2, GgmlType.F32).write(dir);
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(8, 1_000_000_000L);
        Files.write(file, bytes);
        assertThatThrownBy(() -> GgufFile.open(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file + ": tensor count 1000000000 cannot fit in the ");
    }

    @Test
    void aDamagedTensorEntryIsNamedByFileIndexAndName() throws IOException {
        Path file = RandomModel.llama(4, 2, GgmlType.F32).write(dir);
        byte[] bytes = Files.readAllBytes(file);
        // the first tensor's dimension count follows its name
        int dims = indexOf(bytes, "token_embd.weight".getBytes(StandardCharsets.US_ASCII)) + "token_embd.weight".length();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(dims, 0);
        Files.write(file, bytes);
        assertThatThrownBy(() -> GgufFile.open(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ": tensor token_embd.weight (entry 0): 0 dimensions; GGUF allows 1..4");
        // an empty name: the entry is still named, by its index
        byte[] nameless = Files.readAllBytes(RandomModel.llama(4, 2, GgmlType.F32).write(Files.createDirectories(dir.resolve("b"))));
        int name = indexOf(nameless, "token_embd.weight".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer.wrap(nameless).order(ByteOrder.LITTLE_ENDIAN).putLong(name - 8, 0);
        Path second = Files.write(dir.resolve("nameless.gguf"), nameless);
        assertThatThrownBy(() -> GgufFile.open(second)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(second + ": tensor #0 (empty name): ");
    }

    @Test
    void aCheckpointWithImpossibleLengthsOrCutShortIsNamedNotThrownRaw() throws IOException {
        Path run = Files.createDirectories(dir.resolve("run"));
        Path file = run.resolve(Trainer.CHECKPOINT);
        ModelConfig model = ModelConfig.of(16, 1, 2, 1, 48, 64);
        TrainConfig config = new TrainConfig(model, new TaskConfig(3, 3, 1), 1, 10, 2, 1e-3f, 1, 0f, 1f, 1, 5, 2, 1);
        new Checkpoint(config, 0, 0, new float[5], new float[5], new float[5], List.of()).write(file);
        byte[] good = Files.readAllBytes(file);
        assertThat(ByteBuffer.wrap(good).getInt(CHECKPOINT_ARRAY_LENGTH)).as("layout of the header").isEqualTo(5);
        for (int length : new int[] {Integer.MAX_VALUE, -1}) {
            byte[] bad = good.clone();
            ByteBuffer.wrap(bad).putInt(CHECKPOINT_ARRAY_LENGTH, length);
            Files.write(file, bad);
            assertThatThrownBy(() -> Checkpoint.read(file)).isInstanceOf(IOException.class)
                    .hasMessage(file + " is not a valid checkpoint: weight array length " + length
                            + " does not fit a file of " + good.length + " bytes");
        }
        Files.write(file, Arrays.copyOf(good, good.length - 7));
        assertThat(cli.run("train", "--out", run.toString(), "--resume")).isEqualTo(1);
        assertThat(cli.err()).isEqualTo("scope-bench train: " + file + " is truncated: the file ends inside the checkpoint\n");
    }

    @Test
    void aSweepThatCannotFitTheHeapIsRefusedUpFrontWithTheFigure() {
        assertThat(cli.run("sweep", "--layout", "1000,1000,1000,1000", "--out", dir.toString())).isEqualTo(2);
        // 4 bytes x (1000 layers x 1000 KV heads x (M + T = 1552) tokens x 1000 dims + 1000 query heads x 1552)
        assertThat(cli.err()).startsWith("scope-bench sweep: this sweep needs 5781.7 GiB (6,208,006,208,000 bytes) "
                + "of Java heap").contains("(-Xmx)");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void longGenBenchLinesWithWrongFieldTypesAreNamedByLineAndField() throws IOException {
        Path file = dir.resolve("gsm8k_30.jsonl");
        String good = JsonFormat.write(Map.of("prompt", "p", "answers", List.of("1")));
        for (String[] bad : new String[][] {
            {JsonFormat.write(Map.of("prompt", 5, "answers", List.of("1"))), "\"prompt\" must be a string, was 5"},
            {JsonFormat.write(Map.of("prompt", "p", "answers", "1")), "\"answers\" must be a list of strings, was \"1\""},
            {JsonFormat.write(Map.of("prompt", "p", "answers", List.of(1))), "\"answers\" must be a list of strings, had 1"},
            {"[1, 2]", "a line must be a JSON object"},
            {"{\"prompt\": \"p\", \"answers\": [\"1\"]", "JSON syntax error at line 1, column 33: Unexpected end-of-input: "
                + "expected close marker for Object (start marker at [line: 1, column: 1])"}}) {
            Files.writeString(file, good + "\n" + bad[0] + "\n");
            assertThatThrownBy(() -> LongGenBenchExample.load(file)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(file + " line 2 is not a LongGenBench example: " + bad[1]);
        }
    }

    private static int valueOffset(byte[] bytes, String key) {
        byte[] prefixed = ByteBuffer.allocate(8 + key.length()).order(ByteOrder.LITTLE_ENDIAN).putLong(key.length())
                .put(key.getBytes(StandardCharsets.US_ASCII)).array();
        return indexOf(bytes, prefixed) + prefixed.length + 4;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void aSweepWhoseFullCacheCannotFitOffHeapIsRefusedWithTheFigures() throws UsageException {
        io.scopekv.bench.sweep.SweepConfig config = io.scopekv.bench.sweep.SweepConfig.defaults(
                io.scopekv.bench.workload.WorkloadConfig.defaults());
        long full = io.scopekv.bench.sweep.Sweep.memory(config).offHeapMinBytes();
        assertThatThrownBy(() -> SweepCommand.checkMemory(config, Long.MAX_VALUE, full - 1))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("this sweep needs at least ")
                .hasMessageContaining(String.format(java.util.Locale.ROOT, "(%,d bytes) of off-heap memory", full));
        SweepCommand.checkMemory(config, Long.MAX_VALUE, Long.MAX_VALUE);
    }

    /** A command {@code scope-bench x} that throws what it is given. */
    @picocli.CommandLine.Command(name = "x")
    static final class Throwing implements java.util.concurrent.Callable<Integer> {
        private final Throwable thrown;

        Throwing(Throwable thrown) {
            this.thrown = thrown;
        }

        @Override
        public Integer call() throws Exception {
            if (thrown instanceof Error e) {
                throw e;
            }
            throw (Exception) thrown;
        }
    }

    @picocli.CommandLine.Command(name = "scope-bench")
    static final class Top {
    }

    private static int runThrowing(Throwable thrown, java.io.PrintStream err) {
        picocli.CommandLine cli = new picocli.CommandLine(new Top()).addSubcommand(new Throwing(thrown));
        return Commands.configure(cli, System.out, err).execute("x");
    }

    @Test
    void anUnexpectedExceptionOrOutOfMemoryIsOneLineNotAStackTrace() {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream errStream = new java.io.PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(runThrowing(new ArithmeticException("/ by zero"), errStream)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("scope-bench x: internal error, please report it with the command line: "
                        + "java.lang.ArithmeticException: / by zero\n");
        err.reset();
        assertThat(runThrowing(new OutOfMemoryError("Java heap space"), errStream)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("scope-bench x: out of memory with a maximum heap of ")
                .contains("-Xmx").hasLineCount(1);
        err.reset();
        assertThat(runThrowing(new java.io.EOFException(), errStream)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("scope-bench x: EOFException\n");
        err.reset();
        assertThat(runThrowing(new java.nio.file.NoSuchFileException("/proc/x"), errStream)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("scope-bench x: /proc/x: no such file or directory\n");
        err.reset();
        assertThat(runThrowing(new java.io.UncheckedIOException(new java.nio.file.AccessDeniedException("/root/x")), errStream))
                .isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("scope-bench x: /root/x: permission denied\n");
        err.reset();
        assertThat(runThrowing(new UsageException("--n must be even, was 3"), errStream)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("scope-bench x: --n must be even, was 3\n"
                + "Run 'scope-bench x --help' for usage.\n");
    }
}
