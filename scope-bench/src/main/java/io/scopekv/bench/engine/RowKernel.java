package io.scopekv.bench.engine;

import io.scopekv.bench.gguf.GgmlType;
import io.scopekv.bench.gguf.Halfs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dot products of one weight row, in its file encoding, with a float32 vector: each block is
 * decoded into registers, multiplied and accumulated in float32, so no float32 copy of the matrix
 * exists. The encoded row sits in a heap array ({@code w}, from offset {@code wOff}); the vector in
 * {@code x} from {@code xOff}. Block layouts are those of {@link io.scopekv.bench.gguf.GgmlQuants}.
 *
 * <p>Instances hold scratch state: one per thread. The Vector API implementation is used when the
 * JVM has {@code jdk.incubator.vector} and at least 256-bit vectors; the plain Java one otherwise.
 */
interface RowKernel {

    /** {@code sum_i w[i] x[i]} over {@code n} float32 weights. */
    float f32(float[] w, int wOff, float[] x, int xOff, int n);

    /** Over {@code n} binary16 weights (bit patterns). */
    float f16(short[] w, int wOff, float[] x, int xOff, int n);

    /** Over {@code n} bfloat16 weights (bit patterns). */
    float bf16(short[] w, int wOff, float[] x, int xOff, int n);

    /** Over {@code blocks} Q8_0 blocks (32 elements in 34 bytes). */
    float q8_0(byte[] w, int wOff, float[] x, int xOff, int blocks);

    /** Over {@code blocks} Q4_0 blocks (32 elements in 18 bytes). */
    float q4_0(byte[] w, int wOff, float[] x, int xOff, int blocks);

    /** Over {@code blocks} Q4_1 blocks (32 elements in 20 bytes). */
    float q4_1(byte[] w, int wOff, float[] x, int xOff, int blocks);

    /** Over {@code blocks} Q5_0 blocks (32 elements in 22 bytes). */
    float q5_0(byte[] w, int wOff, float[] x, int xOff, int blocks);

    /** Over {@code blocks} Q5_1 blocks (32 elements in 24 bytes). */
    float q5_1(byte[] w, int wOff, float[] x, int xOff, int blocks);

    /** Over {@code blocks} Q2_K blocks (256 elements in 84 bytes). */
    float q2K(byte[] w, int wOff, float[] x, int xOff, int blocks);

    /** Over {@code blocks} Q3_K blocks (256 elements in 110 bytes). */
    float q3K(byte[] w, int wOff, float[] x, int xOff, int blocks);

    /** Over {@code blocks} Q4_K blocks (256 elements in 144 bytes). */
    float q4K(byte[] w, int wOff, float[] x, int xOff, int blocks);

    /** Over {@code blocks} Q5_K blocks (256 elements in 176 bytes). */
    float q5K(byte[] w, int wOff, float[] x, int xOff, int blocks);

    /** Over {@code blocks} Q6_K blocks (256 elements in 210 bytes). */
    float q6K(byte[] w, int wOff, float[] x, int xOff, int blocks);

    /**
     * Decodes {@code blocks} blocks of a quantized {@code type} (not F32, F16 or BF16) from
     * {@code w[wOff]} into {@code dst[dstOff, dstOff + blocks * type.blockSize())} with the same
     * float32 operations, in the same order, as {@link io.scopekv.bench.gguf.GgmlQuants#dequantize},
     * so the values are identical to the dequantizer's.
     */
    void decode(GgmlType type, byte[] w, int wOff, float[] dst, int dstOff, int blocks);

    /** {@code y[yOff + i] += a * x[xOff + i]} for {@code i < n}. */
    void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n);

    /** A new instance of the fastest kernel this JVM runs. */
    static RowKernel create() {
        return Choice.VECTOR ? VectorSupport.create() : new ScalarRowKernel();
    }

    /** A new plain Java kernel. */
    static RowKernel scalar() {
        return new ScalarRowKernel();
    }

    /** The binary16 value of the little-endian bytes at {@code p}. */
    static float half(byte[] b, int p) {
        return Halfs.halfToFloat((b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8);
    }

    /** The 6-bit scale of sub-block {@code j} of the Q4_K scale bytes at {@code s}. */
    static int scaleK4(byte[] b, int s, int j) {
        return j < 4 ? b[s + j] & 63 : (b[s + j + 4] & 0x0F) | (((b[s + j - 4] & 0xFF) >>> 6) << 4);
    }

    /** The 6-bit min of sub-block {@code j} of the Q4_K scale bytes at {@code s}. */
    static int minK4(byte[] b, int s, int j) {
        return j < 4 ? b[s + j + 4] & 63 : ((b[s + j + 4] & 0xFF) >>> 4) | (((b[s + j] & 0xFF) >>> 6) << 4);
    }

    /** The little-endian 32-bit word at {@code p} (the fifth bits of a Q5_0 or Q5_1 block). */
    static int int32(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
    }

    /**
     * The 6-bit scale (unsigned, before subtracting 32) of sub-block {@code j} (0-15) of the Q3_K
     * scale bytes at {@code s}: low 4 bits from the low nibble of byte j (j &lt; 8) or the high
     * nibble of byte j - 8, high 2 bits from bit pair j / 4 of byte 8 + j % 4.
     */
    static int scaleK3(byte[] b, int s, int j) {
        int low = j < 8 ? b[s + j] & 0x0F : (b[s + j - 8] & 0xFF) >>> 4;
        int high = ((b[s + 8 + j % 4] & 0xFF) >>> (2 * (j / 4))) & 3;
        return low | high << 4;
    }

    /** Which kernel this JVM gets, decided once. */
    final class Choice {
        private static final Logger LOG = LoggerFactory.getLogger(RowKernel.class);
        static final boolean VECTOR = vectorUsable();

        private Choice() {
        }

        private static boolean vectorUsable() {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                LOG.info("jdk.incubator.vector not enabled: the engine's weight kernels run in plain Java "
                        + "(run with --add-modules jdk.incubator.vector for the faster ones)");
                return false;
            }
            try {
                VectorSupport.create();
                return true;
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("Vector API present but unusable for the weight kernels ({}); using plain Java", e.toString());
                return false;
            }
        }
    }

    /** Keeps the Vector API class out of reach until the module is known to be present. */
    final class VectorSupport {
        private VectorSupport() {
        }

        static RowKernel create() {
            try {
                return (RowKernel) Class.forName("io.scopekv.bench.engine.VectorRowKernel").getDeclaredConstructor()
                        .newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create the Vector API row kernel", e);
            }
        }
    }
}
