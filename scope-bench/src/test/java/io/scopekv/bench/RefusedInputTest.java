package io.scopekv.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scopekv.bench.engine.AttentionPath;
import io.scopekv.bench.engine.LlamaModel;
import io.scopekv.bench.engine.LlamaSession;
import io.scopekv.bench.engine.RandomModel;
import io.scopekv.bench.gguf.GgmlType;
import io.scopekv.bench.gguf.GgufFile;
import io.scopekv.bench.mini.MiniModel;
import io.scopekv.bench.train.GgufExport;
import io.scopekv.bench.train.ModelConfig;
import io.scopekv.bench.train.ParamLayout;
import io.scopekv.bench.train.TaskConfig;
import io.scopekv.bench.train.TaskVocabulary;
import io.scopekv.bench.train.Trainer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input that must be refused with a message rather than run, or run into NaN. */
class RefusedInputTest {
    @TempDir
    Path dir;

    private final CommandCapture cli = new CommandCapture();

    private static final String[] TINY_TRAIN = {"--dim", "16", "--layers", "1", "--heads", "2", "--kv-heads", "1",
        "--facts", "3", "--digits", "1", "--steps", "6", "--batch", "2", "--eval-every", "3", "--eval-tasks", "1"};

    private int train(Path out, String... extra) {
        String[] args = new String[3 + TINY_TRAIN.length + extra.length];
        args[0] = "train";
        args[1] = "--out";
        args[2] = out.toString();
        System.arraycopy(TINY_TRAIN, 0, args, 3, TINY_TRAIN.length);
        System.arraycopy(extra, 0, args, 3 + TINY_TRAIN.length, extra.length);
        return cli.run(args);
    }

    @Test
    void nonFiniteHyperparametersAreRejected() {
        for (String lr : new String[] {"Infinity", "NaN", "-Infinity", "1e39"}) {
            assertThat(train(dir.resolve("run"), "--lr", lr)).as(lr).isEqualTo(2);
            assertThat(cli.err()).contains("Invalid value for option '--lr': '" + lr + "' is not a finite number");
        }
        assertThat(train(dir.resolve("run"), "--clip", "Infinity")).isEqualTo(2);
        assertThat(train(dir.resolve("run"), "--rope-theta", "NaN")).isEqualTo(2);
        assertThat(dir.resolve("run")).doesNotExist();
    }

    @Test
    void aDivergingRunStopsWithAClearErrorAndWritesNoModel() {
        Path out = dir.resolve("run");
        assertThat(train(out, "--lr", "1e30", "--clip", "1e30", "--warmup", "0")).isEqualTo(1);
        assertThat(cli.err()).containsPattern("\nscope-bench train: training diverged: the loss of step \\d is NaN; "
                + "nothing was written \\(lower --lr or --clip\\)\n$");
        assertThat(out.resolve(Trainer.MODEL)).doesNotExist();
        assertThat(out.resolve(Trainer.CHECKPOINT)).doesNotExist();
    }

    @Test
    void aNanWeightIsNamedAtLoadOrAtTheFirstNonFiniteActivation() throws IOException {
        // norms are decoded at load and checked there
        Path file = RandomModel.llama(4, 2, GgmlType.F32).write(dir);
        poison(file, "blk.0.ffn_norm.weight", 5);
        assertThatThrownBy(() -> LlamaModel.load(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ": tensor blk.0.ffn_norm.weight holds NaN at element 5; the model's weights must be finite");
        // matrices stay in their file encoding: the first NaN activation names the position, layer and tensor
        Path second = RandomModel.llama(4, 2, GgmlType.F32).write(Files.createDirectories(dir.resolve("b")));
        poison(second, "blk.1.ffn_up.weight", 64 * 3 + 17);
        try (LlamaModel model = LlamaModel.load(second);
             LlamaSession session = LlamaSession.open(model, "prefill=full", AttentionPath.CACHE)) {
            assertThatThrownBy(() -> session.prefill(new int[] {1, 2, 3})).isInstanceOf(IllegalStateException.class)
                    .hasMessage("position 0: layer 1 produced NaN; tensor blk.1.ffn_up.weight holds NaN in row 3");
        }
    }

    private static void poison(Path file, String tensor, int element) throws IOException {
        long offset;
        try (GgufFile gguf = GgufFile.open(file)) {
            offset = gguf.dataStart() + gguf.tensor(tensor).offset();
        }
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putFloat((int) offset + 4 * element, Float.NaN);
        Files.write(file, bytes);
    }

    @Test
    void numbersInOptionsAreAsciiDigits() {
        assertThat(cli.run("demo", "--tasks", "\uFF13")).isEqualTo(2);
        assertThat(cli.err()).contains("Invalid value for option '--tasks': '\uFF13' is not an integer");
        assertThat(cli.run("sweep", "--windows", "\u0664\u0668,64")).isEqualTo(2);
        assertThat(cli.err()).contains("Invalid value for option '--windows' (W): '\u0664\u0668' is not an integer");
    }

    @Test
    void emptyOrRepeatedPolicyListsAreRefused() throws IOException {
        assertThat(cli.run("sweep", "--policies", "", "--out", dir.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("--policies must name at least one policy (or all); known: ");
        assertThat(cli.run("sweep", "--policies", " , ", "--out", dir.toString())).isEqualTo(2);
        assertThat(cli.run("sweep", "--policies", "slide,h2o,slide", "--out", dir.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("--policies names a policy twice: slide,h2o,slide");
        Path model = RandomModel.llama(4, 2, GgmlType.F32).withByteTokenizer().write(dir);
        Path data = Files.writeString(dir.resolve("gsm8k_30.jsonl"), "{\"prompt\": \"p\", \"answers\": [\"1\"]}\n");
        for (String second : new String[] {"prefill=full", "prefill=full,decoding=none"}) {
            assertThat(cli.run("longgenbench", "--model", model.toString(), "--data", data.toString(), "--policy",
                    "prefill=full", "--policy", second, "--out", dir.resolve("lgb").toString())).isEqualTo(2);
            assertThat(cli.err()).contains("--policy " + second + " is given twice");
        }
        assertThat(dir.resolve("lgb")).doesNotExist();
    }

    @Test
    void specialTokenIdsOutsideTheVocabularyAreRefusedByEveryCommand() throws IOException {
        // longgenbench reads a general tokenizer
        Path model = RandomModel.llama(4, 2, GgmlType.F32).withByteTokenizer().write(dir);
        patchUint32(model, "tokenizer.ggml.eos_token_id", 9999);
        Path data = Files.writeString(dir.resolve("gsm8k_30.jsonl"), "{\"prompt\": \"p\", \"answers\": [\"1\"]}\n");
        assertThat(cli.run("longgenbench", "--model", model.toString(), "--data", data.toString(), "--policy",
                "prefill=full", "--out", dir.resolve("lgb").toString())).isEqualTo(1);
        assertThat(cli.err()).contains(model + ": tokenizer.ggml.eos_token_id = 9999 is outside the vocabulary of 258 tokens");
        // mini reads the task's own vocabulary
        ModelConfig config = ModelConfig.of(16, 1, 2, 1, 48, 64);
        ParamLayout layout = new ParamLayout(config);
        Path mini = dir.resolve("mini.gguf");
        GgufExport.write(layout, layout.initialize(1), new TaskConfig(3, 3, 1), "mini", mini);
        patchUint32(mini, "tokenizer.ggml.bos_token_id", TaskVocabulary.SIZE);
        assertThatThrownBy(() -> MiniModel.load(mini)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(mini + ": tokenizer.ggml.bos_token_id = " + TaskVocabulary.SIZE + " is outside the vocabulary of "
                        + TaskVocabulary.SIZE + " tokens");
        assertThat(cli.run("mini", "--model", mini.toString(), "--out", dir.resolve("m").toString())).isEqualTo(1);
        assertThat(cli.err()).contains("bos_token_id = " + TaskVocabulary.SIZE + " is outside the vocabulary");
    }

    private static void patchUint32(Path file, String key, int value) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        byte[] prefixed = ByteBuffer.allocate(8 + key.length()).order(ByteOrder.LITTLE_ENDIAN).putLong(key.length())
                .put(key.getBytes(StandardCharsets.US_ASCII)).array();
        int at = -1;
        for (int i = 0; i + prefixed.length <= bytes.length && at < 0; i++) {
            if (java.util.Arrays.equals(bytes, i, i + prefixed.length, prefixed, 0, prefixed.length)) {
                at = i;
            }
        }
        assertThat(at).as(key).isNotNegative();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(at + prefixed.length + 4, value);
        Files.write(file, bytes);
    }
}
