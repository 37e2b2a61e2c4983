package io.scopekv.bench.trace;

import io.scopekv.CacheLayout;
import io.scopekv.bench.io.NpyReader;
import io.scopekv.bench.sim.TokenSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A recorded trace as a {@link TokenSource}. Reads each layer's token rows straight from the
 * files ({@code q.npy [tokens, layers, queryHeads, headDim]}, {@code k.npy} and {@code v.npy}
 * {@code [tokens, layers, kvHeads, headDim]}), so a trace is never loaded whole.
 */
public final class TraceReader implements TokenSource {
    private final TraceMeta meta;
    private final NpyReader q;
    private final NpyReader k;
    private final NpyReader v;
    /** Next token per layer. */
    private final int[] cursor;

    private TraceReader(TraceMeta meta, NpyReader q, NpyReader k, NpyReader v) {
        this.meta = meta;
        this.q = q;
        this.k = k;
        this.v = v;
        this.cursor = new int[meta.layers()];
    }

    /**
     * Opens a trace directory and checks every file's shape against {@code meta.json}.
     *
     * @throws IOException naming the file and the mismatch
     */
    public static TraceReader open(Path dir) throws IOException {
        TraceMeta meta = TraceMeta.read(dir);
        NpyReader q = null;
        NpyReader k = null;
        NpyReader v = null;
        try {
            q = open(dir, "q.npy", meta.tokens(), meta.layers(), meta.queryHeads(), meta.headDim());
            k = open(dir, "k.npy", meta.tokens(), meta.layers(), meta.kvHeads(), meta.headDim());
            v = open(dir, "v.npy", meta.tokens(), meta.layers(), meta.kvHeads(), meta.headDim());
            return new TraceReader(meta, q, k, v);
        } catch (IOException | RuntimeException e) {
            for (NpyReader r : new NpyReader[] {q, k, v}) {
                if (r != null) {
                    r.close();
                }
            }
            throw e;
        }
    }

    private static NpyReader open(Path dir, String name, long... expected) throws IOException {
        Path file = dir.resolve(name);
        if (!file.toFile().isFile()) {
            throw new IOException(file + ": missing; a trace directory holds meta.json, q.npy, k.npy and v.npy");
        }
        NpyReader reader = NpyReader.open(file);
        if (!Arrays.equals(reader.shape(), expected)) {
            reader.close();
            throw new IOException(file + ": shape " + Arrays.toString(reader.shape()) + " does not match meta.json, which implies "
                    + Arrays.toString(expected) + " [tokens = promptTokens + decodeSteps, layers, heads, headDim]");
        }
        return reader;
    }

    public TraceMeta meta() {
        return meta;
    }

    @Override
    public CacheLayout layout() {
        return meta.layout();
    }

    @Override
    public int promptTokens() {
        return meta.promptTokens();
    }

    @Override
    public int decodeSteps() {
        return meta.decodeSteps();
    }

    @Override
    public int maxNewTokens() {
        return meta.maxNewTokens();
    }

    @Override
    public void next(int layer, float[] query, float[] key, float[] value) throws IOException {
        int t = cursor[layer];
        if (t >= meta.tokens()) {
            throw new IllegalStateException("layer " + layer + " has no token after " + (t - 1) + " in the trace");
        }
        int d = meta.headDim();
        int qRow = meta.queryHeads() * d;
        int kvRow = meta.kvHeads() * d;
        long row = (long) t * meta.layers() + layer;
        q.read(row * qRow, query, 0, qRow);
        k.read(row * kvRow, key, 0, kvRow);
        v.read(row * kvRow, value, 0, kvRow);
        cursor[layer] = t + 1;
    }

    @Override
    public void close() throws IOException {
        q.close();
        k.close();
        v.close();
    }
}
