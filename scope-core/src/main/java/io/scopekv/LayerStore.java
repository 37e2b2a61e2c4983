package io.scopekv;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Slot storage of one layer. Slots are numbered globally and live in segments, each a pair of
 * off-heap ND4J arrays (keys and values) {@code [heads, segmentSlots, headDim]} of the storage
 * type; the first segment is allocated at prefill, growth appends another segment, so no kept
 * token is ever copied. A position per slot (-1 when free) and per-head occupancy complete the
 * picture. A new token takes the head's lowest free slot, so evictions leave holes that the next
 * tokens fill: nothing is moved or reallocated per step.
 */
final class LayerStore implements AutoCloseable {
    final int heads;
    final int headDim;
    final StorageType type;
    /** Rows are written and read with ND4J operations (any backend), not through host memory. */
    final boolean nd4jOps;
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
        /** The arrays' memory, native byte order, addressed absolutely; null under ND4J operations. */
        final ByteBuffer keyBytes;
        final ByteBuffer valueBytes;
        /** What the Vector API kernel loads from (see {@link DirectMemory}); null under ND4J operations. */
        final Object keyHandle;
        final Object valueHandle;

        Segment(int start, int size, int heads, int headDim, StorageType type, boolean nd4jOps) {
            long bytes = (long) heads * size * headDim * type.bytes();
            if (bytes > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a storage segment of " + heads + " heads x " + size + " slots x "
                        + headDim + " x " + type.bytes() + " bytes = " + bytes
                        + " bytes exceeds the 2 GiB a segment can address; lower the budget or the growth chunk");
            }
            this.start = start;
            this.size = size;
            DataType dataType = switch (type) {
                case FLOAT32 -> DataType.FLOAT;
                case BF16 -> DataType.BFLOAT16;
                case F16 -> DataType.HALF;
            };
            this.keys = Nd4j.create(dataType, heads, size, headDim);
            this.values = Nd4j.create(dataType, heads, size, headDim);
            this.keyBytes = nd4jOps ? null : keys.data().asNio().order(ByteOrder.nativeOrder());
            this.valueBytes = nd4jOps ? null : values.data().asNio().order(ByteOrder.nativeOrder());
            this.keyHandle = nd4jOps ? null : DirectMemory.handle(keyBytes);
            this.valueHandle = nd4jOps ? null : DirectMemory.handle(valueBytes);
        }

        /** Element index of element 0 of {@code slot} of {@code head} in this segment. */
        int offset(int head, int slot, int headDim) {
            return (head * size + slot - start) * headDim;
        }
    }

    LayerStore(int heads, int headDim, int capacity, StorageType type, boolean nd4jOps) {
        this.heads = heads;
        this.headDim = headDim;
        this.type = type;
        this.nd4jOps = nd4jOps;
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
        return 2L * heads * capacity * headDim * type.bytes();
    }

    int live(int head) {
        return live[head];
    }

    int position(int head, int slot) {
        return positions[head][slot];
    }

    /** The head's positions by slot, -1 where free: the live array, for kernels to mask with (never written). */
    int[] positions(int head) {
        return positions[head];
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
        segments.add(new Segment(capacity, extra, heads, headDim, type, nd4jOps));
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
        if (nd4jOps) {
            assignRow(segment.keys, head, slot - segment.start, key, keyOffset);
            assignRow(segment.values, head, slot - segment.start, value, valueOffset);
        } else {
            int at = segment.offset(head, slot, headDim);
            write(segment.keyBytes, at, key, keyOffset);
            write(segment.valueBytes, at, value, valueOffset);
        }
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

    /** Copies the key (or value) of {@code slot} of {@code head}, widened to float32, into {@code dst}. */
    void read(boolean key, int head, int slot, float[] dst, int offset) {
        Segment segment = segmentOf(slot);
        if (nd4jOps) {
            INDArray array = key ? segment.keys : segment.values;
            try (INDArray row = array.get(NDArrayIndex.point(head), NDArrayIndex.point(slot - segment.start),
                    NDArrayIndex.all()).castTo(DataType.FLOAT).dup()) {
                System.arraycopy(row.toFloatVector(), 0, dst, offset, headDim);
            }
            return;
        }
        ByteBuffer bytes = key ? segment.keyBytes : segment.valueBytes;
        int at = segment.offset(head, slot, headDim);
        for (int i = 0; i < headDim; i++) {
            dst[offset + i] = element(bytes, at + i);
        }
    }

    /** Writes one row through ND4J, which casts to the storage type and keeps device copies in step. */
    private void assignRow(INDArray array, int head, int local, float[] src, int offset) {
        float[] row = Arrays.copyOfRange(src, offset, offset + headDim);
        try (INDArray source = Nd4j.create(row, new long[] {headDim}, 'c')) {
            array.get(NDArrayIndex.point(head), NDArrayIndex.point(local), NDArrayIndex.all()).assign(source);
        }
    }

    /** One stored element, widened to float32. */
    float element(ByteBuffer bytes, int index) {
        return switch (type) {
            case FLOAT32 -> bytes.getFloat(index * 4);
            case BF16 -> HalfFloats.fromBf16(bytes.getShort(index * 2));
            case F16 -> HalfFloats.fromF16(bytes.getShort(index * 2));
        };
    }

    /** Keys or values of a segment as floats; only float32 storage has this view. */
    FloatBuffer floats(ByteBuffer bytes) {
        if (nd4jOps) {
            throw new UnsupportedOperationException("storage is reached through ND4J operations (Backend.ND4J), "
                    + "so there is no host buffer to read: use the segment's ND4J arrays (keys/values) or key()/value()");
        }
        if (type != StorageType.FLOAT32) {
            throw new UnsupportedOperationException("storage is " + type + ", not FLOAT32: read its ND4J arrays "
                    + "(keys/values) or copy rows with key()/value(), which widen to float32");
        }
        return bytes.asFloatBuffer().asReadOnlyBuffer();
    }

    private void write(ByteBuffer bytes, int at, float[] src, int offset) {
        switch (type) {
            case FLOAT32 -> {
                for (int i = 0; i < headDim; i++) {
                    bytes.putFloat((at + i) * 4, src[offset + i]);
                }
            }
            case BF16 -> {
                for (int i = 0; i < headDim; i++) {
                    bytes.putShort((at + i) * 2, HalfFloats.toBf16(src[offset + i]));
                }
            }
            case F16 -> {
                for (int i = 0; i < headDim; i++) {
                    bytes.putShort((at + i) * 2, HalfFloats.toF16(src[offset + i]));
                }
            }
        }
    }

    /**
     * Throws unless every element of {@code src[from, from + n)} is stored as a finite value:
     * float32 values larger than the type's range would round to infinity.
     */
    static void requireStorable(StorageType type, String name, float[] src, int from, int n) {
        if (type == StorageType.FLOAT32) {
            return;
        }
        for (int i = from; i < from + n; i++) {
            float x = src[i];
            boolean finite = type == StorageType.BF16 ? Float.isFinite(HalfFloats.fromBf16(HalfFloats.toBf16(x)))
                    : Float.isFinite(HalfFloats.fromF16(HalfFloats.toF16(x)));
            if (!finite) {
                throw new IllegalArgumentException(name + "[" + (i - from) + "] = " + x + " overflows " + type
                        + " storage (largest finite magnitude " + type.maxFinite() + "); scale the model's "
                        + name + "s or store FLOAT32");
            }
        }
    }

    @Override
    public void close() {
        for (Segment segment : segments) {
            segment.keys.close();
            segment.values.close();
        }
    }
}
