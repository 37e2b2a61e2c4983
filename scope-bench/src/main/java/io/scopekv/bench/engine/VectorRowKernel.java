package io.scopekv.bench.engine;

import static io.scopekv.bench.engine.RowKernel.half;
import static io.scopekv.bench.engine.RowKernel.minK4;
import static io.scopekv.bench.engine.RowKernel.scaleK4;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API row kernel. Loaded reflectively only when {@code jdk.incubator.vector} is in the
 * boot layer. Reads heap arrays only ({@code fromArray}), the part of the incubator API that is the
 * same on Java 17 and 25. With {@code L} float lanes (8 on AVX2, 16 on AVX-512) a load of {@code L}
 * bytes widens to {@code L} floats, so every block size (32 and 256) is a whole number of steps.
 */
final class VectorRowKernel implements RowKernel {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final VectorSpecies<Byte> B = L >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(8 * L)) : null;
    private static final VectorSpecies<Short> S = L >= 8 ? VectorSpecies.of(short.class, VectorShape.forBitSize(16 * L)) : null;

    /** The lanes of an accumulator, summed in index order so results do not depend on JIT tier. */
    private final float[] lanes = new float[L];

    VectorRowKernel() {
        if (L < 8 || L > 16) {
            throw new IllegalStateException("the row kernel needs 256- or 512-bit float vectors; this CPU prefers "
                    + F.vectorBitSize() + "-bit ones");
        }
    }

    private float sum(FloatVector v) {
        v.intoArray(lanes, 0);
        float s = 0;
        for (float lane : lanes) {
            s += lane;
        }
        return s;
    }

    private static FloatVector widen(ByteVector v) {
        return (FloatVector) v.castShape(F, 0);
    }

    private static FloatVector x(float[] x, int i) {
        return FloatVector.fromArray(F, x, i);
    }

    @Override
    public float f32(float[] w, int wOff, float[] x, int xOff, int n) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i + L < bound; i += 2 * L) {
            a0 = FloatVector.fromArray(F, w, wOff + i).fma(x(x, xOff + i), a0);
            a1 = FloatVector.fromArray(F, w, wOff + i + L).fma(x(x, xOff + i + L), a1);
        }
        for (; i < bound; i += L) {
            a0 = FloatVector.fromArray(F, w, wOff + i).fma(x(x, xOff + i), a0);
        }
        float s = sum(a0.add(a1));
        for (; i < n; i++) {
            s += w[wOff + i] * x[xOff + i];
        }
        return s;
    }

    @Override
    public void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector av = FloatVector.broadcast(F, a);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            x(x, xOff + i).fma(av, x(y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += a * x[xOff + i];
        }
    }

    @Override
    public float f16(short[] w, int wOff, float[] x, int xOff, int n) {
        FloatVector a0 = FloatVector.zero(F);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            IntVector h = (IntVector) ShortVector.fromArray(S, w, wOff + i).castShape(I, 0);
            IntVector magnitude = h.and(0x7FFF);
            IntVector shifted = magnitude.lanewise(VectorOperators.LSHL, 13);
            // exponent and mantissa move into float position; 2^112 rebiases the exponent, which
            // also turns subnormal halves into exact normal floats. Infinity and NaN keep exponent 255.
            IntVector finite = shifted.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
            VectorMask<Integer> special = magnitude.compare(VectorOperators.GE, 0x7C00);
            IntVector bits = finite.blend(shifted.or(0x7F80_0000), special)
                    .or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16));
            a0 = bits.reinterpretAsFloats().fma(x(x, xOff + i), a0);
        }
        float s = sum(a0);
        for (; i < n; i++) {
            s += io.scopekv.bench.gguf.Halfs.halfToFloat(w[wOff + i]) * x[xOff + i];
        }
        return s;
    }

    @Override
    public float bf16(short[] w, int wOff, float[] x, int xOff, int n) {
        FloatVector a0 = FloatVector.zero(F);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            IntVector h = (IntVector) ShortVector.fromArray(S, w, wOff + i).castShape(I, 0);
            a0 = h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(x(x, xOff + i), a0);
        }
        float s = sum(a0);
        for (; i < n; i++) {
            s += Float.intBitsToFloat(w[wOff + i] << 16) * x[xOff + i];
        }
        return s;
    }

    @Override
    public float q8_0(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + 34 * b;
            int xb = xOff + 32 * b;
            FloatVector d = FloatVector.broadcast(F, half(w, p));
            for (int j = 0; j < 32; j += L) {
                acc = widen(ByteVector.fromArray(B, w, p + 2 + j)).mul(d).fma(x(x, xb + j), acc);
            }
        }
        return sum(acc);
    }

    @Override
    public float q4_0(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + 18 * b;
            int xb = xOff + 32 * b;
            FloatVector d = FloatVector.broadcast(F, half(w, p));
            for (int j = 0; j < 16; j += L) {
                ByteVector q = ByteVector.fromArray(B, w, p + 2 + j);
                FloatVector low = widen(q.and((byte) 0x0F).sub((byte) 8));
                FloatVector high = widen(q.lanewise(VectorOperators.LSHR, 4).sub((byte) 8));
                a0 = low.mul(d).fma(x(x, xb + j), a0);
                a1 = high.mul(d).fma(x(x, xb + 16 + j), a1);
            }
        }
        return sum(a0.add(a1));
    }

    @Override
    public float q4K(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + 144 * b;
            float d = half(w, p);
            float dmin = half(w, p + 2);
            for (int g = 0; g < 4; g++) {
                FloatVector scaleLow = FloatVector.broadcast(F, d * scaleK4(w, p + 4, 2 * g));
                FloatVector minLow = FloatVector.broadcast(F, dmin * minK4(w, p + 4, 2 * g));
                FloatVector scaleHigh = FloatVector.broadcast(F, d * scaleK4(w, p + 4, 2 * g + 1));
                FloatVector minHigh = FloatVector.broadcast(F, dmin * minK4(w, p + 4, 2 * g + 1));
                int q = p + 16 + 32 * g;
                int xb = xOff + 256 * b + 64 * g;
                for (int l = 0; l < 32; l += L) {
                    ByteVector v = ByteVector.fromArray(B, w, q + l);
                    FloatVector low = widen(v.and((byte) 0x0F)).mul(scaleLow).sub(minLow);
                    FloatVector high = widen(v.lanewise(VectorOperators.LSHR, 4)).mul(scaleHigh).sub(minHigh);
                    a0 = low.fma(x(x, xb + l), a0);
                    a1 = high.fma(x(x, xb + 32 + l), a1);
                }
            }
        }
        return sum(a0.add(a1));
    }

    @Override
    public float q6K(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + 210 * b;
            float d = half(w, p + 208);
            for (int h = 0; h < 2; h++) {
                int ql = p + 64 * h;
                int qh = p + 128 + 32 * h;
                int sc = p + 192 + 8 * h;
                int xb = xOff + 256 * b + 128 * h;
                for (int l = 0; l < 32; l += L) {
                    int is = sc + l / 16;
                    ByteVector a = ByteVector.fromArray(B, w, ql + l);
                    ByteVector c = ByteVector.fromArray(B, w, ql + l + 32);
                    ByteVector hi = ByteVector.fromArray(B, w, qh + l);
                    ByteVector q1 = a.and((byte) 0x0F).or(hi.and((byte) 3).lanewise(VectorOperators.LSHL, 4)).sub((byte) 32);
                    ByteVector q2 = c.and((byte) 0x0F).or(hi.lanewise(VectorOperators.LSHR, 2).and((byte) 3)
                            .lanewise(VectorOperators.LSHL, 4)).sub((byte) 32);
                    ByteVector q3 = a.lanewise(VectorOperators.LSHR, 4).or(hi.lanewise(VectorOperators.LSHR, 4)
                            .and((byte) 3).lanewise(VectorOperators.LSHL, 4)).sub((byte) 32);
                    ByteVector q4 = c.lanewise(VectorOperators.LSHR, 4).or(hi.lanewise(VectorOperators.LSHR, 6)
                            .lanewise(VectorOperators.LSHL, 4)).sub((byte) 32);
                    a0 = widen(q1).mul(d * w[is]).fma(x(x, xb + l), a0);
                    a1 = widen(q2).mul(d * w[is + 2]).fma(x(x, xb + l + 32), a1);
                    a0 = widen(q3).mul(d * w[is + 4]).fma(x(x, xb + l + 64), a0);
                    a1 = widen(q4).mul(d * w[is + 6]).fma(x(x, xb + l + 96), a1);
                }
            }
        }
        return sum(a0.add(a1));
    }
}
