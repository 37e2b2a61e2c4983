package io.scopekv.bench.engine;

import static io.scopekv.bench.engine.RowKernel.half;
import static io.scopekv.bench.engine.RowKernel.minK4;
import static io.scopekv.bench.engine.RowKernel.scaleK4;

import io.scopekv.bench.gguf.Halfs;

/** The plain Java row kernel: decodes each weight exactly as the dequantizer does, then accumulates. */
final class ScalarRowKernel implements RowKernel {

    @Override
    public float f32(float[] w, int wOff, float[] x, int xOff, int n) {
        float sum = 0;
        for (int i = 0; i < n; i++) {
            sum += w[wOff + i] * x[xOff + i];
        }
        return sum;
    }

    @Override
    public void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += a * x[xOff + i];
        }
    }

    @Override
    public float f16(short[] w, int wOff, float[] x, int xOff, int n) {
        float sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Halfs.halfToFloat(w[wOff + i]) * x[xOff + i];
        }
        return sum;
    }

    @Override
    public float bf16(short[] w, int wOff, float[] x, int xOff, int n) {
        float sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Float.intBitsToFloat(w[wOff + i] << 16) * x[xOff + i];
        }
        return sum;
    }

    @Override
    public float q8_0(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        float sum = 0;
        for (int b = 0; b < blocks; b++) {
            int p = wOff + 34 * b;
            float d = half(w, p);
            int xb = xOff + 32 * b;
            for (int j = 0; j < 32; j++) {
                sum += d * w[p + 2 + j] * x[xb + j];
            }
        }
        return sum;
    }

    @Override
    public float q4_0(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        float sum = 0;
        for (int b = 0; b < blocks; b++) {
            int p = wOff + 18 * b;
            float d = half(w, p);
            int xb = xOff + 32 * b;
            for (int j = 0; j < 16; j++) {
                int q = w[p + 2 + j] & 0xFF;
                sum += d * ((q & 0x0F) - 8) * x[xb + j];
                sum += d * ((q >>> 4) - 8) * x[xb + j + 16];
            }
        }
        return sum;
    }

    @Override
    public float q4K(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        float sum = 0;
        for (int b = 0; b < blocks; b++) {
            int p = wOff + 144 * b;
            float d = half(w, p);
            float dmin = half(w, p + 2);
            for (int g = 0; g < 4; g++) {
                float scaleLow = d * scaleK4(w, p + 4, 2 * g);
                float minLow = dmin * minK4(w, p + 4, 2 * g);
                float scaleHigh = d * scaleK4(w, p + 4, 2 * g + 1);
                float minHigh = dmin * minK4(w, p + 4, 2 * g + 1);
                int q = p + 16 + 32 * g;
                int xb = xOff + 256 * b + 64 * g;
                for (int l = 0; l < 32; l++) {
                    int v = w[q + l] & 0xFF;
                    sum += (scaleLow * (v & 0x0F) - minLow) * x[xb + l];
                    sum += (scaleHigh * (v >>> 4) - minHigh) * x[xb + 32 + l];
                }
            }
        }
        return sum;
    }

    @Override
    public float q6K(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        float sum = 0;
        for (int b = 0; b < blocks; b++) {
            int p = wOff + 210 * b;
            float d = half(w, p + 208);
            for (int h = 0; h < 2; h++) {
                int ql = p + 64 * h;
                int qh = p + 128 + 32 * h;
                int sc = p + 192 + 8 * h;
                int xb = xOff + 256 * b + 128 * h;
                for (int l = 0; l < 32; l++) {
                    int is = l / 16;
                    int hi = w[qh + l] & 0xFF;
                    int a = w[ql + l] & 0xFF;
                    int c = w[ql + l + 32] & 0xFF;
                    sum += d * w[sc + is] * (((a & 0x0F) | ((hi & 3) << 4)) - 32) * x[xb + l];
                    sum += d * w[sc + is + 2] * (((c & 0x0F) | (((hi >>> 2) & 3) << 4)) - 32) * x[xb + l + 32];
                    sum += d * w[sc + is + 4] * (((a >>> 4) | (((hi >>> 4) & 3) << 4)) - 32) * x[xb + l + 64];
                    sum += d * w[sc + is + 6] * (((c >>> 4) | (((hi >>> 6) & 3) << 4)) - 32) * x[xb + l + 96];
                }
            }
        }
        return sum;
    }
}
