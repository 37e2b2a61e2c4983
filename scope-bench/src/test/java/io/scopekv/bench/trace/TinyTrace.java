package io.scopekv.bench.trace;

import io.scopekv.bench.io.NpyWriter;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A hand-checkable trace: 1 layer, 2 query heads sharing 1 KV head, headDim 2, M = 4 prompt tokens
 * and 6 decode steps. Every query is {@code [sqrt(2), 0]}, so with the cache's 1/sqrt(2) scale a
 * key {@code [x, 0]} gets logit x. Decode step j's key has logit {@link #DECODE_LOGITS}[j - 1].
 */
final class TinyTrace {
    static final int M = 4;
    static final int STEPS = 6;
    static final float[] DECODE_LOGITS = {5f, 0f, 1f, 0.5f, 2f, 0.2f};
    static final float[] PROMPT_LOGITS = {0.3f, -0.2f, 0.1f, 0.4f};

    private TinyTrace() {
    }

    /** The logit of every query on token t's key. */
    static float logit(int t) {
        return t < M ? PROMPT_LOGITS[t] : DECODE_LOGITS[t - M];
    }

    static void write(Path dir) throws IOException {
        int tokens = M + STEPS;
        float[] q = new float[tokens * 2 * 2];
        float[] k = new float[tokens * 2];
        float[] v = new float[tokens * 2];
        for (int t = 0; t < tokens; t++) {
            for (int h = 0; h < 2; h++) {
                q[(t * 2 + h) * 2] = (float) Math.sqrt(2);
            }
            k[t * 2] = logit(t);
            v[t * 2] = t;
            v[t * 2 + 1] = 1;
        }
        java.nio.file.Files.createDirectories(dir);
        new TraceMeta(1, 2, 1, 2, M, STEPS, 16).write(dir);
        NpyWriter.write(dir.resolve("q.npy"), q, tokens, 1, 2, 2);
        NpyWriter.write(dir.resolve("k.npy"), k, tokens, 1, 1, 2);
        NpyWriter.write(dir.resolve("v.npy"), v, tokens, 1, 1, 2);
    }
}
