package io.scopekv;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A read-only window onto one layer's storage, for engines that run their own attention kernel.
 *
 * <p>Storage is slot-based: slot s of storage head h holds one token's key and value, or nothing.
 * Slots {@code [0, slots())} cover every kept token; empty slots inside that range have
 * {@link #position} -1 and must get zero probability. Storage heads are the KV heads, or the query
 * heads under {@link io.scopekv.policy.GqaMode#REPLICATE}.
 *
 * <p>Slots live in segments: the first is allocated at prefill, and a cache whose budget grows
 * (the full cache, Adaptive, Discontinuous) adds segments instead of copying what it holds. A
 * bounded cache (Slide, the unified baselines) has exactly one. Segment i covers slots
 * {@code [segmentStart(i), segmentStart(i) + segmentSlots(i))}. The view is valid until the next
 * call that changes the cache.
 */
public interface LayerView {

    /** The layer, 0-based. */
    int layer();

    /** Storage heads. */
    int heads();

    /** The storage head query head {@code queryHead} attends over. */
    int storageHead(int queryHead);

    /** Slots an attention kernel must cover: the columns {@link KvCache#observe} expects. */
    int slots();

    /** Absolute position of the token in {@code slot} of {@code head}, or -1 if the slot is empty. */
    int position(int head, int slot);

    /** Number of storage segments. */
    int segments();

    /** First global slot of a segment. */
    int segmentStart(int segment);

    /** Slots per head in a segment (its allocation, occupied or not). */
    int segmentSlots(int segment);

    /**
     * Keys of a segment {@code [heads, segmentSlots, headDim]}, the storage itself (do not write),
     * in the storage type's ND4J data type: FLOAT, BFLOAT16 or HALF.
     */
    INDArray keys(int segment);

    /** Values of a segment {@code [heads, segmentSlots, headDim]}, the storage itself (do not write). */
    INDArray values(int segment);

    /**
     * Keys of a segment as a read-only float buffer: slot s of head h starts at
     * {@code (h * segmentSlots(segment) + s - segmentStart(segment)) * headDim}.
     *
     * @throws UnsupportedOperationException when the storage is 16-bit: use {@link #keys(int)} or
     *                                       {@link #key(int, int, float[], int)}
     */
    FloatBuffer keyBuffer(int segment);

    /** Values of a segment as a read-only float buffer, laid out like {@link #keyBuffer(int)}. */
    FloatBuffer valueBuffer(int segment);

    /** Copies the key of {@code slot} of {@code head} ({@code headDim} floats, widened to float32) into {@code dst}. */
    void key(int head, int slot, float[] dst, int offset);

    /** Copies the value of {@code slot} of {@code head} ({@code headDim} floats, widened to float32) into {@code dst}. */
    void value(int head, int slot, float[] dst, int offset);
}
