package io.scopekv.bench.fidelity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.scopekv.bench.SharedData;
import io.scopekv.StorageType;
import io.scopekv.bench.engine.AttentionPath;
import io.scopekv.bench.engine.LlamaModel;
import io.scopekv.bench.fidelity.FidelityExperiment.Row;
import io.scopekv.bench.fidelity.FidelityExperiment.Sequence;
import io.scopekv.bench.fidelity.FidelityExperiment.Settings;
import io.scopekv.bench.gguf.GgufFile;
import io.scopekv.bench.mini.MiniExperiment;
import io.scopekv.bench.tokenizer.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The experiment on a real trained model, llama.cpp's stories260K and its llama.cpp-quantized
 * copy, read in place from {@code ../shared/data/gguf/models}: a short run (one sample, 32 prompt
 * tokens, 16 continued, three policies) that checks what must hold on any model.
 */
class Stories260KFidelityTest {

    /** The model file; skips the test when the folder is absent, fails it under {@code CI=true}. */
    private static Path model(String name) {
        Path file = SharedData.folder("gguf", "models").resolve("models").resolve(name);
        if (!Files.isRegularFile(file)) {
            fail(file + " is missing from the shared model folder");
        }
        return file;
    }

    @ParameterizedTest
    @ValueSource(strings = {"stories260K.gguf", "stories260K-Q8_0-F16.gguf"})
    void compressionMovesTheOutputAndTheFullCacheDoesNot(String name) throws Exception {
        Tokenizer tokenizer;
        try (GgufFile gguf = GgufFile.open(model(name)); LlamaModel model = LlamaModel.load(gguf)) {
            tokenizer = Tokenizer.fromGguf(gguf);
            Settings settings = new Settings(32, 48, 1, 7, 0.8f, 0.95f, AttentionPath.CACHE);
            String opening = StoryOpenings.builtIn().get(0);
            Set<Integer> eos = Set.of(tokenizer.eosId());
            List<Sequence> sequences = FidelityExperiment.sequences(model, List.of(tokenizer.encodePrompt(opening)), eos,
                    settings);
            // 32 tokens cut the opening short: the prompt is its start, SentencePiece's space prefix included
            String prompt = tokenizer.decode(sequences.get(0).prompt(), true);
            assertThat(prompt).hasSizeGreaterThan(60);
            assertThat(" " + opening).startsWith(prompt);
            List<MiniExperiment.Policy> policies = List.of(new MiniExperiment.Policy("full", "prefill=full"),
                    new MiniExperiment.Policy("slide", "prefill=full,decoding=slide(W=4,R=2)"),
                    new MiniExperiment.Policy("h2o", "prefill=full,decoding=h2o(W=4,R=2),scorer=cumulative(prefill=1)"));
            List<Row> rows = FidelityExperiment.run(model, policies, sequences, eos, AttentionPath.CACHE, StorageType.FLOAT32,
                    done -> { });
            Row full = rows.get(0);
            assertThat(full.meanKl()).isZero();
            assertThat(full.top1Agreement()).isEqualTo(1.0);
            assertThat(full.neverDiverged()).isEqualTo(1);
            // W = 4 of 16 continuation tokens: eviction starts at step 4 and moves the distribution
            for (Row compressed : rows.subList(1, 3)) {
                assertThat(compressed.meanKl()).isPositive();
                assertThat(compressed.peakLiveBytes()).isLessThan(full.peakLiveBytes());
                assertThat(compressed.top1Agreement()).isBetween(0.0, 1.0);
            }
        }
    }
}
