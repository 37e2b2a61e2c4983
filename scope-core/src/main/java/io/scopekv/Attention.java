package io.scopekv;

/**
 * One decode step's attention over one layer's slot storage: {@link AttentionDriver} on host
 * memory (the Vector API kernel), {@link Nd4jAttention} through ND4J operations (any backend).
 * An implementation holds only scratch; a cache owns one and uses it from one thread at a time.
 */
interface Attention {

    /**
     * Softmax attention of every query head over its storage head's slots.
     *
     * @param query {@code [queryHeads, headDim]} row-major
     * @param out   {@code [queryHeads, headDim]}, overwritten with the output
     * @param probs {@code [queryHeads, slots]} at least ({@code slots = store.slots()}), receives the
     *              probabilities, exactly 0 in empty slots
     */
    void attend(LayerStore store, float[] query, float[] out, float[] probs);
}
