package io.scopekv.bench.engine;

import static io.scopekv.bench.engine.RowKernel.half;
import static io.scopekv.bench.engine.RowKernel.int32;
import static io.scopekv.bench.engine.RowKernel.minK4;
import static io.scopekv.bench.engine.RowKernel.scaleK3;
import static io.scopekv.bench.engine.RowKernel.scaleK4;

import io.scopekv.bench.gguf.GgmlType;
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
 *
 * <p>The 32-element types decode in registers inside their product loop. The K-quants other than
 * Q4_K run in two passes per block, as Q6_K does: an {@code unpack} method writes the block's
 * integer values to {@link #unpacked} and one float32 scale and offset per 16 values to
 * {@link #scales} and {@link #offsets} (arrays only cross the call), and the product loop
 * multiplies them with {@code x}. {@link #decode}, prefill's tile decoder, reuses the same unpack
 * methods for every quantized type and writes {@code q * scale + offset} as float32.
 */
final class VectorRowKernel implements RowKernel {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final VectorSpecies<Byte> B = L >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(8 * L)) : null;
    private static final VectorSpecies<Short> S = L >= 8 ? VectorSpecies.of(short.class, VectorShape.forBitSize(16 * L)) : null;

    /**
     * One block's unpacked integer values in element order (Q6_K: {@code q - 32}; Q3_K: {@code q - 4}
     * where the mask bit is clear; Q4_0, Q5_0: centred on zero), written by the {@code unpack}
     * methods; {@code [256]}, of which a 32-element block uses the first 32.
     */
    private final byte[] unpacked = new byte[256];

    /** Per 16 unpacked values: the float32 scale that multiplies them, {@code [16]}. */
    private final float[] scales = new float[16];

    /**
     * Per 16 unpacked values: what is added after scaling, {@code [16]}: minus the K-quants' min,
     * Q4_1's and Q5_1's {@code m}, or -0 for types without one (x + -0 is x, signed zeros included).
     */
    private final float[] offsets = new float[16];

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
     * Two passes per block: {@link #unpackQ6K} writes the block's 256 signed values to {@link #unpacked}
     * (a call that passes no vectors, so it costs nothing extra if C2 leaves it out of line), and
     * the loop here multiplies them, 16 per scale, with {@code x}, into two independent
     * accumulators. With all 6-bit unpacking and all products in one loop body, the compiled
     * method outgrew C2's inlining budget and ran about 10x slower than the other types. Unlike
     * {@link #unpackedDot} it reads its scales from the block instead of a scratch array: run
     * through {@link #unpackedDot}, Q6_K measured 12% fewer weights per second, and it is the
     * type of a Q4_K_M file's largest matrices (output, down-projection).
     */
    @Override
    public float q6K(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        byte[] q = unpacked;
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
     * Q2_K, Q3_K and Q5_K, after {@link #q6K}'s pattern: {@link #unpackBlock} writes the block's
     * integer values to {@link #unpacked} and a scale and offset per 16 values, then this loop
     * multiplies them, 16 per scale, with {@code x}. A value is {@code q * scale + offset}, a
     * multiply then an add as in the dequantizer, so a weight is exactly the dequantized one even
     * where {@code scale * q} and the min nearly cancel; Q3_K, which has no min, skips the add.
     */
    private float unpackedDot(GgmlType type, byte[] w, int wOff, float[] x, int xOff, int blocks) {
        byte[] q = unpacked;
        float[] sc = scales;
        float[] off = offsets;
        int bytes = type.blockBytes();
        boolean withMin = type != GgmlType.Q3_K;
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            unpackBlock(type, w, wOff + bytes * b);
            int xb = xOff + 256 * b;
            for (int g = 0; g < 16; g += 2) {
                FloatVector s0 = FloatVector.broadcast(F, sc[g]);
                FloatVector s1 = FloatVector.broadcast(F, sc[g + 1]);
                FloatVector o0 = FloatVector.broadcast(F, off[g]);
                FloatVector o1 = FloatVector.broadcast(F, off[g + 1]);
                for (int j = 0; j < 16; j += L) {
                    int i = 16 * g + j;
                    FloatVector v0 = ((FloatVector) ByteVector.fromArray(B, q, i).castShape(F, 0)).mul(s0);
                    FloatVector v1 = ((FloatVector) ByteVector.fromArray(B, q, i + 16).castShape(F, 0)).mul(s1);
                    if (withMin) {
                        v0 = v0.add(o0);
                        v1 = v1.add(o1);
                    }
                    a0 = v0.fma(FloatVector.fromArray(F, x, xb + i), a0);
                    a1 = v1.fma(FloatVector.fromArray(F, x, xb + i + 16), a1);
                }
            }
        }
        a0.add(a1).intoArray(lanes, 0);
        return sumLanes();
    }

    @Override
    public float q2K(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        return unpackedDot(GgmlType.Q2_K, w, wOff, x, xOff, blocks);
    }

    @Override
    public float q3K(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        return unpackedDot(GgmlType.Q3_K, w, wOff, x, xOff, blocks);
    }

    @Override
    public float q5K(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        return unpackedDot(GgmlType.Q5_K, w, wOff, x, xOff, blocks);
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

    @Override
    public float q4_1(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + 20 * b;
            int xb = xOff + 32 * b;
            // weight = d * q + m is one fma per vector
            FloatVector d = FloatVector.broadcast(F, half(w, p));
            FloatVector m = FloatVector.broadcast(F, half(w, p + 2));
            for (int j = 0; j < 16; j += L) {
                ByteVector q = ByteVector.fromArray(B, w, p + 4 + j);
                ByteVector high = q.reinterpretAsInts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes();
                FloatVector low = (FloatVector) q.and((byte) 0x0F).castShape(F, 0);
                FloatVector up = (FloatVector) high.and((byte) 0x0F).castShape(F, 0);
                a0 = low.fma(d, m).fma(FloatVector.fromArray(F, x, xb + j), a0);
                a1 = up.fma(d, m).fma(FloatVector.fromArray(F, x, xb + 16 + j), a1);
            }
        }
        a0.add(a1).intoArray(lanes, 0);
        return sumLanes();
    }

    /**
     * The fifth bits come from the 32-bit word {@code qh}: bit {@code j + i} is moved to bit 4 of
     * int lane {@code i} by one variable shift per vector ({@code (qh >>> j) << 4}, shifted right
     * by the lane index), then or-ed into the widened nibbles.
     */
    @Override
    public float q5_0(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        IntVector lane = IntVector.zero(I).addIndex(1);
        FloatVector a0 = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + 22 * b;
            int xb = xOff + 32 * b;
            int qh = int32(w, p + 2);
            // the block's scale multiplies its sum once instead of every weight
            FloatVector block = FloatVector.zero(F);
            for (int j = 0; j < 16; j += L) {
                ByteVector v = ByteVector.fromArray(B, w, p + 6 + j);
                ByteVector high = v.reinterpretAsInts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes();
                IntVector bitsLow = IntVector.broadcast(I, (qh >>> j) << 4).lanewise(VectorOperators.LSHR, lane).and(16);
                IntVector bitsHigh = IntVector.broadcast(I, (qh >>> (16 + j)) << 4).lanewise(VectorOperators.LSHR, lane).and(16);
                IntVector low = ((IntVector) v.and((byte) 0x0F).castShape(I, 0)).or(bitsLow).sub(16);
                IntVector up = ((IntVector) high.and((byte) 0x0F).castShape(I, 0)).or(bitsHigh).sub(16);
                block = ((FloatVector) low.castShape(F, 0)).fma(FloatVector.fromArray(F, x, xb + j), block);
                block = ((FloatVector) up.castShape(F, 0)).fma(FloatVector.fromArray(F, x, xb + 16 + j), block);
            }
            a0 = block.fma(FloatVector.broadcast(F, half(w, p)), a0);
        }
        a0.intoArray(lanes, 0);
        return sumLanes();
    }

    /** Q5_0's bit placement with Q4_1's {@code d * q + m}. */
    @Override
    public float q5_1(byte[] w, int wOff, float[] x, int xOff, int blocks) {
        IntVector lane = IntVector.zero(I).addIndex(1);
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + 24 * b;
            int xb = xOff + 32 * b;
            FloatVector d = FloatVector.broadcast(F, half(w, p));
            FloatVector m = FloatVector.broadcast(F, half(w, p + 2));
            int qh = int32(w, p + 4);
            for (int j = 0; j < 16; j += L) {
                ByteVector v = ByteVector.fromArray(B, w, p + 8 + j);
                ByteVector high = v.reinterpretAsInts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes();
                IntVector bitsLow = IntVector.broadcast(I, (qh >>> j) << 4).lanewise(VectorOperators.LSHR, lane).and(16);
                IntVector bitsHigh = IntVector.broadcast(I, (qh >>> (16 + j)) << 4).lanewise(VectorOperators.LSHR, lane).and(16);
                FloatVector low = (FloatVector) ((IntVector) v.and((byte) 0x0F).castShape(I, 0)).or(bitsLow).castShape(F, 0);
                FloatVector up = (FloatVector) ((IntVector) high.and((byte) 0x0F).castShape(I, 0)).or(bitsHigh).castShape(F, 0);
                a0 = low.fma(d, m).fma(FloatVector.fromArray(F, x, xb + j), a0);
                a1 = up.fma(d, m).fma(FloatVector.fromArray(F, x, xb + 16 + j), a1);
            }
        }
        a0.add(a1).intoArray(lanes, 0);
        return sumLanes();
    }

    /**
     * Per block: the type's {@code unpack} method writes its integer values, scales and offsets to
     * scratch, and each value becomes {@code q * scale + offset}, a multiply then an add as in the
     * dequantizer ({@code a - b} and {@code a + (-b)} are the same float32 operation).
     *
     * @throws IllegalArgumentException for F32, F16 and BF16, which have no blocks
     */
    @Override
    public void decode(GgmlType type, byte[] w, int wOff, float[] dst, int dstOff, int blocks) {
        if (type.blockSize() == 1) {
            throw new IllegalArgumentException("decode takes quantized blocks; " + type + " has none");
        }
        int size = type.blockSize();
        int bytes = type.blockBytes();
        byte[] q = unpacked;
        float[] sc = scales;
        float[] off = offsets;
        for (int b = 0; b < blocks; b++) {
            unpackBlock(type, w, wOff + bytes * b);
            int o = dstOff + size * b;
            for (int g = 0; g < size / 16; g++) {
                FloatVector s = FloatVector.broadcast(F, sc[g]);
                FloatVector a = FloatVector.broadcast(F, off[g]);
                for (int j = 0; j < 16; j += L) {
                    ((FloatVector) ByteVector.fromArray(B, q, 16 * g + j).castShape(F, 0)).mul(s).add(a)
                            .intoArray(dst, o + 16 * g + j);
                }
            }
        }
    }

    /** One block at {@code p} into {@link #unpacked}, {@link #scales} and {@link #offsets}. */
    private void unpackBlock(GgmlType type, byte[] w, int p) {
        switch (type) {
            case Q2_K -> unpackQ2K(w, p);
            case Q3_K -> unpackQ3K(w, p);
            case Q4_K -> unpackQ4K(w, p);
            case Q5_K -> unpackQ5K(w, p);
            case Q6_K -> unpackQ6KScaled(w, p);
            default -> unpack32(type, w, p);
        }
    }

    /**
     * A 32-element block (Q8_0, Q4_0, Q4_1, Q5_0, Q5_1) at {@code p}: its 32 values, centred on
     * zero for the types without {@code m}, and its scale and offset in entries 0 and 1.
     */
    private void unpack32(GgmlType type, byte[] w, int p) {
        byte[] q = unpacked;
        float d = half(w, p);
        boolean withMin = type == GgmlType.Q4_1 || type == GgmlType.Q5_1;
        float offset = withMin ? half(w, p + 2) : -0f;
        int body = p + (withMin ? 4 : 2);
        switch (type) {
            case Q8_0 -> System.arraycopy(w, body, q, 0, 32);
            case Q4_0, Q4_1 -> {
                byte centre = (byte) (withMin ? 0 : 8);
                for (int j = 0; j < 16; j += L) {
                    ByteVector v = ByteVector.fromArray(B, w, body + j);
                    v.and((byte) 0x0F).sub(centre).intoArray(q, j);
                    v.reinterpretAsInts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().and((byte) 0x0F)
                            .sub(centre).intoArray(q, 16 + j);
                }
            }
            case Q5_0, Q5_1 -> {
                int centre = withMin ? 0 : 16;
                int qh = int32(w, body);
                IntVector lane = IntVector.zero(I).addIndex(1);
                for (int j = 0; j < 16; j += L) {
                    ByteVector v = ByteVector.fromArray(B, w, body + 4 + j);
                    ByteVector high = v.reinterpretAsInts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes();
                    IntVector bitsLow = IntVector.broadcast(I, (qh >>> j) << 4).lanewise(VectorOperators.LSHR, lane).and(16);
                    IntVector bitsHigh = IntVector.broadcast(I, (qh >>> (16 + j)) << 4).lanewise(VectorOperators.LSHR, lane).and(16);
                    IntVector low = ((IntVector) v.and((byte) 0x0F).castShape(I, 0)).or(bitsLow).sub(centre);
                    IntVector up = ((IntVector) high.and((byte) 0x0F).castShape(I, 0)).or(bitsHigh).sub(centre);
                    ((ByteVector) low.castShape(B, 0)).intoArray(q, j);
                    ((ByteVector) up.castShape(B, 0)).intoArray(q, 16 + j);
                }
            }
            default -> throw new IllegalArgumentException("no 32-element block decoder for " + type);
        }
        scales[0] = d;
        scales[1] = d;
        offsets[0] = offset;
        offsets[1] = offset;
    }

    /**
     * The Q2_K block at {@code p}: values 0-3 in element order (element {@code 128 h + 32 k + l} is
     * bit pair k of quant byte {@code 32 h + l}); per 16 values {@code d * scale} and
     * {@code -(dmin * min)} from the 4-bit pair in byte g of the block.
     */
    private void unpackQ2K(byte[] w, int p) {
        byte[] q = unpacked;
        float d = half(w, p + 80);
        float dmin = half(w, p + 82);
        for (int g = 0; g < 16; g++) {
            int sc = w[p + g] & 0xFF;
            scales[g] = d * (sc & 0x0F);
            offsets[g] = -(dmin * (sc >>> 4));
        }
        for (int h = 0; h < 2; h++) {
            for (int l = 0; l < 32; l += L) {
                ByteVector v = ByteVector.fromArray(B, w, p + 16 + 32 * h + l);
                IntVector vi = v.reinterpretAsInts();
                int o = 128 * h + l;
                v.and((byte) 3).intoArray(q, o);
                vi.lanewise(VectorOperators.LSHR, 2).reinterpretAsBytes().and((byte) 3).intoArray(q, o + 32);
                vi.lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().and((byte) 3).intoArray(q, o + 64);
                vi.lanewise(VectorOperators.LSHR, 6).reinterpretAsBytes().and((byte) 3).intoArray(q, o + 96);
            }
        }
    }

    /**
     * The Q3_K block at {@code p}: values {@code q - 4} (mask bit clear) or {@code q} (set) in element
     * order, element {@code 128 h + 32 k + l} being bit pair k of quant byte {@code 32 h + l} and bit
     * {@code 4 h + k} of mask byte l; per 16 values {@code d * (scale - 32)}, offset -0.
     */
    private void unpackQ3K(byte[] w, int p) {
        byte[] q = unpacked;
        float d = half(w, p + 108);
        for (int g = 0; g < 16; g++) {
            scales[g] = d * (scaleK3(w, p + 96, g) - 32);
            offsets[g] = -0f;
        }
        for (int h = 0; h < 2; h++) {
            for (int l = 0; l < 32; l += L) {
                IntVector v = ByteVector.fromArray(B, w, p + 32 + 32 * h + l).reinterpretAsInts();
                IntVector mask = ByteVector.fromArray(B, w, p + l).reinterpretAsInts();
                for (int k = 0; k < 4; k++) {
                    ByteVector low = v.lanewise(VectorOperators.LSHR, 2 * k).reinterpretAsBytes().and((byte) 3);
                    // mask bit 4 h + k moved to bit 2 of its byte: (q | bit << 2) - 4
                    ByteVector bit = mask.lanewise(VectorOperators.LSHR, 4 * h + k).lanewise(VectorOperators.LSHL, 2)
                            .reinterpretAsBytes().and((byte) 4);
                    low.or(bit).sub((byte) 4).intoArray(q, 128 * h + 32 * k + l);
                }
            }
        }
    }

    /** The Q4_K block at {@code p}: nibbles in element order; each sub-block's scale and offset fill two entries. */
    private void unpackQ4K(byte[] w, int p) {
        byte[] q = unpacked;
        scalesK4(w, p);
        for (int g = 0; g < 4; g++) {
            for (int l = 0; l < 32; l += L) {
                ByteVector v = ByteVector.fromArray(B, w, p + 16 + 32 * g + l);
                v.and((byte) 0x0F).intoArray(q, 64 * g + l);
                v.reinterpretAsInts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().and((byte) 0x0F)
                        .intoArray(q, 64 * g + 32 + l);
            }
        }
    }

    /**
     * The Q5_K block at {@code p}: 5-bit values in element order, the fifth bit of element
     * {@code 32 s + l} being bit s of {@code qh} byte l; scales and offsets as in Q4_K.
     */
    private void unpackQ5K(byte[] w, int p) {
        byte[] q = unpacked;
        scalesK4(w, p);
        for (int g = 0; g < 4; g++) {
            for (int l = 0; l < 32; l += L) {
                ByteVector v = ByteVector.fromArray(B, w, p + 48 + 32 * g + l);
                IntVector hi = ByteVector.fromArray(B, w, p + 16 + l).reinterpretAsInts();
                // qh bits 2g and 2g + 1 moved to bit 4 of their byte
                ByteVector bitLow = hi.lanewise(VectorOperators.LSHR, 2 * g).lanewise(VectorOperators.LSHL, 4)
                        .reinterpretAsBytes().and((byte) 0x10);
                ByteVector bitHigh = hi.lanewise(VectorOperators.LSHR, 2 * g + 1).lanewise(VectorOperators.LSHL, 4)
                        .reinterpretAsBytes().and((byte) 0x10);
                v.and((byte) 0x0F).or(bitLow).intoArray(q, 64 * g + l);
                v.reinterpretAsInts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().and((byte) 0x0F).or(bitHigh)
                        .intoArray(q, 64 * g + 32 + l);
            }
        }
    }

    /** Q4_K's and Q5_K's eight (scale, min) pairs as 16 scales {@code d * scale} and offsets {@code -(dmin * min)}. */
    private void scalesK4(byte[] w, int p) {
        float d = half(w, p);
        float dmin = half(w, p + 2);
        for (int j = 0; j < 8; j++) {
            float s = d * scaleK4(w, p + 4, j);
            float o = -(dmin * minK4(w, p + 4, j));
            scales[2 * j] = s;
            scales[2 * j + 1] = s;
            offsets[2 * j] = o;
            offsets[2 * j + 1] = o;
        }
    }

    /** The Q6_K block at {@code p}: {@link #unpackQ6K}'s values, scales {@code d * scale}, offset -0. */
    private void unpackQ6KScaled(byte[] w, int p) {
        unpackQ6K(w, p, unpacked);
        float d = half(w, p + 208);
        for (int g = 0; g < 16; g++) {
            scales[g] = d * w[p + 192 + g];
            offsets[g] = -0f;
        }
    }
}
