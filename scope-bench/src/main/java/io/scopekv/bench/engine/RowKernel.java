package io.scopekv.bench.engine;

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

    /** Over {@code blocks} Q4_K blocks (256 elements in 144 bytes). */
    float q4K(byte[] w, int wOff, float[] x, int xOff, int blocks);

    /** Over {@code blocks} Q6_K blocks (256 elements in 210 bytes). */
    float q6K(byte[] w, int wOff, float[] x, int xOff, int blocks);

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
