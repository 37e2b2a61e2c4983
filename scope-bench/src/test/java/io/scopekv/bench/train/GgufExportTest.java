package io.scopekv.bench.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.scopekv.bench.engine.AttentionPath;
import io.scopekv.bench.engine.LlamaModel;
import io.scopekv.bench.engine.LlamaSession;
import io.scopekv.bench.gguf.GgufFile;
import io.scopekv.bench.tokenizer.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GgufExportTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void engineReproducesTheTrainersLogits(boolean tied) throws Exception {
        ModelConfig config = new ModelConfig(32, 2, 4, 2, 48, TaskVocabulary.SIZE, 128, tied, 10000f, 1e-5f);
        ParamLayout layout = new ParamLayout(config);
        float[] params = layout.initialize(17);
        Transformer trainer = new Transformer(layout);
        Path file = dir.resolve("tiny.gguf");
        GgufExport.write(layout, params, new TaskConfig(5, 4, 2), "tiny", file);

        MiniTask task = MiniTask.eval(new TaskConfig(5, 4, 2), 0);
        int[] tokens = task.tokens();
        int n = tokens.length;
        float[] expected = trainer.logits(trainer.weights(params), tokens);   // [n, vocab]
        int vocab = config.vocabSize();
        int prompt = task.promptLength();
        double worst = 0;
        try (LlamaModel model = LlamaModel.load(file);
             LlamaSession session = LlamaSession.open(model, "prefill=full", AttentionPath.ENGINE)) {
            assertThat(model.tiedOutput()).isEqualTo(tied);
            float[] got = session.prefill(task.prompt());
            worst = Math.max(worst, relativeError(got, expected, (prompt - 1) * vocab));
            for (int i = prompt; i < n; i++) {
                got = session.decode(tokens[i]);
                worst = Math.max(worst, relativeError(got, expected, i * vocab));
            }
        }
        assertThat(worst).isLessThanOrEqualTo(1e-4);
    }

    @Test
    void tokenizerSectionEncodesTaskText() throws Exception {
        ParamLayout layout = new ParamLayout(ModelConfig.of(8, 1, 2, 1, 8, 64));
        Path file = dir.resolve("vocab.gguf");
        GgufExport.write(layout, layout.initialize(1), new TaskConfig(4, 3, 2), "vocab", file);
        MiniTask task = MiniTask.eval(new TaskConfig(4, 3, 2), 1);
        try (GgufFile gguf = GgufFile.open(file)) {
            Tokenizer tokenizer = Tokenizer.fromGguf(gguf);
            String body = task.text().substring("<s>".length());
            assertThat(tokenizer.encodePrompt(body)).isEqualTo(task.tokens());
            assertThat(tokenizer.decode(task.tokens())).isEqualTo(task.text());
            assertThat(GgufExport.task(gguf)).isEqualTo(new TaskConfig(4, 3, 2));
        }
        assertThat(Files.size(file)).isLessThan(5L << 20);
    }

    @Test
    void aFileWithoutTaskMetadataIsNamedAsSuch() throws Exception {
        Path file = dir.resolve("plain.gguf");
        new io.scopekv.bench.gguf.GgufWriter().put("general.architecture", io.scopekv.bench.gguf.GgufValue.string("llama"))
                .write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> GgufExport.task(gguf))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has no scopekv.task.facts metadata");
        }
    }

    /** Max |a - b| over the row, relative to the row's largest |b|. */
    private static double relativeError(float[] got, float[] expected, int offset) {
        double maxDiff = 0;
        double maxAbs = 0;
        for (int v = 0; v < got.length; v++) {
            maxDiff = Math.max(maxDiff, Math.abs(got[v] - expected[offset + v]));
            maxAbs = Math.max(maxAbs, Math.abs(expected[offset + v]));
        }
        return maxDiff / maxAbs;
    }
}
