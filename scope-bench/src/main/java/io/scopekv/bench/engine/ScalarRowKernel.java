package io.scopekv.bench.engine;

import static io.scopekv.bench.engine.RowKernel.half;
import static io.scopekv.bench.engine.RowKernel.int32;
import static io.scopekv.bench.engine.RowKernel.minK4;
import static io.scopekv.bench.engine.RowKernel.scaleK3;
import static io.scopekv.bench.engine.RowKernel.scaleK4;

import io.scopekv.bench.gguf.GgmlQuants;
import io.scopekv.bench.gguf.GgmlType;
import io.scopekv.bench.gguf.Halfs;
import java.nio.ByteBuffer;

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

    @Override
    public float q4_1(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        float sum = 0;
        for (int b = 0; b < blocks; b++) {
            int p = wOff + 20 * b;
            float d = half(w, p);
            float m = half(w, p + 2);
            int xb = xOff + 32 * b;
            for (int j = 0; j < 16; j++) {
                int q = w[p + 4 + j] & 0xFF;
                sum += (d * (q & 0x0F) + m) * x[xb + j];
                sum += (d * (q >>> 4) + m) * x[xb + j + 16];
            }
        }
        return sum;
    }

    @Override
    public float q5_0(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        float sum = 0;
        for (int b = 0; b < blocks; b++) {
            int p = wOff + 22 * b;
            float d = half(w, p);
            int qh = int32(w, p + 2);
            int xb = xOff + 32 * b;
            for (int j = 0; j < 16; j++) {
                int q = w[p + 6 + j] & 0xFF;
                int low = (q & 0x0F) | ((qh >>> j) & 1) << 4;
                int high = (q >>> 4) | ((qh >>> (j + 16)) & 1) << 4;
                sum += d * (low - 16) * x[xb + j];
                sum += d * (high - 16) * x[xb + j + 16];
            }
        }
        return sum;
    }

    @Override
    public float q5_1(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        float sum = 0;
        for (int b = 0; b < blocks; b++) {
            int p = wOff + 24 * b;
            float d = half(w, p);
            float m = half(w, p + 2);
            int qh = int32(w, p + 4);
            int xb = xOff + 32 * b;
            for (int j = 0; j < 16; j++) {
                int q = w[p + 8 + j] & 0xFF;
                int low = (q & 0x0F) | ((qh >>> j) & 1) << 4;
                int high = (q >>> 4) | ((qh >>> (j + 16)) & 1) << 4;
                sum += (d * low + m) * x[xb + j];
                sum += (d * high + m) * x[xb + j + 16];
            }
        }
        return sum;
    }

    @Override
    public float q2K(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        float sum = 0;
        for (int b = 0; b < blocks; b++) {
            int p = wOff + 84 * b;
            float d = half(w, p + 80);
            float dmin = half(w, p + 82);
            // element 128 h + 32 k + l: bit pair k of quant byte 32 h + l, (scale, min) pair 8 h + 2 k + l / 16
            for (int h = 0; h < 2; h++) {
                for (int k = 0; k < 4; k++) {
                    int xb = xOff + 256 * b + 128 * h + 32 * k;
                    for (int l = 0; l < 32; l++) {
                        int sc = w[p + 8 * h + 2 * k + l / 16] & 0xFF;
                        int q = ((w[p + 16 + 32 * h + l] & 0xFF) >>> (2 * k)) & 3;
                        sum += (d * (sc & 0x0F) * q - dmin * (sc >>> 4)) * x[xb + l];
                    }
                }
            }
        }
        return sum;
    }

    @Override
    public float q3K(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        float sum = 0;
        for (int b = 0; b < blocks; b++) {
            int p = wOff + 110 * b;
            float d = half(w, p + 108);
            // element 128 h + 32 k + l: bit pair k of quant byte 32 h + l, bit 4 h + k of hmask byte l,
            // scale 8 h + 2 k + l / 16
            for (int h = 0; h < 2; h++) {
                for (int k = 0; k < 4; k++) {
                    int xb = xOff + 256 * b + 128 * h + 32 * k;
                    for (int l = 0; l < 32; l++) {
                        float scale = d * (scaleK3(w, p + 96, 8 * h + 2 * k + l / 16) - 32);
                        int q = ((w[p + 32 + 32 * h + l] & 0xFF) >>> (2 * k)) & 3;
                        int bit = ((w[p + l] & 0xFF) >>> (4 * h + k)) & 1;
                        sum += scale * (q - (bit == 0 ? 4 : 0)) * x[xb + l];
                    }
                }
            }
        }
        return sum;
    }

    @Override
    public float q5K(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        float sum = 0;
        for (int b = 0; b < blocks; b++) {
            int p = wOff + 176 * b;
            float d = half(w, p);
            float dmin = half(w, p + 2);
            for (int g = 0; g < 4; g++) {
                float scaleLow = d * scaleK4(w, p + 4, 2 * g);
                float minLow = dmin * minK4(w, p + 4, 2 * g);
                float scaleHigh = d * scaleK4(w, p + 4, 2 * g + 1);
                float minHigh = dmin * minK4(w, p + 4, 2 * g + 1);
                int xb = xOff + 256 * b + 64 * g;
                for (int l = 0; l < 32; l++) {
                    int v = w[p + 48 + 32 * g + l] & 0xFF;
                    int hi = w[p + 16 + l] & 0xFF;
                    int low = (v & 0x0F) | ((hi >>> (2 * g)) & 1) << 4;
                    int high = (v >>> 4) | ((hi >>> (2 * g + 1)) & 1) << 4;
                    sum += (scaleLow * low - minLow) * x[xb + l];
                    sum += (scaleHigh * high - minHigh) * x[xb + 32 + l];
                }
            }
        }
        return sum;
    }

    /** The dequantizer itself, reading the blocks through a heap buffer. */
    @Override
    public void decode(GgmlType type, byte[] w, int wOff, float[] dst, int dstOff, int blocks) {
        if (type.blockSize() == 1) {
            throw new IllegalArgumentException("decode takes quantized blocks; " + type + " has none");
        }
        GgmlQuants.dequantize(type, ByteBuffer.wrap(w, wOff, blocks * type.blockBytes()), dst, dstOff,
                blocks * type.blockSize());
    }
}
