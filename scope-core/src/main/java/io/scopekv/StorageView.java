package io.scopekv;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The read-only {@link LayerView} of one layer's {@link LayerStore}, valid until the cache changes. */
final class StorageView implements LayerView {
    private final int layer;
    private final LayerStore store;
    private final int queryHeads;
    private final int queriesPerHead;
    private final int slots;

    StorageView(int layer, LayerStore store, int queryHeads, int queriesPerHead) {
        this.layer = layer;
        this.store = store;
        this.queryHeads = queryHeads;
        this.queriesPerHead = queriesPerHead;
        this.slots = store.slots();
    }

    @Override
    public int layer() {
        return layer;
    }

    @Override
    public int heads() {
        return store.heads;
    }

    @Override
    public int storageHead(int queryHead) {
        if (queryHead < 0 || queryHead >= queryHeads) {
            throw new IllegalArgumentException("query head " + queryHead + " out of range [0, " + queryHeads + ")");
        }
        return queryHead / queriesPerHead;
    }

    @Override
    public int slots() {
        return slots;
    }

    @Override
    public int position(int head, int slot) {
        return store.position(head, slot);
    }

    @Override
    public int segments() {
        return store.segments().size();
    }

    @Override
    public int segmentStart(int segment) {
        return store.segments().get(segment).start;
    }

    @Override
    public int segmentSlots(int segment) {
        return store.segments().get(segment).size;
    }

    @Override
    public INDArray keys(int segment) {
        return store.segments().get(segment).keys;
    }

    @Override
    public INDArray values(int segment) {
        return store.segments().get(segment).values;
    }

    @Override
    public FloatBuffer keyBuffer(int segment) {
        return store.floats(store.segments().get(segment).keyBytes);
    }

    @Override
    public FloatBuffer valueBuffer(int segment) {
        return store.floats(store.segments().get(segment).valueBytes);
    }

    @Override
    public void key(int head, int slot, float[] dst, int offset) {
        store.read(true, head, slot, dst, offset);
    }

    @Override
    public void value(int head, int slot, float[] dst, int offset) {
        store.read(false, head, slot, dst, offset);
    }
}
