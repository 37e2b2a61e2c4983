package io.scopekv.policy;

import io.scopekv.CacheLayout;
import io.scopekv.internal.Tensors;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a prefill compressor sees for one layer. All arrays are the caller's, already validated
 * (float32, finite, the shapes below); a compressor must not modify them.
 *
 * @param layer          the layer being compressed, 0-based
 * @param layout         the cache layout
 * @param positions      absolute positions of the prompt tokens, strictly ascending, length M
 * @param keys           {@code [kvHeads, M, headDim]} prompt keys (after RoPE)
 * @param queries        {@code [queryHeads, nq, headDim]} queries of the last nq prompt tokens, or
 *                       null when the compressor needs none
 */
public record PrefillInput(int layer, CacheLayout layout, int[] positions, INDArray keys, INDArray queries) {

    /** Prompt length M. */
    public int promptLength() {
        return positions.length;
    }

    /** Number of query rows supplied (0 when none). */
    public int queryCount() {
        return queries == null ? 0 : (int) queries.size(1);
    }

    /** Keys of one KV head as a row-major {@code [M, headDim]} heap copy. */
    public float[] keysOf(int kvHead) {
        return Tensors.rowMajor(keys.slice(kvHead));
    }

    /**
     * Queries of one query head as a row-major {@code [nq, headDim]} heap copy, where row i is
     * the query of prompt token {@code M - nq + i}.
     */
    public float[] queriesOf(int queryHead) {
        if (queries == null) {
            throw new IllegalStateException("no prompt queries were supplied to prefill");
        }
        return Tensors.rowMajor(queries.slice(queryHead));
    }
}
