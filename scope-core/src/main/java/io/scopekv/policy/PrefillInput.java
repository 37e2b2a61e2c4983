package io.scopekv.policy;

import io.scopekv.CacheLayout;
import java.util.Arrays;

/**
 * What a prefill compressor sees for one layer: the whole prompt, gathered from every chunk,
 * already validated (finite, the shapes below). The accessors hand out copies, so a compressor
 * cannot change what the cache stores.
 */
public final class PrefillInput {
    private final int layer;
    private final CacheLayout layout;
    private final int[] positions;
    private final float[] keys;
    private final float[] queries;
    private final int queryCount;

    /**
     * @param layer      the layer being compressed, 0-based
     * @param layout     the cache layout
     * @param positions  absolute positions of the prompt tokens, strictly ascending, length M
     * @param keys       {@code [kvHeads, M, headDim]} row-major prompt keys (after RoPE)
     * @param queries    {@code [queryHeads, nq, headDim]} row-major queries of the last nq prompt
     *                   tokens, or null for none
     */
    public PrefillInput(int layer, CacheLayout layout, int[] positions, float[] keys, float[] queries) {
        int m = positions.length;
        int d = layout.headDim();
        if (keys.length != (long) layout.kvHeads() * m * d) {
            throw new IllegalArgumentException("keys must hold [kvHeads=" + layout.kvHeads() + ", M=" + m + ", headDim="
                    + d + "] floats, was " + keys.length);
        }
        int perRow = layout.queryHeads() * d;
        if (queries != null && (queries.length % perRow != 0 || queries.length / perRow > m)) {
            throw new IllegalArgumentException("queries must hold [queryHeads=" + layout.queryHeads() + ", nq <= " + m
                    + ", headDim=" + d + "] floats, was " + queries.length);
        }
        this.layer = layer;
        this.layout = layout;
        this.positions = positions.clone();
        this.keys = keys;
        this.queries = queries;
        this.queryCount = queries == null ? 0 : queries.length / perRow;
    }

    /** The layer being compressed, 0-based. */
    public int layer() {
        return layer;
    }

    /** The cache layout. */
    public CacheLayout layout() {
        return layout;
    }

    /** Absolute positions of the prompt tokens, strictly ascending, length M. */
    public int[] positions() {
        return positions.clone();
    }

    /** Prompt length M. */
    public int promptLength() {
        return positions.length;
    }

    /** Number of query rows supplied: the last {@code queryCount()} prompt tokens' (0 when none). */
    public int queryCount() {
        return queryCount;
    }

    /** Keys of one KV head as a row-major {@code [M, headDim]} copy. */
    public float[] keysOf(int kvHead) {
        int n = positions.length * layout.headDim();
        return Arrays.copyOfRange(keys, kvHead * n, kvHead * n + n);
    }

    /**
     * Queries of one query head as a row-major {@code [nq, headDim]} copy, where row i is the
     * query of prompt token {@code M - nq + i}.
     */
    public float[] queriesOf(int queryHead) {
        if (queries == null) {
            throw new IllegalStateException("no prompt queries were supplied to prefill");
        }
        int n = queryCount * layout.headDim();
        return Arrays.copyOfRange(queries, queryHead * n, queryHead * n + n);
    }
}
