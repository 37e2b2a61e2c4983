package io.scopekv.internal;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Slot storage of one layer. Slots are numbered globally and live in segments, each a pair of
 * off-heap ND4J arrays (keys and values) {@code [heads, segmentSlots, headDim]}; the first segment
 * is allocated at prefill, growth appends another segment, so no kept token is ever copied. A
 * position per slot (-1 when free) and per-head occupancy complete the picture. A new token takes
 * the head's lowest free slot, so evictions leave holes that the next tokens fill: nothing is
 * moved or reallocated per step.
 */
final class LayerStore implements AutoCloseable {
    final int heads;
    final int headDim;
    private final List<Segment> segments = new ArrayList<>();
    private int capacity;
    private int[][] positions;
    private final BitSet[] occupied;
    private final int[] live;

    /** One allocation: slots {@code [start, start + size)}. */
    static final class Segment {
        final int start;
        final int size;
        final INDArray keys;
        final INDArray values;
        final FloatBuffer keyBuffer;
        final FloatBuffer valueBuffer;

        Segment(int start, int size, int heads, int headDim) {
            this.start = start;
            this.size = size;
            this.keys = Nd4j.create(DataType.FLOAT, heads, size, headDim);
            this.values = Nd4j.create(DataType.FLOAT, heads, size, headDim);
            this.keyBuffer = keys.data().asNioFloat();
            this.valueBuffer = values.data().asNioFloat();
        }

        /** Flat index of element 0 of {@code slot} of {@code head} in this segment's buffers. */
        int offset(int head, int slot, int headDim) {
            return (head * size + slot - start) * headDim;
        }
    }

    LayerStore(int heads, int headDim, int capacity) {
        this.heads = heads;
        this.headDim = headDim;
        this.occupied = new BitSet[heads];
        this.live = new int[heads];
        this.positions = new int[heads][0];
        for (int h = 0; h < heads; h++) {
            occupied[h] = new BitSet(capacity);
        }
        grow(capacity);
    }

    int capacity() {
        return capacity;
    }

    List<Segment> segments() {
        return segments;
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

    /** Adds a segment of {@code extra} slots per head; existing tokens stay where they are. */
    void grow(int extra) {
        segments.add(new Segment(capacity, extra, heads, headDim));
        int newCapacity = capacity + extra;
        for (int h = 0; h < heads; h++) {
            int[] grown = Arrays.copyOf(positions[h], newCapacity);
            Arrays.fill(grown, capacity, newCapacity, -1);
            positions[h] = grown;
        }
        capacity = newCapacity;
    }

    Segment segmentOf(int slot) {
        for (int i = segments.size() - 1; i > 0; i--) {
            if (slot >= segments.get(i).start) {
                return segments.get(i);
            }
        }
        return segments.get(0);
    }

    /** Stores a token in the head's lowest free slot, which must exist; returns the slot. */
    int put(int head, float[] key, int keyOffset, float[] value, int valueOffset, int position) {
        int slot = occupied[head].nextClearBit(0);
        Segment segment = segmentOf(slot);
        int at = segment.offset(head, slot, headDim);
        segment.keyBuffer.put(at, key, keyOffset, headDim);
        segment.valueBuffer.put(at, value, valueOffset, headDim);
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

    @Override
    public void close() {
        for (Segment segment : segments) {
            segment.keys.close();
            segment.values.close();
        }
    }
}
