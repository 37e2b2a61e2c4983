package io.scopekv.bench.gguf;

import java.util.Arrays;

/**
 * One entry of a GGUF tensor directory.
 *
 * @param name   tensor name, e.g. {@code blk.0.attn_q.weight}
 * @param dims   ggml dimensions, fastest-varying first: a matrix with {@code dims = [cols, rows]}
 *               is stored row-major as {@code [rows, cols]}
 * @param type   element encoding
 * @param offset byte offset of the data from the start of the data section
 */
public record GgufTensorInfo(String name, long[] dims, GgmlType type, long offset) {

    public GgufTensorInfo {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("tensor name must not be empty");
        }
        if (dims == null || dims.length < 1 || dims.length > 4) {
            throw new IllegalArgumentException("tensor " + name + " must have 1..4 dimensions, had "
                    + (dims == null ? "none" : dims.length));
        }
        for (long d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException("tensor " + name + " has non-positive dimension in " + Arrays.toString(dims));
            }
        }
        if (type == null) {
            throw new IllegalArgumentException("tensor " + name + " has no type");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("tensor " + name + " has negative offset " + offset);
        }
        dims = dims.clone();
        if (dims[0] % type.blockSize() != 0) {
            throw new IllegalArgumentException("tensor " + name + ": first dimension " + dims[0]
                    + " must be a multiple of the " + type + " block size " + type.blockSize());
        }
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    /** Total elements. */
    public long elementCount() {
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Bytes of the encoded data. */
    public long byteSize() {
        return type.bytesFor(elementCount());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensorInfo t && name.equals(t.name) && Arrays.equals(dims, t.dims)
                && type == t.type && offset == t.offset;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(dims) + ":" + type + "@" + offset;
    }
}
