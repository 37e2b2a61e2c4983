package io.scopekv.internal;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.BitSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Slot storage of one layer: keys and values {@code [heads, capacity, headDim]} in two off-heap
 * ND4J arrays, a position per slot (-1 when free), and per-head occupancy. A new token takes the
 * head's lowest free slot, so evictions leave holes that the next tokens fill: nothing is moved
 * or reallocated per step. Capacity grows in chunks only when a head has no free slot.
 */
final class LayerStore implements AutoCloseable {
    final int heads;
    final int headDim;
    private int capacity;
    private INDArray keys;
    private INDArray values;
    private FloatBuffer keyBuffer;
    private FloatBuffer valueBuffer;
    private int[][] positions;
    private final BitSet[] occupied;
    private final int[] live;

    LayerStore(int heads, int headDim, int capacity) {
        this.heads = heads;
        this.headDim = headDim;
        this.occupied = new BitSet[heads];
        this.live = new int[heads];
        this.positions = new int[heads][];
        for (int h = 0; h < heads; h++) {
            occupied[h] = new BitSet(capacity);
            positions[h] = new int[capacity];
            Arrays.fill(positions[h], -1);
        }
        allocate(capacity);
    }

    private void allocate(int newCapacity) {
        keys = Nd4j.create(DataType.FLOAT, heads, newCapacity, headDim);
        values = Nd4j.create(DataType.FLOAT, heads, newCapacity, headDim);
        keyBuffer = keys.data().asNioFloat();
        valueBuffer = values.data().asNioFloat();
        capacity = newCapacity;
    }

    int capacity() {
        return capacity;
    }

    long allocatedBytes() {
        return 2L * heads * capacity * headDim * Float.BYTES;
    }

    int live(int head) {
        return live[head];
    }

    int position(int head, int slot) {
        return positions[head][slot];
    }

    /** Slots a kernel must scan: one past the highest occupied slot of any head. */
    int slots() {
        int max = 0;
        for (BitSet bits : occupied) {
            max = Math.max(max, bits.length());
        }
        return max;
    }

    boolean hasFreeSlot(int head) {
        return occupied[head].nextClearBit(0) < capacity;
    }

    /**
     * Grows every head to {@code newCapacity} slots, copying the kept tokens.
     *
     * @return bytes copied
     */
    long grow(int newCapacity) {
        INDArray oldKeys = keys;
        INDArray oldValues = values;
        FloatBuffer oldKeyBuffer = keyBuffer;
        FloatBuffer oldValueBuffer = valueBuffer;
        int oldCapacity = capacity;
        allocate(newCapacity);
        int length = oldCapacity * headDim;
        for (int h = 0; h < heads; h++) {
            keyBuffer.put(h * newCapacity * headDim, oldKeyBuffer, h * length, length);
            valueBuffer.put(h * newCapacity * headDim, oldValueBuffer, h * length, length);
            int[] grown = Arrays.copyOf(positions[h], newCapacity);
            Arrays.fill(grown, oldCapacity, newCapacity, -1);
            positions[h] = grown;
        }
        oldKeys.close();
        oldValues.close();
        return 2L * heads * length * Float.BYTES;
    }

    /** Stores a token in the head's lowest free slot, which must exist; returns the slot. */
    int put(int head, float[] key, int keyOffset, float[] value, int valueOffset, int position) {
        int slot = occupied[head].nextClearBit(0);
        int at = (head * capacity + slot) * headDim;
        keyBuffer.put(at, key, keyOffset, headDim);
        valueBuffer.put(at, value, valueOffset, headDim);
        occupied[head].set(slot);
        positions[head][slot] = position;
        live[head]++;
        return slot;
    }

    void evict(int head, int slot) {
        occupied[head].clear(slot);
        positions[head][slot] = -1;
        live[head]--;
    }

    /** Kept positions of a head, ascending. */
    int[] keptPositions(int head) {
        int[] out = new int[live[head]];
        int n = 0;
        BitSet bits = occupied[head];
        for (int s = bits.nextSetBit(0); s >= 0; s = bits.nextSetBit(s + 1)) {
            out[n++] = positions[head][s];
        }
        Arrays.sort(out);
        return out;
    }

    FloatBuffer keyBuffer() {
        return keyBuffer;
    }

    FloatBuffer valueBuffer() {
        return valueBuffer;
    }

    INDArray keys() {
        return keys;
    }

    INDArray values() {
        return values;
    }

    @Override
    public void close() {
        keys.close();
        values.close();
    }
}
