package io.scopekv;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A read-only window onto one layer's storage, for engines that run their own attention kernel.
 *
 * <p>Storage is slot-based: slot s of storage head h holds one token's key and value, or nothing.
 * Slots {@code [0, slots())} cover every kept token; empty slots inside that range have
 * {@link #position} -1 and must get zero probability. Storage heads are the KV heads, or the query
 * heads under {@link io.scopekv.policy.GqaMode#REPLICATE}. The view is valid until the next call
 * that changes the cache.
 */
public interface LayerView {

    /** The layer, 0-based. */
    int layer();

    /** Storage heads. */
    int heads();

    /** Slots an attention kernel must cover: the columns {@link KvCache#observe} expects. */
    int slots();

    /** Allocated slots per head (the stride between heads in the buffers). */
    int capacity();

    /** Absolute position of the token in {@code slot} of {@code head}, or -1 if the slot is empty. */
    int position(int head, int slot);

    /** Keys {@code [heads, slots, headDim]}, a view of the storage (do not write). */
    INDArray keys();

    /** Values {@code [heads, slots, headDim]}, a view of the storage (do not write). */
    INDArray values();

    /**
     * Keys as a read-only float buffer: element {@code (h, s, i)} is at
     * {@code (h * capacity() + s) * headDim + i}. For engines that work on plain floats.
     */
    FloatBuffer keyBuffer();

    /** Values as a read-only float buffer, laid out like {@link #keyBuffer()}. */
    FloatBuffer valueBuffer();
}
