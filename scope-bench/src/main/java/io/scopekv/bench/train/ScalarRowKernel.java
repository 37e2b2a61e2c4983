package io.scopekv.bench.train;

/**
 * The plain Java {@link RowKernel}. Four rows go through each pass so that {@code y} is loaded and
 * stored once per four multiply-adds.
 */
final class ScalarRowKernel implements RowKernel {

    @Override
    public void addRows(float[] a, int aOff, int aStep, float[] x, int xOff, int xStep, int rows,
                        float[] y, int yOff, int len) {
        int k = 0;
        for (; k + 4 <= rows; k += 4) {
            float a0 = a[aOff + k * aStep];
            float a1 = a[aOff + (k + 1) * aStep];
            float a2 = a[aOff + (k + 2) * aStep];
            float a3 = a[aOff + (k + 3) * aStep];
            int x0 = xOff + k * xStep;
            int x1 = x0 + xStep;
            int x2 = x1 + xStep;
            int x3 = x2 + xStep;
            for (int m = 0; m < len; m++) {
                y[yOff + m] += a0 * x[x0 + m] + a1 * x[x1 + m] + a2 * x[x2 + m] + a3 * x[x3 + m];
            }
        }
        for (; k < rows; k++) {
            float a0 = a[aOff + k * aStep];
            int x0 = xOff + k * xStep;
            for (int m = 0; m < len; m++) {
                y[yOff + m] += a0 * x[x0 + m];
            }
        }
    }
}
