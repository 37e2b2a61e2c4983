package io.scopekv.bench.engine;

import io.scopekv.bench.gguf.GgmlQuants;
import io.scopekv.bench.gguf.GgmlType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * A {@code [rows, cols]} weight matrix kept in its file encoding (F32, F16, BF16 or quantized
 * blocks), usually memory-mapped from the GGUF file, so its memory is the file's bytes and nothing
 * is copied to the heap. Rows are GGUF's row-major rows ({@code y = W x}); a row is a whole number
 * of blocks. Immutable and safe to share between threads.
 */
public final class WeightMatrix {

    /** Rows of encoded bytes copied to a thread's scratch at a time: large enough to amortise the copy. */
    private static final int CHUNK_BYTES = 32 << 10;

    private final String name;
    private final GgmlType type;
    private final int rows;
    private final int cols;
    private final int rowBytes;
    private final ByteBuffer data;
    private final ShortBuffer shorts;
    private final FloatBuffer floats;

    private WeightMatrix(String name, GgmlType type, int rows, int cols, ByteBuffer data) {
        this.name = name;
        this.type = type;
        this.rows = rows;
        this.cols = cols;
        this.rowBytes = Math.toIntExact(type.bytesFor(cols));
        this.data = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.shorts = this.data.asShortBuffer();
        this.floats = this.data.asFloatBuffer();
    }

    /**
     * A matrix over encoded bytes (a mapped tensor, or a heap buffer); the bytes are not copied.
     *
     * @param data exactly {@code rows * type.bytesFor(cols)} bytes from its position
     * @throws IllegalArgumentException if a row is not a whole number of blocks or the size differs
     */
    public static WeightMatrix of(String name, GgmlType type, int rows, int cols, ByteBuffer data) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("matrix " + name + " must have positive rows and columns, was ["
                    + rows + ", " + cols + "]");
        }
        if (cols % type.blockSize() != 0) {
            throw new IllegalArgumentException("matrix " + name + ": rows of " + cols + " elements are not a whole number of "
                    + type + " blocks of " + type.blockSize());
        }
        long bytes = (long) rows * type.bytesFor(cols);
        if (data.remaining() != bytes) {
            throw new IllegalArgumentException("matrix " + name + " [" + rows + ", " + cols + "] of " + type + " needs "
                    + bytes + " bytes, got " + data.remaining());
        }
        return new WeightMatrix(name, type, rows, cols, data.slice());
    }

    public String name() {
        return name;
    }

    public GgmlType type() {
        return type;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Encoded bytes of the whole matrix: what one matrix-vector product reads. */
    public long byteSize() {
        return (long) rows * rowBytes;
    }

    /** Encoded bytes of one row. */
    int rowBytes() {
        return rowBytes;
    }

    /** Decodes row {@code r} into {@code dst[off, off + cols)}. */
    public void row(int r, float[] dst, int off) {
        checkRows(r, r + 1);
        dequantizeRows(r, r + 1, dst, off);
    }

    /** Decodes rows {@code [from, to)} into {@code dst} from {@code off}, row-major. */
    void dequantizeRows(int from, int to, float[] dst, int off) {
        ByteBuffer src = data.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(from * rowBytes);
        GgmlQuants.dequantize(type, src, dst, off, (to - from) * cols);
    }

    /**
     * {@code out[outOff + r - from] = row_r · x[xOff, xOff + cols)} for rows {@code [from, to)}.
     * Encoded rows are copied chunk by chunk into the thread's scratch and decoded block by block
     * in registers.
     */
    void dotRows(int from, int to, float[] x, int xOff, float[] out, int outOff, Scratch s) {
        int chunkRows = Math.max(1, CHUNK_BYTES / rowBytes);
        for (int r0 = from; r0 < to; r0 += chunkRows) {
            int n = Math.min(chunkRows, to - r0);
            int o = outOff + r0 - from;
            RowKernel k = s.kernel;
            switch (type) {
                case F32 -> {
                    float[] w = s.floats(n * cols);
                    floats.get(r0 * cols, w, 0, n * cols);
                    for (int i = 0; i < n; i++) {
                        out[o + i] = k.f32(w, i * cols, x, xOff, cols);
                    }
                }
                case F16, BF16 -> {
                    short[] w = s.shorts(n * cols);
                    shorts.get(r0 * cols, w, 0, n * cols);
                    for (int i = 0; i < n; i++) {
                        out[o + i] = type == GgmlType.F16 ? k.f16(w, i * cols, x, xOff, cols) : k.bf16(w, i * cols, x, xOff, cols);
                    }
                }
                default -> {
                    byte[] w = s.bytes(n * rowBytes);
                    data.get(r0 * rowBytes, w, 0, n * rowBytes);
                    int blocks = cols / type.blockSize();
                    for (int i = 0; i < n; i++) {
                        int p = i * rowBytes;
                        out[o + i] = switch (type) {
                            case Q8_0 -> k.q8_0(w, p, x, xOff, blocks);
                            case Q4_0 -> k.q4_0(w, p, x, xOff, blocks);
                            case Q4_1 -> k.q4_1(w, p, x, xOff, blocks);
                            case Q5_0 -> k.q5_0(w, p, x, xOff, blocks);
                            case Q5_1 -> k.q5_1(w, p, x, xOff, blocks);
                            case Q2_K -> k.q2K(w, p, x, xOff, blocks);
                            case Q3_K -> k.q3K(w, p, x, xOff, blocks);
                            case Q4_K -> k.q4K(w, p, x, xOff, blocks);
                            case Q5_K -> k.q5K(w, p, x, xOff, blocks);
                            case Q6_K -> k.q6K(w, p, x, xOff, blocks);
                            case F32, F16, BF16 -> throw new IllegalStateException(type + " rows have no blocks");
                        };
                    }
                }
            }
        }
    }

    /**
     * Decodes rows {@code [from, to)} into {@code dst} from {@code off}, row-major, with the thread's
     * kernel: quantized rows are copied chunk by chunk into its scratch and run through the kernel's
     * block decoders, which give the dequantizer's values exactly; F32, F16 and BF16 rows go through
     * the dequantizer itself.
     */
    void decodeRows(int from, int to, float[] dst, int off, Scratch s) {
        checkRows(from, to);
        if (type.blockSize() == 1) {
            dequantizeRows(from, to, dst, off);
            return;
        }
        int chunkRows = Math.max(1, CHUNK_BYTES / rowBytes);
        int blocks = cols / type.blockSize();
        for (int r0 = from; r0 < to; r0 += chunkRows) {
            int n = Math.min(chunkRows, to - r0);
            byte[] w = s.bytes(n * rowBytes);
            data.get(r0 * rowBytes, w, 0, n * rowBytes);
            s.kernel.decode(type, w, 0, dst, off + (r0 - from) * cols, n * blocks);
        }
    }

    private void checkRows(int from, int to) {
        if (from < 0 || to > rows || from >= to) {
            throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") of matrix " + name + " with " + rows + " rows");
        }
    }

    @Override
    public String toString() {
        return name + " [" + rows + ", " + cols + "] " + type;
    }

    /** One thread's reusable buffers and kernel. */
    static final class Scratch {
        final RowKernel kernel;
        private byte[] bytes = new byte[0];
        private short[] shorts = new short[0];
        private float[] floats = new float[0];

        Scratch(RowKernel kernel) {
            this.kernel = kernel;
        }

        byte[] bytes(int n) {
            if (bytes.length < n) {
                bytes = new byte[n];
            }
            return bytes;
        }

        short[] shorts(int n) {
            if (shorts.length < n) {
                shorts = new short[n];
            }
            return shorts;
        }

        float[] floats(int n) {
            if (floats.length < n) {
                floats = new float[n];
            }
            return floats;
        }
    }
}
