package io.scopekv.bench.trace;

import io.scopekv.bench.io.NpyWriter;
import io.scopekv.bench.sim.TokenSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntConsumer;

/** Records any {@link TokenSource} as a trace directory, token by token. */
public final class TraceWriter {

    private TraceWriter() {
    }

    /**
     * Writes {@code meta.json}, {@code q.npy}, {@code k.npy} and {@code v.npy} for the prompt and
     * the first {@code decodeSteps} decode steps, reading the source token-major across layers.
     *
     * @param progress called with the number of tokens written so far, or null
     * @throws IllegalArgumentException if the source has fewer than {@code decodeSteps} steps
     */
    public static TraceMeta write(TokenSource source, int decodeSteps, Path dir, IntConsumer progress) throws IOException {
        if (decodeSteps < 0 || decodeSteps > source.decodeSteps()) {
            throw new IllegalArgumentException("decodeSteps must be in [0, " + source.decodeSteps() + "], was " + decodeSteps);
        }
        Files.createDirectories(dir);
        var layout = source.layout();
        TraceMeta meta = new TraceMeta(layout.layers(), layout.queryHeads(), layout.kvHeads(), layout.headDim(),
                source.promptTokens(), decodeSteps, source.maxNewTokens());
        int d = layout.headDim();
        float[] q = new float[layout.queryHeads() * d];
        float[] k = new float[layout.kvHeads() * d];
        float[] v = new float[layout.kvHeads() * d];
        try (NpyWriter qw = new NpyWriter(dir.resolve("q.npy"), meta.tokens(), meta.layers(), meta.queryHeads(), d);
             NpyWriter kw = new NpyWriter(dir.resolve("k.npy"), meta.tokens(), meta.layers(), meta.kvHeads(), d);
             NpyWriter vw = new NpyWriter(dir.resolve("v.npy"), meta.tokens(), meta.layers(), meta.kvHeads(), d)) {
            for (int t = 0; t < meta.tokens(); t++) {
                for (int layer = 0; layer < meta.layers(); layer++) {
                    source.next(layer, q, k, v);
                    qw.write(q);
                    kw.write(k);
                    vw.write(v);
                }
                if (progress != null) {
                    progress.accept(t + 1);
                }
            }
        }
        meta.write(dir);
        return meta;
    }
}
