package io.scopekv;

import java.util.ArrayList;
import java.util.List;

/**
 * The prompt of one layer, gathered chunk by chunk until prefill ends. Keys and values are copied
 * (the engine may reuse its buffers); query rows are kept only as far as the policy reads them,
 * and only while they stay a contiguous run ending at the newest prompt token.
 */
final class PromptBuffer {
    private record Chunk(int[] positions, float[] keys, float[] values) {
    }

    private final CacheLayout layout;
    private final int queryLimit;
    private final List<Chunk> chunks = new ArrayList<>();
    /** Query chunks {@code [queryHeads, rows, headDim]}, oldest first, ending at the newest token. */
    private final List<float[]> queryChunks = new ArrayList<>();
    private int tokens;
    private int queryRows;

    /** @param queryLimit the most query rows the policy reads (0 for none, MAX_VALUE for all) */
    PromptBuffer(CacheLayout layout, int queryLimit) {
        this.layout = layout;
        this.queryLimit = queryLimit;
    }

    int tokens() {
        return tokens;
    }

    /** The newest position gathered so far, -1 before the first chunk. */
    int lastPosition() {
        if (chunks.isEmpty()) {
            return -1;
        }
        int[] newest = chunks.get(chunks.size() - 1).positions;
        return newest[newest.length - 1];
    }

    /** Adds a validated chunk; {@code queries} holds its last {@code nq} tokens' rows, or is null. */
    void add(int[] positions, float[] keys, float[] values, float[] queries) {
        chunks.add(new Chunk(positions.clone(), keys.clone(), values.clone()));
        tokens += positions.length;
        int rows = queries == null ? 0 : queries.length / (layout.queryHeads() * layout.headDim());
        if (rows < positions.length) {
            // earlier rows no longer end at the newest token
            queryChunks.clear();
            queryRows = 0;
        }
        if (rows > 0 && queryLimit > 0) {
            queryChunks.add(queries.clone());
            queryRows += rows;
        }
        while (queryChunks.size() > 1 && queryRows - rows(queryChunks.get(0)) >= queryLimit) {
            queryRows -= rows(queryChunks.remove(0));
        }
    }

    /** Keys {@code [kvHeads, M, headDim]} of the whole prompt. */
    float[] keys() {
        return concat(true);
    }

    /** Values {@code [kvHeads, M, headDim]} of the whole prompt. */
    float[] values() {
        return concat(false);
    }

    /** Positions {@code [M]} of the whole prompt. */
    int[] positions() {
        int[] out = new int[tokens];
        int at = 0;
        for (Chunk chunk : chunks) {
            System.arraycopy(chunk.positions, 0, out, at, chunk.positions.length);
            at += chunk.positions.length;
        }
        return out;
    }

    private float[] concat(boolean keys) {
        int d = layout.headDim();
        float[] out = new float[layout.kvHeads() * tokens * d];
        int at = 0;
        for (Chunk chunk : chunks) {
            int m = chunk.positions.length;
            float[] src = keys ? chunk.keys : chunk.values;
            for (int h = 0; h < layout.kvHeads(); h++) {
                System.arraycopy(src, h * m * d, out, (h * tokens + at) * d, m * d);
            }
            at += m;
        }
        return out;
    }

    /** The kept query rows {@code [queryHeads, nq, headDim]}, the last nq prompt tokens', or null. */
    float[] queries() {
        if (queryRows == 0) {
            return null;
        }
        int d = layout.headDim();
        float[] out = new float[layout.queryHeads() * queryRows * d];
        int at = 0;
        for (float[] chunk : queryChunks) {
            int rows = rows(chunk);
            for (int q = 0; q < layout.queryHeads(); q++) {
                System.arraycopy(chunk, q * rows * d, out, (q * queryRows + at) * d, rows * d);
            }
            at += rows;
        }
        return out;
    }

    private int rows(float[] queryChunk) {
        return queryChunk.length / (layout.queryHeads() * layout.headDim());
    }
}
