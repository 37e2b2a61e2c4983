package io.scopekv;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The KV cache of one sequence, compressed by a {@link CachePolicy}.
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li>{@link #prefill} once per layer with the prompt's keys, values and positions (and the prompt
 *       queries the policy reads). The prefill compressor decides which tokens stay. An engine that
 *       prefills in chunks calls {@link #prefillChunk} per chunk and {@link #endPrefill} after the
 *       last: compression happens when the prompt ends.</li>
 *   <li>Each decode step, per layer: {@link #append} the new token's key and value at its absolute
 *       position, then either {@link #attend} (the cache computes attention and keeps the
 *       probabilities) or run your own kernel over {@link #view} and hand the probabilities back with
 *       {@link #observe}; an engine that has no probabilities calls {@link #advance}. The policy
 *       evicts after that, so eviction affects the next step, never the current one.</li>
 * </ol>
 * Keys are stored as given (already rotated at their position); eviction never changes a kept
 * token's position, and the next position is the engine's sequence index, not {@link #size}.
 *
 * <h2>Errors</h2>
 * Bad input throws {@link IllegalArgumentException}, a call out of order or after {@link #close}
 * throws {@link IllegalStateException}; both name the value and the rule and are thrown before
 * anything changes.
 *
 * <h2>Threading</h2>
 * One cache per sequence. A cache is not thread-safe: use it from one thread at a time (external
 * locking if shared). Different caches share no mutable state and may run on different threads.
 */
public interface KvCache extends AutoCloseable {

    /** A builder for a cache with the given layout. */
    static KvCacheBuilder builder(CacheLayout layout) {
        return new KvCacheBuilder(layout);
    }

    /** The layout this cache was built for. */
    CacheLayout layout();

    /** The policy this cache runs. */
    CachePolicy policy();

    /**
     * Stores the prompt of one layer, compressed by the policy's prefill compressor.
     *
     * @param keys      {@code [kvHeads, M, headDim]} float32, after RoPE
     * @param values    {@code [kvHeads, M, headDim]} float32
     * @param positions {@code [M]} absolute positions, strictly ascending, non-negative
     * @param queries   {@code [queryHeads, nq, headDim]} queries of the last nq prompt tokens
     *                  ({@code nq <= M}), or null when the policy reads none
     */
    void prefill(int layer, INDArray keys, INDArray values, int[] positions, INDArray queries);

    /**
     * {@link #prefill(int, INDArray, INDArray, int[], INDArray)} on row-major arrays:
     * {@code keys}/{@code values} {@code [kvHeads * M * headDim]}, {@code queries}
     * {@code [queryHeads * nq * headDim]} or null.
     */
    void prefill(int layer, float[] keys, float[] values, int[] positions, float[] queries);

    /**
     * {@link #prefill(int, float[], float[], int[], float[])} on buffers, read from their position
     * to their limit (the buffers' positions do not move).
     */
    void prefill(int layer, FloatBuffer keys, FloatBuffer values, int[] positions, FloatBuffer queries);

    /**
     * Adds one chunk of the prompt of one layer; nothing is compressed until {@link #endPrefill}.
     * Chunks come in position order. A chunk's queries are those of its last nq tokens: a prefill
     * compressor reading the last w queries needs them from the final chunk(s) only, one reading
     * every query needs them with every chunk.
     *
     * @param keys      {@code [kvHeads * m * headDim]} row-major, after RoPE, for the chunk's m tokens
     * @param values    {@code [kvHeads * m * headDim]} row-major
     * @param positions {@code [m]} absolute positions, strictly ascending, above the previous chunk's
     * @param queries   {@code [queryHeads * nq * headDim]} row-major queries of the chunk's last nq
     *                  tokens ({@code nq <= m}), or null
     */
    void prefillChunk(int layer, float[] keys, float[] values, int[] positions, float[] queries);

    /** Ends a chunked prefill of one layer: the prefill compressor runs over every chunk. */
    void endPrefill(int layer);

    /**
     * Appends one decoding token to one layer.
     *
     * @param key      {@code [kvHeads, headDim]} float32, after RoPE
     * @param value    {@code [kvHeads, headDim]} float32
     * @param position the token's absolute position, above every position this layer holds
     */
    void append(int layer, INDArray key, INDArray value, int position);

    /** {@link #append(int, INDArray, INDArray, int)} for row-major {@code [kvHeads * headDim]} arrays. */
    void append(int layer, float[] key, float[] value, int position);

    /**
     * Scaled dot-product attention of this step's query over every kept token of the layer (the
     * new one included), then the policy's eviction.
     *
     * @param query {@code [queryHeads, headDim]} float32, after RoPE
     * @param out   {@code [queryHeads, headDim]} float32, receives the attention output
     */
    void attend(int layer, INDArray query, INDArray out);

    /** {@link #attend(int, INDArray, INDArray)} on row-major {@code [queryHeads * headDim]} arrays. */
    void attend(int layer, float[] query, float[] out);

    /**
     * Hands in the probabilities of the engine's own attention kernel, then runs the policy.
     *
     * @param probs {@code [queryHeads, view(layer).slots()]} float32, indexed by slot. Entries of
     *              empty slots are ignored; the columns the policy reads (all of them for unified
     *              policies, the decoding-phase slots under SCOPE) must lie in [0, 1]
     */
    void observe(int layer, INDArray probs);

    /**
     * {@link #observe(int, INDArray)} on a row-major float array: row h (query head) starts at
     * {@code h * rowStride}, and its first {@code view(layer).slots()} entries are read.
     */
    void observe(int layer, float[] probs, int rowStride);

    /**
     * Ends the step without probabilities, for fused kernels; allowed only when the policy does not
     * score by attention (Full, prefill-only, StreamingLLM, oldest or random scorers).
     */
    void advance(int layer);

    /** A read-only view of the layer's storage. */
    LayerView view(int layer);

    /** Kept absolute positions of one layer and storage head, ascending. */
    int[] keptPositions(int layer, int head);

    /** Tokens held by one layer and storage head. */
    int size(int layer, int head);

    /** Decode steps appended to {@code layer} so far. */
    long decodeSteps(int layer);

    /** An immutable snapshot of memory and work counters. */
    CacheStats stats();

    /** Releases the off-heap storage. Idempotent; every other method throws afterwards. */
    @Override
    void close();
}
