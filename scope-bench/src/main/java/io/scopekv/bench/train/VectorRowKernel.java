package io.scopekv.bench.train;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API {@link RowKernel}. Loaded reflectively only when {@code jdk.incubator.vector} is
 * in the boot layer, so training still runs on a JVM started without it. Eight rows go through
 * each pass, each {@code y} vector taking their eight fused multiply-adds in a register between one
 * load and one store; elements past the last whole vector are done in scalar code. Lanes never
 * interact, so the rounding of an element does not depend on the tier running the code.
 */
final class VectorRowKernel implements RowKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    @Override
    public void addRows(float[] a, int aOff, int aStep, float[] x, int xOff, int xStep, int rows,
                        float[] y, int yOff, int len) {
        int bound = len - len % LANES;
        int k = 0;
        for (; k + 8 <= rows; k += 8) {
            float a0 = a[aOff + k * aStep];
            float a1 = a[aOff + (k + 1) * aStep];
            float a2 = a[aOff + (k + 2) * aStep];
            float a3 = a[aOff + (k + 3) * aStep];
            float a4 = a[aOff + (k + 4) * aStep];
            float a5 = a[aOff + (k + 5) * aStep];
            float a6 = a[aOff + (k + 6) * aStep];
            float a7 = a[aOff + (k + 7) * aStep];
            int x0 = xOff + k * xStep;
            int x1 = x0 + xStep;
            int x2 = x1 + xStep;
            int x3 = x2 + xStep;
            int x4 = x3 + xStep;
            int x5 = x4 + xStep;
            int x6 = x5 + xStep;
            int x7 = x6 + xStep;
            FloatVector b0 = FloatVector.broadcast(SPECIES, a0);
            FloatVector b1 = FloatVector.broadcast(SPECIES, a1);
            FloatVector b2 = FloatVector.broadcast(SPECIES, a2);
            FloatVector b3 = FloatVector.broadcast(SPECIES, a3);
            FloatVector b4 = FloatVector.broadcast(SPECIES, a4);
            FloatVector b5 = FloatVector.broadcast(SPECIES, a5);
            FloatVector b6 = FloatVector.broadcast(SPECIES, a6);
            FloatVector b7 = FloatVector.broadcast(SPECIES, a7);
            int m = 0;
            for (; m < bound; m += LANES) {
                FloatVector acc = FloatVector.fromArray(SPECIES, y, yOff + m);
                acc = FloatVector.fromArray(SPECIES, x, x0 + m).fma(b0, acc);
                acc = FloatVector.fromArray(SPECIES, x, x1 + m).fma(b1, acc);
                acc = FloatVector.fromArray(SPECIES, x, x2 + m).fma(b2, acc);
                acc = FloatVector.fromArray(SPECIES, x, x3 + m).fma(b3, acc);
                acc = FloatVector.fromArray(SPECIES, x, x4 + m).fma(b4, acc);
                acc = FloatVector.fromArray(SPECIES, x, x5 + m).fma(b5, acc);
                acc = FloatVector.fromArray(SPECIES, x, x6 + m).fma(b6, acc);
                acc = FloatVector.fromArray(SPECIES, x, x7 + m).fma(b7, acc);
                acc.intoArray(y, yOff + m);
            }
            for (; m < len; m++) {
                y[yOff + m] += a0 * x[x0 + m] + a1 * x[x1 + m] + a2 * x[x2 + m] + a3 * x[x3 + m]
                        + a4 * x[x4 + m] + a5 * x[x5 + m] + a6 * x[x6 + m] + a7 * x[x7 + m];
            }
        }
        for (; k < rows; k++) {
            float a0 = a[aOff + k * aStep];
            int x0 = xOff + k * xStep;
            FloatVector b0 = FloatVector.broadcast(SPECIES, a0);
            int m = 0;
            for (; m < bound; m += LANES) {
                FloatVector.fromArray(SPECIES, x, x0 + m).fma(b0, FloatVector.fromArray(SPECIES, y, yOff + m))
                        .intoArray(y, yOff + m);
            }
            for (; m < len; m++) {
                y[yOff + m] += a0 * x[x0 + m];
            }
        }
    }
}
