package io.scopekv.bench.sim;

import io.scopekv.CacheLayout;
import java.io.IOException;

/**
 * A stream of per-token attention inputs: prompt tokens {@code 0..M-1}, then one token per decode
 * step; a token's position is its index. Each layer is an independent stream read in token order,
 * so a consumer may read all prompt tokens of layer 0 before those of layer 1.
 */
public interface TokenSource extends AutoCloseable {

    /** Shape of the model the tokens come from. */
    CacheLayout layout();

    /** M, the prompt length. */
    int promptTokens();

    /** Decode steps available after the prompt. */
    int decodeSteps();

    /** T, the maximum new tokens the generation was configured for (a policy parameter). */
    int maxNewTokens();

    /**
     * The next token of one layer.
     *
     * @param query {@code [queryHeads * headDim]} receives the query, row-major by head
     * @param key   {@code [kvHeads * headDim]} receives the key
     * @param value {@code [kvHeads * headDim]} receives the value
     * @throws IOException if a recorded stream cannot be read
     */
    void next(int layer, float[] query, float[] key, float[] value) throws IOException;

    @Override
    void close() throws IOException;
}
