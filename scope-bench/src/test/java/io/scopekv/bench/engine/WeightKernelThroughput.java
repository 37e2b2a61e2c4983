package io.scopekv.bench.engine;

import io.scopekv.bench.gguf.GgmlType;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Random;

/**
 * Single-threaded speed of the weight kernels on rows that stay in the L2 cache, so memory does
 * not limit them: not a test, a main to compare kernels and types. Prints billions of weights per
 * second and the encoded bytes per second that speed corresponds to, for the Vector API and the
 * plain Java kernel of every type.
 */
public final class WeightKernelThroughput {

    private WeightKernelThroughput() {
    }

    public static void main(String[] args) {
        int cols = 4096;
        int rows = 64;
        Random random = new Random(1);
        float[] x = new float[cols];
        for (int i = 0; i < cols; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] out = new float[rows];
        for (GgmlType type : GgmlType.values()) {
            ByteBuffer bytes = WeightMatrixTest.randomMatrix(type, rows, cols, type.ordinal());
            WeightMatrix m = WeightMatrix.of("w", type, rows, cols, bytes);
            for (RowKernel kernel : new RowKernel[] {RowKernel.create(), RowKernel.scalar()}) {
                WeightMatrix.Scratch scratch = new WeightMatrix.Scratch(kernel);
                double best = 0;
                for (int rep = 0; rep < 30; rep++) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < 20; i++) {
                        m.dotRows(0, rows, x, 0, out, 0, scratch);
                    }
                    best = Math.max(best, 20.0 * rows * cols / ((System.nanoTime() - t0) / 1e9));
                }
                System.out.printf(Locale.ROOT, "%-5s %-16s %6.2f G weights/s %6.2f GB/s of encoded bytes%n", type,
                        kernel.getClass().getSimpleName(), best / 1e9, best / 1e9 * m.byteSize() / ((double) rows * cols));
            }
        }
    }
}
