package io.scopekv.bench.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.scopekv.bench.gguf.GgmlType;
import io.scopekv.bench.gguf.GgufFile;
import io.scopekv.bench.gguf.GgufTensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine against llama.cpp's own outputs for the real GGUF files of the shared test data
 * ({@code ../shared/data/gguf}, beside the project root): the prompt's token ids, llama.cpp's greedy
 * continuation and its logits at every step. The engine is fed llama.cpp's tokens (teacher forcing)
 * and must pick the same greedy token at every step, with weights that stay in their file encoding.
 *
 * <p>Logit tolerance, relative to the largest |logit| of the step: 1e-5 where every weight is F32
 * (both sides compute in float32; llama.cpp's README measured 5e-7), 3e-2 otherwise, because
 * llama.cpp's CPU backend rounds activations to F16 or 8 bits before its quantized dot products.
 * Skips when the folder is absent, fails when {@code CI=true}.
 */
class LlamaCppAgreementTest {

    static Path sharedGguf() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("scope-core"))) {
                Path data = p.resolveSibling("shared").resolve("data").resolve("gguf");
                if (Files.isDirectory(data)) {
                    return data;
                }
                String message = "shared GGUF test data not found at " + data + " (../shared/data/gguf beside the project)";
                if ("true".equals(System.getenv("CI"))) {
                    throw new AssertionError(message + "; CI=true requires it");
                }
                Assumptions.abort(message);
            }
        }
        throw new AssertionError("project root (pom.xml beside scope-core) not found above " + Path.of("").toAbsolutePath());
    }

    static Stream<String> files() throws IOException {
        Path models = sharedGguf().resolve("models");
        try (Stream<Path> list = Files.list(models)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".gguf"))
                    .map(n -> n.substring(0, n.length() - ".gguf".length()))
                    .filter(n -> Files.isRegularFile(sharedGguf().resolve("expected").resolve(n + ".tokens.txt")))
                    .sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void greedyTokensAndLogitsMatchLlamaCpp(String name) throws IOException {
        Path data = sharedGguf();
        List<String> lines = Files.readAllLines(data.resolve("expected").resolve(name + ".tokens.txt"));
        int[] prompt = ids(lines.get(0));
        int[] generated = ids(lines.get(1));
        ByteBuffer expected = ByteBuffer.wrap(Files.readAllBytes(data.resolve("expected").resolve(name + ".logits.f32")))
                .order(ByteOrder.LITTLE_ENDIAN);
        Path file = data.resolve("models").resolve(name + ".gguf");
        boolean allF32;
        try (GgufFile gguf = GgufFile.open(file)) {
            allF32 = gguf.tensors().values().stream().map(GgufTensorInfo::type).allMatch(t -> t == GgmlType.F32);
        }
        double tolerance = allF32 ? 1e-5 : 3e-2;
        try (LlamaModel model = LlamaModel.load(file, 2);
             LlamaSession session = LlamaSession.open(model, "prefill=full", AttentionPath.CACHE)) {
            int vocab = model.config().vocabSize();
            int rows = expected.remaining() / 4 / vocab;
            assertThat(rows).isLessThanOrEqualTo(generated.length);
            float[] logits = session.prefill(prompt);
            for (int step = 0; step < rows; step++) {
                float[] reference = new float[vocab];
                expected.asFloatBuffer().get(step * vocab, reference);
                assertThat(argmax(logits)).as("%s: greedy token of step %d", name, step).isEqualTo(generated[step]);
                assertThat(relativeMaxError(logits, reference)).as("%s: logits of step %d", name, step)
                        .isLessThanOrEqualTo(tolerance);
                if (step + 1 < rows) {
                    logits = session.decode(generated[step]);
                }
            }
        }
    }

    private static int[] ids(String line) {
        return Arrays.stream(line.trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static double relativeMaxError(float[] actual, float[] expected) {
        double diff = 0;
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
            max = Math.max(max, Math.abs(expected[i]));
        }
        return diff / max;
    }
}
