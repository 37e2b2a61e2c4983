package io.scopekv;

/**
 * The shape of one model's KV cache.
 *
 * <p>Multi-head attention has {@code kvHeads == queryHeads}; grouped-query attention has
 * {@code queryHeads} a multiple of {@code kvHeads}; multi-query attention has {@code kvHeads == 1}.
 * Query head {@code h} reads KV head {@code h / groupSize()}.
 *
 * @param layers     transformer layers, each with its own cache
 * @param queryHeads attention (query) heads per layer
 * @param kvHeads    key/value heads per layer
 * @param headDim    elements per head vector
 * @param storage    element type of the stored keys and values (4 or 2 bytes per value)
 */
public record CacheLayout(int layers, int queryHeads, int kvHeads, int headDim, StorageType storage) {

    /**
     * The most elements one token's query row ({@code queryHeads x headDim}) may hold: the cache
     * indexes rows and blocks of rows with ints. The largest models have 128 x 128 = 16,384.
     */
    public static final int MAX_ROW_ELEMENTS = 1 << 24;

    /** Checks the components, naming the value and the rule it breaks. */
    public CacheLayout {
        requirePositive("layers", layers);
        requirePositive("queryHeads", queryHeads);
        requirePositive("kvHeads", kvHeads);
        requirePositive("headDim", headDim);
        if (storage == null) {
            throw new IllegalArgumentException("storage must not be null");
        }
        if (queryHeads % kvHeads != 0) {
            throw new IllegalArgumentException("queryHeads (" + queryHeads
                    + ") must be a multiple of kvHeads (" + kvHeads + ")");
        }
        if ((long) queryHeads * headDim > MAX_ROW_ELEMENTS) {
            throw new IllegalArgumentException("queryHeads x headDim = " + queryHeads + " x " + headDim + " = "
                    + (long) queryHeads * headDim + " exceeds the limit of " + MAX_ROW_ELEMENTS + " elements per token row");
        }
    }

    /** A float32 layout. */
    public static CacheLayout of(int layers, int queryHeads, int kvHeads, int headDim) {
        return new CacheLayout(layers, queryHeads, kvHeads, headDim, StorageType.FLOAT32);
    }

    /** Query heads that share one KV head. */
    public int groupSize() {
        return queryHeads / kvHeads;
    }

    /**
     * Bytes one token occupies in one layer: {@code kvHeads x headDim x 2 (K and V) x bytes}.
     * The whole cache holding {@code n} tokens per head in every layer uses
     * {@code layers x n x bytesPerTokenPerLayer()}.
     */
    public long bytesPerTokenPerLayer() {
        return (long) kvHeads * headDim * 2L * storage.bytes();
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
