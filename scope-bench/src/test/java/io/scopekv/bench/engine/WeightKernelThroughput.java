package io.scopekv.bench.engine;

import io.scopekv.bench.gguf.GgmlType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Single-threaded speed of the weight kernels on rows that stay in the L2 cache, so memory does
 * not limit them: not a test, a main to compare kernels and types. Prints billions of weights per
 * second and the encoded bytes per second that speed corresponds to, for the Vector API and the
 * plain Java kernel of every type, and for each quantized type two comparisons run alternately in
 * this JVM: the matrix-vector product against decoding each row with the dequantizer and then a
 * float32 dot product, and prefill's tile decoding with the Vector API block decoders against the
 * dequantizer. Read ratios within one run; absolute figures depend on the machine's load.
 */
public final class WeightKernelThroughput {

    private static final int COLS = 4096;
    private static final int ROWS = 64;

    private WeightKernelThroughput() {
    }

    /** One way of computing a product or decoding a tile, timed by {@link #best}. */
    private interface Variant {
        void run();
    }

    public static void main(String[] args) {
        Random random = new Random(1);
        float[] x = new float[COLS];
        for (int i = 0; i < COLS; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] out = new float[ROWS];
        float[] tile = new float[ROWS * COLS];
        for (GgmlType type : GgmlType.values()) {
            ByteBuffer bytes = WeightMatrixTest.randomMatrix(type, ROWS, COLS, type.ordinal());
            WeightMatrix m = WeightMatrix.of("w", type, ROWS, COLS, bytes);
            WeightMatrix.Scratch vector = new WeightMatrix.Scratch(RowKernel.create());
            WeightMatrix.Scratch scalar = new WeightMatrix.Scratch(RowKernel.scalar());
            float[] row = new float[COLS];
            List<String> names = new ArrayList<>(List.of(vector.kernel.getClass().getSimpleName(),
                    scalar.kernel.getClass().getSimpleName()));
            List<Variant> variants = new ArrayList<>(List.of(
                    () -> m.dotRows(0, ROWS, x, 0, out, 0, vector),
                    () -> m.dotRows(0, ROWS, x, 0, out, 0, scalar)));
            if (type.blockSize() > 1) {
                names.addAll(List.of("row decode + f32", "tile decode, blocks", "tile decode, dequantizer"));
                variants.addAll(List.of(
                        () -> {
                            for (int r = 0; r < ROWS; r++) {
                                m.row(r, row, 0);
                                out[r] = vector.kernel.f32(row, 0, x, 0, COLS);
                            }
                        },
                        () -> m.decodeRows(0, ROWS, tile, 0, vector),
                        () -> m.dequantizeRows(0, ROWS, tile, 0)));
            }
            double[] best = best(variants);
            for (int v = 0; v < best.length; v++) {
                System.out.printf(Locale.ROOT, "%-5s %-26s %6.2f G weights/s %6.2f GB/s of encoded bytes%n", type,
                        names.get(v), best[v] / 1e9, best[v] / 1e9 * m.byteSize() / ((double) ROWS * COLS));
            }
            if (type.blockSize() > 1) {
                System.out.printf(Locale.ROOT, "%-5s block kernel / row decode %.2fx, tile blocks / dequantizer %.2fx%n",
                        type, best[0] / best[2], best[3] / best[4]);
            }
        }
    }

    /** The best weights per second of each variant over 30 rounds that run every variant in turn. */
    private static double[] best(List<Variant> variants) {
        double[] best = new double[variants.size()];
        for (int rep = 0; rep < 30; rep++) {
            for (int v = 0; v < best.length; v++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < 20; i++) {
                    variants.get(v).run();
                }
                best[v] = Math.max(best[v], 20.0 * ROWS * COLS / ((System.nanoTime() - t0) / 1e9));
            }
        }
        return best;
    }
}
