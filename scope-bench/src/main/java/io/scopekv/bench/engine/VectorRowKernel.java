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
 *
 * <p>Two rules keep every vector in registers. Vector values never cross a call to a method of
 * this class: C2 stops inlining ordinary methods once a compilation grows past its node budget
 * (NodeCountInliningCutoff), and a vector passed to or returned from a method that was not
 * inlined becomes a heap object; the Vector API's own methods are force-inlined and exempt.
 * (The earlier Q6_K kernel lost its small helpers this way and ran at a tenth of the other
 * types' speed.) And bytes are shifted as 32-bit lanes, then masked: x86 has no byte shifts,
 * and the Vector API's emulated byte shift costs about twice as much.
 */
final class VectorRowKernel implements RowKernel {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final VectorSpecies<Byte> B = L >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(8 * L)) : null;
    private static final VectorSpecies<Short> S = L >= 8 ? VectorSpecies.of(short.class, VectorShape.forBitSize(16 * L)) : null;

    /** One Q6_K block's unpacked values, {@code q - 32} in {@code [-32, 31]}. */
    private final byte[] q6 = new byte[256];

    /** The lanes of an accumulator, summed in index order so results do not depend on JIT tier. */
    private final float[] lanes = new float[L];

    VectorRowKernel() {
        if (L < 8 || L > 16) {
            throw new IllegalStateException("the row kernel needs 256- or 512-bit float vectors; this CPU prefers "
                    + F.vectorBitSize() + "-bit ones");
        }
    }

    /** The sum of {@link #lanes}, where each kernel stores its accumulator. */
    private float sumLanes() {
        float s = 0;
        for (float lane : lanes) {
            s += lane;
        }
        return s;
    }

    @Override
    public float f32(float[] w, int wOff, float[] x, int xOff, int n) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i + L < bound; i += 2 * L) {
            a0 = FloatVector.fromArray(F, w, wOff + i).fma(FloatVector.fromArray(F, x, xOff + i), a0);
            a1 = FloatVector.fromArray(F, w, wOff + i + L).fma(FloatVector.fromArray(F, x, xOff + i + L), a1);
        }
        for (; i < bound; i += L) {
            a0 = FloatVector.fromArray(F, w, wOff + i).fma(FloatVector.fromArray(F, x, xOff + i), a0);
        }
        a0.add(a1).intoArray(lanes, 0);
        float s = sumLanes();
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
            FloatVector.fromArray(F, x, xOff + i).fma(av, FloatVector.fromArray(F, y, yOff + i)).intoArray(y, yOff + i);
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
            a0 = bits.reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xOff + i), a0);
        }
        a0.intoArray(lanes, 0);
        float s = sumLanes();
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
            a0 = h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xOff + i), a0);
        }
        a0.intoArray(lanes, 0);
        float s = sumLanes();
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
            // the block's scale multiplies its sum once instead of every weight
            FloatVector block = ((FloatVector) ByteVector.fromArray(B, w, p + 2).castShape(F, 0))
                    .mul(FloatVector.fromArray(F, x, xb));
            for (int j = L; j < 32; j += L) {
                FloatVector q = (FloatVector) ByteVector.fromArray(B, w, p + 2 + j).castShape(F, 0);
                block = q.fma(FloatVector.fromArray(F, x, xb + j), block);
            }
            acc = block.fma(FloatVector.broadcast(F, half(w, p)), acc);
        }
        acc.intoArray(lanes, 0);
        return sumLanes();
    }

    @Override
    public float q4_0(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + 18 * b;
            int xb = xOff + 32 * b;
            FloatVector block = FloatVector.zero(F);
            for (int j = 0; j < 16; j += L) {
                ByteVector q = ByteVector.fromArray(B, w, p + 2 + j);
                ByteVector high = q.reinterpretAsInts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes();
                FloatVector low = (FloatVector) q.and((byte) 0x0F).sub((byte) 8).castShape(F, 0);
                block = low.fma(FloatVector.fromArray(F, x, xb + j), block);
                FloatVector up = (FloatVector) high.and((byte) 0x0F).sub((byte) 8).castShape(F, 0);
                block = up.fma(FloatVector.fromArray(F, x, xb + 16 + j), block);
            }
            a0 = block.fma(FloatVector.broadcast(F, half(w, p)), a0);
        }
        a0.add(a1).intoArray(lanes, 0);
        return sumLanes();
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
                // weight = scale * q - min is one fma per vector: q * scale + (-min)
                FloatVector scaleLow = FloatVector.broadcast(F, d * scaleK4(w, p + 4, 2 * g));
                FloatVector minLow = FloatVector.broadcast(F, -dmin * minK4(w, p + 4, 2 * g));
                FloatVector scaleHigh = FloatVector.broadcast(F, d * scaleK4(w, p + 4, 2 * g + 1));
                FloatVector minHigh = FloatVector.broadcast(F, -dmin * minK4(w, p + 4, 2 * g + 1));
                int q = p + 16 + 32 * g;
                int xb = xOff + 256 * b + 64 * g;
                for (int l = 0; l < 32; l += L) {
                    ByteVector v = ByteVector.fromArray(B, w, q + l);
                    ByteVector high = v.reinterpretAsInts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes();
                    FloatVector low = (FloatVector) v.and((byte) 0x0F).castShape(F, 0);
                    FloatVector up = (FloatVector) high.and((byte) 0x0F).castShape(F, 0);
                    a0 = low.fma(scaleLow, minLow).fma(FloatVector.fromArray(F, x, xb + l), a0);
                    a1 = up.fma(scaleHigh, minHigh).fma(FloatVector.fromArray(F, x, xb + 32 + l), a1);
                }
            }
        }
        a0.add(a1).intoArray(lanes, 0);
        return sumLanes();
    }

    /**
     * Two passes per block: {@link #unpackQ6K} writes the block's 256 signed values to {@link #q6}
     * (a call that passes no vectors, so it costs nothing extra if C2 leaves it out of line), and
     * the loop here multiplies them, 16 per scale, with {@code x}, into two independent
     * accumulators. With all 6-bit unpacking and all products in one loop body, the compiled
     * method outgrew C2's inlining budget and ran about 10x slower than the other types.
     */
    @Override
    public float q6K(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        byte[] q = q6;
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + 210 * b;
            float d = half(w, p + 208);
            unpackQ6K(w, p, q);
            int xb = xOff + 256 * b;
            // scale g covers values [16 g, 16 g + 16)
            for (int g = 0; g < 16; g += 2) {
                FloatVector s0 = FloatVector.broadcast(F, d * w[p + 192 + g]);
                FloatVector s1 = FloatVector.broadcast(F, d * w[p + 193 + g]);
                for (int j = 0; j < 16; j += L) {
                    int i = 16 * g + j;
                    FloatVector v0 = (FloatVector) ByteVector.fromArray(B, q, i).castShape(F, 0);
                    FloatVector v1 = (FloatVector) ByteVector.fromArray(B, q, i + 16).castShape(F, 0);
                    a0 = v0.mul(s0).fma(FloatVector.fromArray(F, x, xb + i), a0);
                    a1 = v1.mul(s1).fma(FloatVector.fromArray(F, x, xb + i + 16), a1);
                }
            }
        }
        a0.add(a1).intoArray(lanes, 0);
        return sumLanes();
    }

    /**
     * The 256 values {@code q - 32} of the Q6_K block at {@code p}, in element order: per half
     * {@code h}, value {@code 128 h + 32 k + l} has its low 4 bits in {@code ql} byte
     * {@code 64 h + l + 32 (k & 1)} (low nibble for {@code k < 2}) and its high 2 bits in bits
     * {@code 2k, 2k + 1} of {@code qh} byte {@code 32 h + l}.
     */
    private static void unpackQ6K(byte[] w, int p, byte[] q) {
        for (int h = 0; h < 2; h++) {
            int ql = p + 64 * h;
            int qh = p + 128 + 32 * h;
            int o = 128 * h;
            for (int l = 0; l < 32; l += L) {
                ByteVector a = ByteVector.fromArray(B, w, ql + l);
                ByteVector c = ByteVector.fromArray(B, w, ql + 32 + l);
                ByteVector hi = ByteVector.fromArray(B, w, qh + l);
                // bits 2k, 2k + 1 of hi moved to bits 4, 5 (shifted as int lanes, then masked)
                ByteVector hi0 = hi.reinterpretAsInts().lanewise(VectorOperators.LSHL, 4).reinterpretAsBytes().and((byte) 0x30);
                ByteVector hi1 = hi.reinterpretAsInts().lanewise(VectorOperators.LSHL, 2).reinterpretAsBytes().and((byte) 0x30);
                ByteVector hi2 = hi.and((byte) 0x30);
                ByteVector hi3 = hi.reinterpretAsInts().lanewise(VectorOperators.LSHR, 2).reinterpretAsBytes().and((byte) 0x30);
                ByteVector aHigh = a.reinterpretAsInts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().and((byte) 0x0F);
                ByteVector cHigh = c.reinterpretAsInts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().and((byte) 0x0F);
                a.and((byte) 0x0F).or(hi0).sub((byte) 32).intoArray(q, o + l);
                c.and((byte) 0x0F).or(hi1).sub((byte) 32).intoArray(q, o + 32 + l);
                aHigh.or(hi2).sub((byte) 32).intoArray(q, o + 64 + l);
                cHigh.or(hi3).sub((byte) 32).intoArray(q, o + 96 + l);
            }
        }
    }

}
