package io.scopekv.policy;

import java.util.Arrays;

/**
 * What a prefill compressor sees for one layer: the whole prompt, gathered from every chunk,
 * already validated (finite, the shapes below), and the attention shape it was cut to. The
 * accessors hand out copies, so a compressor cannot change what the cache stores.
 *
 * <p>The shape is carried here rather than as the cache's {@link io.scopekv.CacheLayout} so that
 * the SPI does not depend on the API package that is built on it.
 */
public final class PrefillInput {
    private final int layer;
    private final int queryHeads;
    private final int kvHeads;
    private final int headDim;
    private final int[] positions;
    private final float[] keys;
    private final float[] queries;
    private final int queryCount;

    /**
     * @param layer      the layer being compressed, 0-based
     * @param queryHeads attention (query) heads, a multiple of {@code kvHeads}
     * @param kvHeads    key/value heads
     * @param headDim    elements per head vector
     * @param positions  absolute positions of the prompt tokens, strictly ascending, length M
     * @param keys       {@code [kvHeads, M, headDim]} row-major prompt keys (after RoPE)
     * @param queries    {@code [queryHeads, nq, headDim]} row-major queries of the last nq prompt
     *                   tokens, or null for none
     * @throws IllegalArgumentException naming the value and the rule it breaks
     */
    public PrefillInput(int layer, int queryHeads, int kvHeads, int headDim, int[] positions, float[] keys,
                        float[] queries) {
        if (layer < 0) {
            throw new IllegalArgumentException("layer must not be negative, was " + layer);
        }
        if (queryHeads <= 0 || kvHeads <= 0 || headDim <= 0) {
            throw new IllegalArgumentException("queryHeads, kvHeads and headDim must be positive, were "
                    + queryHeads + ", " + kvHeads + ", " + headDim);
        }
        if (queryHeads % kvHeads != 0) {
            throw new IllegalArgumentException("queryHeads (" + queryHeads + ") must be a multiple of kvHeads ("
                    + kvHeads + ")");
        }
        if (positions == null || keys == null) {
            throw new IllegalArgumentException("positions and keys must not be null");
        }
        int m = positions.length;
        if (keys.length != (long) kvHeads * m * headDim) {
            throw new IllegalArgumentException("keys must hold [kvHeads=" + kvHeads + ", M=" + m + ", headDim="
                    + headDim + "] floats, was " + keys.length);
        }
        long perRow = (long) queryHeads * headDim;
        if (queries != null && (queries.length % perRow != 0 || queries.length / perRow > m)) {
            throw new IllegalArgumentException("queries must hold [queryHeads=" + queryHeads + ", nq <= " + m
                    + ", headDim=" + headDim + "] floats, was " + queries.length);
        }
        this.layer = layer;
        this.queryHeads = queryHeads;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.positions = positions.clone();
        this.keys = keys;
        this.queries = queries;
        this.queryCount = queries == null ? 0 : (int) (queries.length / perRow);
    }

    /** The layer being compressed, 0-based. */
    public int layer() {
        return layer;
    }

    /** Attention (query) heads. */
    public int queryHeads() {
        return queryHeads;
    }

    /** Key/value heads. */
    public int kvHeads() {
        return kvHeads;
    }

    /** Elements per head vector. */
    public int headDim() {
        return headDim;
    }

    /** Query heads that share one KV head: query head {@code h} reads KV head {@code h / groupSize()}. */
    public int groupSize() {
        return queryHeads / kvHeads;
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
        int n = positions.length * headDim;
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
        int n = queryCount * headDim;
        return Arrays.copyOfRange(queries, queryHead * n, queryHead * n + n);
    }
}
