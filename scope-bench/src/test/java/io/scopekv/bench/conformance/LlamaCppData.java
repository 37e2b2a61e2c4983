package io.scopekv.bench.conformance;

import static org.assertj.core.api.Assertions.fail;

import io.scopekv.bench.SharedData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The GGUF files made by llama.cpp's own tools and llama.cpp's outputs on them, read in place from
 * {@code ../shared/data/gguf} (found by walking up from the working directory). Without that folder
 * the tests that need it are skipped with a message naming it, except under {@code CI=true}, where
 * its absence is a failure: CI must run the conformance suite, not skip it silently.
 */
final class LlamaCppData {

    private LlamaCppData() {
    }

    /** The data folder; skips (or, in CI, fails) the calling test when it is absent. */
    static Path root() {
        return SharedData.folder("gguf", "models");
    }

    static Path model(String name) {
        return existing(root().resolve("models").resolve(name + ".gguf"));
    }

    static Path vocab(String name) {
        return existing(root().resolve("vocab").resolve("ggml-vocab-" + name + ".gguf"));
    }

    private static Path existing(Path file) {
        if (!Files.isRegularFile(file)) {
            fail(file + " is missing from the conformance data");
        }
        return file;
    }

    /**
     * llama.cpp's run on a model: the prompt ids, the greedy ids, and the logits after the prompt
     * (row 0) and after each decode step (row i, after feeding generated token i - 1). Generated token
     * i is the arg-max of row i; the last one is not fed back.
     *
     * @param logits [generated][vocab]
     */
    record Expected(int[] prompt, int[] generated, float[][] logits) {

        static Expected read(String name, int vocab) throws IOException {
            Path dir = root().resolve("expected");
            List<String> lines = Files.readAllLines(existing(dir.resolve(name + ".tokens.txt")));
            int[] prompt = ids(lines.get(0));
            int[] generated = ids(lines.get(1));
            ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(existing(dir.resolve(name + ".logits.f32"))))
                    .order(ByteOrder.LITTLE_ENDIAN);
            int rows = raw.remaining() / 4 / vocab;
            if (rows != generated.length || raw.remaining() != rows * vocab * 4) {
                fail(name + ".logits.f32 holds " + raw.remaining() + " bytes; expected " + generated.length
                        + " rows of " + vocab + " float32");
            }
            float[][] logits = new float[rows][vocab];
            for (float[] row : logits) {
                raw.asFloatBuffer().get(row);
                raw.position(raw.position() + 4 * vocab);
            }
            return new Expected(prompt, generated, logits);
        }

        private static int[] ids(String line) {
            return line.isBlank() ? new int[0] : Arrays.stream(line.trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
        }
    }
}
