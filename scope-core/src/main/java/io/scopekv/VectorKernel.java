package io.scopekv;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernel. Loaded reflectively only when {@code jdk.incubator.vector} is in the boot
 * layer, so the library still runs on a JVM started without it.
 *
 * <p>Keys and values are loaded in place from the off-heap storage through {@link DirectMemory}'s
 * handles ({@code fromByteBuffer} on Java 17, {@code fromMemorySegment} on 20+, bound once as
 * method handles that the JIT inlines). 16-bit storage is loaded as int lanes, two elements each,
 * and widened in registers without a conversion instruction: the even elements by a shift into
 * the high half, the odd ones by masking the low half off. The queries are reordered once per call
 * to match (evens then odds within each chunk of two vectors) and the outputs are put back in place
 * at the end. bfloat16 then is float32 already; binary16 moves its magnitude bits into float32
 * position and multiplies by 2^112, exact for every finite half (subnormals included). The two
 * 16-bit types share these loops: the JIT specialises them to the type a process uses, and a JVM
 * that runs both BF16 and F16 caches gets slower 16-bit attention.
 *
 * <p>Scores: each key row is loaded once for up to four query heads (one accumulator each); the
 * four lane-sums are then formed together by a fixed blend-and-rotate network, so a row costs
 * three merges and {@code log2(lanes) - 2} folds instead of four separate horizontal sums. Values:
 * rows are taken in blocks of {@link #BLOCK}, two vectors of the head dimension at a time, with
 * one accumulator per query head and vector (eight independent FMA chains for four heads). Every
 * sum has a fixed order, so results are identical across threads, runs and JIT tiers
 * ({@code reduceLanes(ADD)} leaves its order open and is therefore not used).
 */
final class VectorKernel implements AttentionKernel {
    private static final VectorSpecies<Float> F = species();
    private static final int L = F.length();
    private static final int LOG = Integer.numberOfTrailingZeros(L);
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final int BLOCK = 64;
    private static final int F32 = 0;
    private static final int BF16 = 1;
    private static final int F16 = 2;

    private static final VectorShuffle<Float> X0 = xor(0);
    private static final VectorShuffle<Float> X1 = xor(1);
    private static final VectorShuffle<Float> X2 = xor(2);
    private static final VectorShuffle<Float> X3 = xor(3);
    private static final VectorMask<Float> M0 = bit(0);
    private static final VectorMask<Float> M1 = bit(1);
    private static final FloatVector NEG_INF = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
    private static final FloatVector POS_INF = FloatVector.broadcast(F, Float.POSITIVE_INFINITY);

    private static final MethodHandle LOAD_FLOATS = loader(FloatVector.class);
    private static final MethodHandle LOAD_INTS = loader(IntVector.class);
    /** Whether the element at the lower address sits in the low half of a loaded int. */
    private static final boolean LITTLE = ORDER == ByteOrder.LITTLE_ENDIAN;

    /** The preferred shape, capped at 16 lanes (the merge network has four levels). */
    private static VectorSpecies<Float> species() {
        VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
        return preferred.length() > 16 ? FloatVector.SPECIES_512 : preferred;
    }

    private static VectorShuffle<Float> xor(int level) {
        return level < LOG ? VectorShuffle.fromOp(F, i -> i ^ (1 << level)) : null;
    }

    private static VectorMask<Float> bit(int level) {
        long bits = 0;
        for (int i = 0; i < L; i++) {
            if ((i & (1 << level)) != 0) {
                bits |= 1L << i;
            }
        }
        return VectorMask.fromLong(F, bits);
    }

    /**
     * {@code (VectorSpecies, Object handle, long byteOffset, ByteOrder) -> vector}: Java 20+'s
     * {@code fromMemorySegment}, else Java 17's {@code fromByteBuffer} (whose int offset is
     * enough: a segment is capped at 2 GiB).
     */
    private static MethodHandle loader(Class<?> vector) {
        MethodType target = MethodType.methodType(vector, VectorSpecies.class, Object.class, long.class, ByteOrder.class);
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        try {
            Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
            return MethodHandles.explicitCastArguments(lookup.findStatic(vector, "fromMemorySegment",
                    MethodType.methodType(vector, VectorSpecies.class, segment, long.class, ByteOrder.class)), target);
        } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException e) {
            try {
                return MethodHandles.explicitCastArguments(lookup.findStatic(vector, "fromByteBuffer",
                        MethodType.methodType(vector, VectorSpecies.class, ByteBuffer.class, int.class, ByteOrder.class)), target);
            } catch (NoSuchMethodException | IllegalAccessException e2) {
                throw new IllegalStateException("this JDK's Vector API has neither fromMemorySegment nor fromByteBuffer", e2);
            }
        }
    }

    private static int kind(LayerStore store) {
        return switch (store.type) {
            case FLOAT32 -> F32;
            case BF16 -> BF16;
            case F16 -> F16;
        };
    }

    /** L float32 elements from element {@code index} of a segment. */
    private static FloatVector floats(Object handle, long index) {
        try {
            return (FloatVector) LOAD_FLOATS.invokeExact(F, handle, index * 4, ORDER);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** 2L 16-bit elements from element {@code index} of a segment, two per int lane. */
    private static IntVector words(Object handle, long index) {
        try {
            return (IntVector) LOAD_INTS.invokeExact(I, handle, index * 2, ORDER);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** The even-numbered elements of {@link #words}, widened: lane j is element 2j. */
    private static FloatVector even(int kind, IntVector words) {
        return widen(kind, LITTLE ? words.lanewise(VectorOperators.LSHL, 16) : words.and(0xffff0000));
    }

    /** The odd-numbered elements of {@link #words}, widened: lane j is element 2j + 1. */
    private static FloatVector odd(int kind, IntVector words) {
        return widen(kind, LITTLE ? words.and(0xffff0000) : words.lanewise(VectorOperators.LSHL, 16));
    }

    /**
     * A 16-bit value held in the high half of each lane (low half zero) as float32: bfloat16 is
     * that already; binary16's 15 magnitude bits move down by 3 into float32 position, where they
     * read 2^112 too small, and the product is exact for every finite half.
     */
    private static FloatVector widen(int kind, IntVector high) {
        if (kind == BF16) {
            return high.reinterpretAsFloats();
        }
        FloatVector magnitude = high.lanewise(VectorOperators.LSHR, 3).and(0x0fffe000).reinterpretAsFloats().mul(0x1p112f);
        return magnitude.reinterpretAsInts().or(high.and(0x80000000)).reinterpretAsFloats();
    }

    /**
     * Lane i of the result: for bit {@code level} of i clear, a's lanes i and i ^ 2^level summed;
     * set, b's. Two blends, one rotation, one add.
     */
    private static FloatVector merge(FloatVector a, FloatVector b, VectorMask<Float> bit, VectorShuffle<Float> xor) {
        return a.blend(b, bit).add(b.blend(a, bit).rearrange(xor));
    }

    /** Folds lanes that differ in bits {@code from..LOG-1}: lanes below 2^from then hold full sums. */
    private static FloatVector fold(FloatVector v, int from) {
        if (from <= 0 && LOG > 0) {
            v = v.add(v.rearrange(X0));
        }
        if (from <= 1 && LOG > 1) {
            v = v.add(v.rearrange(X1));
        }
        if (from <= 2 && LOG > 2) {
            v = v.add(v.rearrange(X2));
        }
        if (from <= 3 && LOG > 3) {
            v = v.add(v.rearrange(X3));
        }
        return v;
    }

    @Override
    public void scores(LayerStore store, LayerStore.Segment segment, int head, int slot0, int rows,
                       float[] query, int queryOff, int queries, float[] scores, int scoreOff, int stride,
                       float[] scratch) {
        int kind = kind(store);
        int d = store.headDim;
        long row0 = segment.offset(head, slot0, d);
        Object keys = segment.keyHandle;
        int bound;
        if (kind == F32) {
            bound = d - d % L;
            int g = 0;
            for (; g + 4 <= queries && L >= 4; g += 4) {
                scoreQuad(keys, row0, rows, d, query, queryOff + g * d, scores, scoreOff + g * stride, stride);
            }
            for (; g < queries; g++) {
                scoreOne(keys, row0, rows, d, query, queryOff + g * d, scores, scoreOff + g * stride);
            }
        } else {
            bound = d - d % (2 * L);
            deinterleave(query, queryOff, queries, d, bound, scratch);
            int g = 0;
            for (; g + 4 <= queries && L >= 4; g += 4) {
                scoreQuad16(kind, keys, row0, rows, d, bound, scratch, g * d, scores, scoreOff + g * stride, stride);
            }
            for (; g < queries; g++) {
                scoreOne16(kind, keys, row0, rows, d, bound, scratch, g * d, scores, scoreOff + g * stride);
            }
        }
        if (bound < d) {
            scalarTail(store, segment.keyBytes, (int) row0, rows, d, bound, query, queryOff, queries, scores, scoreOff, stride);
        }
    }

    /**
     * Copies each query into {@code split} with every chunk of 2L dimensions reordered as its
     * even-numbered dimensions followed by its odd ones, to meet {@link #even} and {@link #odd}.
     */
    private static void deinterleave(float[] query, int queryOff, int queries, int d, int bound, float[] split) {
        for (int g = 0; g < queries; g++) {
            int q = queryOff + g * d;
            int o = g * d;
            for (int i = 0; i < bound; i += 2 * L) {
                for (int j = 0; j < L; j++) {
                    split[o + i + j] = query[q + i + 2 * j];
                    split[o + i + L + j] = query[q + i + 2 * j + 1];
                }
            }
        }
    }

    private static void scoreQuad16(int kind, Object keys, long row0, int rows, int d, int bound, float[] split, int q,
                                    float[] scores, int s, int stride) {
        for (int r = 0; r < rows; r++) {
            long k = row0 + (long) r * d;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F);
            FloatVector a3 = FloatVector.zero(F);
            for (int i = 0; i < bound; i += 2 * L) {
                IntVector w = words(keys, k + i);
                FloatVector lo = even(kind, w);
                FloatVector hi = odd(kind, w);
                a0 = FloatVector.fromArray(F, split, q + i).fma(lo, a0);
                a1 = FloatVector.fromArray(F, split, q + d + i).fma(lo, a1);
                a2 = FloatVector.fromArray(F, split, q + 2 * d + i).fma(lo, a2);
                a3 = FloatVector.fromArray(F, split, q + 3 * d + i).fma(lo, a3);
                a0 = FloatVector.fromArray(F, split, q + i + L).fma(hi, a0);
                a1 = FloatVector.fromArray(F, split, q + d + i + L).fma(hi, a1);
                a2 = FloatVector.fromArray(F, split, q + 2 * d + i + L).fma(hi, a2);
                a3 = FloatVector.fromArray(F, split, q + 3 * d + i + L).fma(hi, a3);
            }
            FloatVector sums = fold(merge(merge(a0, a1, M0, X0), merge(a2, a3, M0, X0), M1, X1), 2);
            scores[s + r] = sums.lane(0);
            scores[s + stride + r] = sums.lane(1);
            scores[s + 2 * stride + r] = sums.lane(2);
            scores[s + 3 * stride + r] = sums.lane(3);
        }
    }

    private static void scoreOne16(int kind, Object keys, long row0, int rows, int d, int bound, float[] split, int q,
                                   float[] scores, int s) {
        for (int r = 0; r < rows; r++) {
            long k = row0 + (long) r * d;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            for (int i = 0; i < bound; i += 2 * L) {
                IntVector w = words(keys, k + i);
                a0 = FloatVector.fromArray(F, split, q + i).fma(even(kind, w), a0);
                a1 = FloatVector.fromArray(F, split, q + i + L).fma(odd(kind, w), a1);
            }
            scores[s + r] = fold(a0.add(a1), 0).lane(0);
        }
    }

    private static void scoreQuad(Object keys, long row0, int rows, int d, float[] query, int q,
                                  float[] scores, int s, int stride) {
        int bound = d - d % L;
        for (int r = 0; r < rows; r++) {
            long k = row0 + (long) r * d;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F);
            FloatVector a3 = FloatVector.zero(F);
            for (int i = 0; i < bound; i += L) {
                FloatVector key = floats(keys, k + i);
                a0 = FloatVector.fromArray(F, query, q + i).fma(key, a0);
                a1 = FloatVector.fromArray(F, query, q + d + i).fma(key, a1);
                a2 = FloatVector.fromArray(F, query, q + 2 * d + i).fma(key, a2);
                a3 = FloatVector.fromArray(F, query, q + 3 * d + i).fma(key, a3);
            }
            // lane g of the result holds query g's dot product
            FloatVector sums = fold(merge(merge(a0, a1, M0, X0), merge(a2, a3, M0, X0), M1, X1), 2);
            scores[s + r] = sums.lane(0);
            scores[s + stride + r] = sums.lane(1);
            scores[s + 2 * stride + r] = sums.lane(2);
            scores[s + 3 * stride + r] = sums.lane(3);
        }
    }

    private static void scoreOne(Object keys, long row0, int rows, int d, float[] query, int q,
                                 float[] scores, int s) {
        int bound = d - d % L;
        for (int r = 0; r < rows; r++) {
            long k = row0 + (long) r * d;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            int i = 0;
            for (; i + L < bound; i += 2 * L) {
                a0 = FloatVector.fromArray(F, query, q + i).fma(floats(keys, k + i), a0);
                a1 = FloatVector.fromArray(F, query, q + i + L).fma(floats(keys, k + i + L), a1);
            }
            for (; i < bound; i += L) {
                a0 = FloatVector.fromArray(F, query, q + i).fma(floats(keys, k + i), a0);
            }
            scores[s + r] = fold(a0.add(a1), 0).lane(0);
        }
    }

    /** Adds the dimensions past the last whole vector, in index order. */
    private static void scalarTail(LayerStore store, ByteBuffer keys, int row0, int rows, int d, int bound,
                                   float[] query, int queryOff, int queries, float[] scores, int scoreOff, int stride) {
        for (int g = 0; g < queries; g++) {
            int q = queryOff + g * d;
            for (int r = 0; r < rows; r++) {
                float sum = 0f;
                for (int i = bound; i < d; i++) {
                    sum += query[q + i] * store.element(keys, row0 + r * d + i);
                }
                scores[scoreOff + g * stride + r] += sum;
            }
        }
    }

    @Override
    public boolean softmax(float[] x, int off, int n, int[] positions, float scale) {
        int bound = F.loopBound(n);
        FloatVector highest = NEG_INF;
        FloatVector lowest = POS_INF;
        for (int s = 0; s < bound; s += L) {
            VectorMask<Float> empty = IntVector.fromArray(I, positions, s).compare(VectorOperators.LT, 0).cast(F);
            FloatVector logit = FloatVector.fromArray(F, x, off + s).mul(scale);
            lowest = lowest.min(logit.blend(POS_INF, empty));
            logit = logit.blend(NEG_INF, empty);
            highest = highest.max(logit);
            logit.intoArray(x, off + s);
        }
        // max and min are exact whatever the order of the lanes
        float max = highest.reduceLanes(VectorOperators.MAX);
        float min = lowest.reduceLanes(VectorOperators.MIN);
        for (int s = bound; s < n; s++) {
            float logit = positions[s] < 0 ? Float.NEGATIVE_INFINITY : x[off + s] * scale;
            if (positions[s] >= 0) {
                min = Math.min(min, logit);
            }
            max = Math.max(max, logit);
            x[off + s] = logit;
        }
        // NaN fails both tests; an overflowed score is infinite
        if (!(Float.isFinite(max) && min > Float.NEGATIVE_INFINITY)) {
            return false;
        }
        FloatVector total = FloatVector.zero(F);
        for (int s = 0; s < bound; s += L) {
            FloatVector e = exp(FloatVector.fromArray(F, x, off + s).sub(max));
            e.intoArray(x, off + s);
            total = total.add(e);
        }
        float sum = fold(total, 0).lane(0);
        for (int s = bound; s < n; s++) {
            float e = FastExp.exp(x[off + s] - max);
            x[off + s] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int s = 0; s < bound; s += L) {
            FloatVector.fromArray(F, x, off + s).mul(inv).intoArray(x, off + s);
        }
        for (int s = bound; s < n; s++) {
            x[off + s] *= inv;
        }
        return true;
    }

    /** {@link FastExp#exp} lane-wise, operation for operation, so the two agree bit for bit. */
    static FloatVector exp(FloatVector x) {
        FloatVector clamped = x.max(FastExp.LOWEST);
        FloatVector shifted = clamped.mul(FastExp.LOG2E).add(FastExp.ROUNDER);
        FloatVector n = shifted.sub(FastExp.ROUNDER);
        FloatVector r = n.fma(FloatVector.broadcast(F, -FastExp.LN2_HI), clamped);
        r = n.fma(FloatVector.broadcast(F, -FastExp.LN2_LO), r);
        FloatVector p = r.fma(FastExp.P0, FastExp.P1);
        p = p.fma(r, FloatVector.broadcast(F, FastExp.P2));
        p = p.fma(r, FloatVector.broadcast(F, FastExp.P3));
        p = p.fma(r, FloatVector.broadcast(F, FastExp.P4));
        p = p.fma(r, FloatVector.broadcast(F, FastExp.P5));
        FloatVector er = p.fma(r.mul(r), r).add(1f);
        FloatVector scale = shifted.reinterpretAsInts().sub(FastExp.ROUNDER_BITS - 127)
                .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return er.mul(scale).blend(0f, x.lt(FastExp.LOWEST));
    }

    @Override
    public void accumulate(LayerStore store, LayerStore.Segment segment, int head, int slot0, int rows,
                           float[] probs, int probOff, int stride, int queries, float[] out, int outOff,
                           float[] scratch) {
        int kind = kind(store);
        int d = store.headDim;
        long row0 = segment.offset(head, slot0, d);
        Object values = segment.valueHandle;
        int bound = kind == F32 ? d - d % L : d - d % (2 * L);
        if (kind != F32) {
            java.util.Arrays.fill(scratch, 0, queries * d, 0f);
        }
        for (int b = 0; b < rows; b += BLOCK) {
            int n = Math.min(BLOCK, rows - b);
            long first = row0 + (long) b * d;
            int g = 0;
            if (kind == F32) {
                for (; g + 4 <= queries; g += 4) {
                    accumulateQuad(values, first, n, d, probs, probOff + g * stride + b, stride, out, outOff + g * d);
                }
                for (; g < queries; g++) {
                    accumulateOne(values, first, n, d, probs, probOff + g * stride + b, out, outOff + g * d);
                }
            } else {
                for (; g + 4 <= queries; g += 4) {
                    accumulateQuad16(kind, values, first, n, d, bound, probs, probOff + g * stride + b, stride, scratch, g * d);
                }
                for (; g < queries; g++) {
                    accumulateOne16(kind, values, first, n, d, bound, probs, probOff + g * stride + b, scratch, g * d);
                }
            }
            for (int i = bound; i < d; i++) {
                for (g = 0; g < queries; g++) {
                    float sum = out[outOff + g * d + i];
                    for (int r = 0; r < n; r++) {
                        sum += probs[probOff + g * stride + b + r] * store.element(segment.valueBytes, (int) (first + (long) r * d + i));
                    }
                    out[outOff + g * d + i] = sum;
                }
            }
        }
        if (kind != F32) {
            // scratch holds each chunk of 2L dimensions as evens then odds: put them back in place
            for (int g = 0; g < queries; g++) {
                for (int i = 0; i < bound; i += 2 * L) {
                    for (int j = 0; j < L; j++) {
                        out[outOff + g * d + i + 2 * j] += scratch[g * d + i + j];
                        out[outOff + g * d + i + 2 * j + 1] += scratch[g * d + i + L + j];
                    }
                }
            }
        }
    }

    /** Like {@link #accumulateQuad} for 16-bit rows, into {@code split} laid out as {@link #deinterleave} does. */
    private static void accumulateQuad16(int kind, Object values, long row0, int rows, int d, int bound, float[] probs,
                                         int p, int stride, float[] split, int o) {
        for (int i = 0; i < bound; i += 2 * L) {
            FloatVector lo0 = FloatVector.zero(F);
            FloatVector lo1 = FloatVector.zero(F);
            FloatVector lo2 = FloatVector.zero(F);
            FloatVector lo3 = FloatVector.zero(F);
            FloatVector hi0 = FloatVector.zero(F);
            FloatVector hi1 = FloatVector.zero(F);
            FloatVector hi2 = FloatVector.zero(F);
            FloatVector hi3 = FloatVector.zero(F);
            for (int r = 0; r < rows; r++) {
                IntVector w = words(values, row0 + (long) r * d + i);
                FloatVector lo = even(kind, w);
                FloatVector hi = odd(kind, w);
                FloatVector w0 = FloatVector.broadcast(F, probs[p + r]);
                FloatVector w1 = FloatVector.broadcast(F, probs[p + stride + r]);
                FloatVector w2 = FloatVector.broadcast(F, probs[p + 2 * stride + r]);
                FloatVector w3 = FloatVector.broadcast(F, probs[p + 3 * stride + r]);
                lo0 = lo.fma(w0, lo0);
                hi0 = hi.fma(w0, hi0);
                lo1 = lo.fma(w1, lo1);
                hi1 = hi.fma(w1, hi1);
                lo2 = lo.fma(w2, lo2);
                hi2 = hi.fma(w2, hi2);
                lo3 = lo.fma(w3, lo3);
                hi3 = hi.fma(w3, hi3);
            }
            addInto(split, o + i, lo0, hi0);
            addInto(split, o + d + i, lo1, hi1);
            addInto(split, o + 2 * d + i, lo2, hi2);
            addInto(split, o + 3 * d + i, lo3, hi3);
        }
    }

    private static void accumulateOne16(int kind, Object values, long row0, int rows, int d, int bound, float[] probs,
                                        int p, float[] split, int o) {
        for (int i = 0; i < bound; i += 2 * L) {
            FloatVector lo = FloatVector.zero(F);
            FloatVector hi = FloatVector.zero(F);
            for (int r = 0; r < rows; r++) {
                IntVector w = words(values, row0 + (long) r * d + i);
                FloatVector weight = FloatVector.broadcast(F, probs[p + r]);
                lo = even(kind, w).fma(weight, lo);
                hi = odd(kind, w).fma(weight, hi);
            }
            addInto(split, o + i, lo, hi);
        }
    }

    private static void accumulateQuad(Object values, long row0, int rows, int d, float[] probs, int p,
                                       int stride, float[] out, int o) {
        int bound = d - d % L;
        int i = 0;
        // no branch on p == 0 (empty slots): they hold finite stale values, so 0 * v adds nothing,
        // and a vector carried through a conditional defeats C2's box elimination
        for (; i + L < bound; i += 2 * L) {
            FloatVector lo0 = FloatVector.zero(F);
            FloatVector lo1 = FloatVector.zero(F);
            FloatVector lo2 = FloatVector.zero(F);
            FloatVector lo3 = FloatVector.zero(F);
            FloatVector hi0 = FloatVector.zero(F);
            FloatVector hi1 = FloatVector.zero(F);
            FloatVector hi2 = FloatVector.zero(F);
            FloatVector hi3 = FloatVector.zero(F);
            for (int r = 0; r < rows; r++) {
                long v = row0 + (long) r * d + i;
                FloatVector lo = floats(values, v);
                FloatVector hi = floats(values, v + L);
                FloatVector w0 = FloatVector.broadcast(F, probs[p + r]);
                FloatVector w1 = FloatVector.broadcast(F, probs[p + stride + r]);
                FloatVector w2 = FloatVector.broadcast(F, probs[p + 2 * stride + r]);
                FloatVector w3 = FloatVector.broadcast(F, probs[p + 3 * stride + r]);
                lo0 = lo.fma(w0, lo0);
                hi0 = hi.fma(w0, hi0);
                lo1 = lo.fma(w1, lo1);
                hi1 = hi.fma(w1, hi1);
                lo2 = lo.fma(w2, lo2);
                hi2 = hi.fma(w2, hi2);
                lo3 = lo.fma(w3, lo3);
                hi3 = hi.fma(w3, hi3);
            }
            addInto(out, o + i, lo0, hi0);
            addInto(out, o + d + i, lo1, hi1);
            addInto(out, o + 2 * d + i, lo2, hi2);
            addInto(out, o + 3 * d + i, lo3, hi3);
        }
        for (; i < bound; i += L) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F);
            FloatVector a3 = FloatVector.zero(F);
            for (int r = 0; r < rows; r++) {
                FloatVector v = floats(values, row0 + (long) r * d + i);
                a0 = v.fma(FloatVector.broadcast(F, probs[p + r]), a0);
                a1 = v.fma(FloatVector.broadcast(F, probs[p + stride + r]), a1);
                a2 = v.fma(FloatVector.broadcast(F, probs[p + 2 * stride + r]), a2);
                a3 = v.fma(FloatVector.broadcast(F, probs[p + 3 * stride + r]), a3);
            }
            FloatVector.fromArray(F, out, o + i).add(a0).intoArray(out, o + i);
            FloatVector.fromArray(F, out, o + d + i).add(a1).intoArray(out, o + d + i);
            FloatVector.fromArray(F, out, o + 2 * d + i).add(a2).intoArray(out, o + 2 * d + i);
            FloatVector.fromArray(F, out, o + 3 * d + i).add(a3).intoArray(out, o + 3 * d + i);
        }
    }

    private static void accumulateOne(Object values, long row0, int rows, int d, float[] probs, int p,
                                      float[] out, int o) {
        int bound = d - d % L;
        int i = 0;
        for (; i + L < bound; i += 2 * L) {
            FloatVector lo0 = FloatVector.zero(F);
            FloatVector lo1 = FloatVector.zero(F);
            FloatVector hi0 = FloatVector.zero(F);
            FloatVector hi1 = FloatVector.zero(F);
            int r = 0;
            // even and odd rows in separate chains, added in a fixed order at the end
            for (; r + 1 < rows; r += 2) {
                long v = row0 + (long) r * d + i;
                FloatVector w0 = FloatVector.broadcast(F, probs[p + r]);
                FloatVector w1 = FloatVector.broadcast(F, probs[p + r + 1]);
                lo0 = floats(values, v).fma(w0, lo0);
                hi0 = floats(values, v + L).fma(w0, hi0);
                lo1 = floats(values, v + d).fma(w1, lo1);
                hi1 = floats(values, v + d + L).fma(w1, hi1);
            }
            if (r < rows) {
                long v = row0 + (long) r * d + i;
                FloatVector w0 = FloatVector.broadcast(F, probs[p + r]);
                lo0 = floats(values, v).fma(w0, lo0);
                hi0 = floats(values, v + L).fma(w0, hi0);
            }
            addInto(out, o + i, lo0.add(lo1), hi0.add(hi1));
        }
        for (; i < bound; i += L) {
            FloatVector a = FloatVector.zero(F);
            for (int r = 0; r < rows; r++) {
                a = floats(values, row0 + (long) r * d + i).fma(FloatVector.broadcast(F, probs[p + r]), a);
            }
            FloatVector.fromArray(F, out, o + i).add(a).intoArray(out, o + i);
        }
    }

    private static void addInto(float[] out, int at, FloatVector lo, FloatVector hi) {
        FloatVector.fromArray(F, out, at).add(lo).intoArray(out, at);
        FloatVector.fromArray(F, out, at + L).add(hi).intoArray(out, at + L);
    }
}
