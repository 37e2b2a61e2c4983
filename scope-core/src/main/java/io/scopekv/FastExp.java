package io.scopekv;

/**
 * The float exponential both attention kernels use for softmax, in scalar form (the vector
 * kernel runs the same operations lane-wise, so the two agree bit for bit).
 *
 * <p>{@code exp(x) = 2^n * e^r} with {@code n = round(x / ln 2)} and {@code |r| <= ln 2 / 2}
 * (two-step Cody-Waite reduction), {@code e^r = 1 + r + r^2 P(r)} with the degree-5 minimax
 * polynomial P of Cephes' expf. Error bound over the range softmax uses, {@code [-87, 0]}:
 * relative error below 1e-7 (measured against {@link Math#exp} at every one of the 1.1 billion
 * floats of the range: at most 8.4e-8, about 1.4 ulp; {@code FastExpTest} keeps checking a sample
 * against the bound). Below -87 the
 * result is flushed to 0 (absolute error under 1.7e-38, irrelevant next to the row's maximum
 * term, which is 1). No branch on the value, so the lane-wise form needs no masked tail.
 */
final class FastExp {
    /** Below this the result is flushed to zero (2^n would leave float32's normal range). */
    static final float LOWEST = -87f;
    static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split so that {@code n * LN2_HI} is exact for the n this range needs. */
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding it rounds to an integer (ties to even) and leaves n in the low bits. */
    static final float ROUNDER = 12582912f;
    static final int ROUNDER_BITS = 0x4b400000;
    static final float P0 = 1.9875691500e-4f;
    static final float P1 = 1.3981999507e-3f;
    static final float P2 = 8.3334519073e-3f;
    static final float P3 = 4.1665795894e-2f;
    static final float P4 = 1.6666665459e-1f;
    static final float P5 = 5.0000001201e-1f;

    private FastExp() {
    }

    /** e^x for x <= 0 (the softmax range); 0 below {@link #LOWEST}, and for -infinity. */
    static float exp(float x) {
        float clamped = Math.max(x, LOWEST);
        float shifted = clamped * LOG2E + ROUNDER;
        float n = shifted - ROUNDER;
        float r = Math.fma(n, -LN2_HI, clamped);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(P0, r, P1);
        p = Math.fma(p, r, P2);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P4);
        p = Math.fma(p, r, P5);
        float r2 = r * r;
        float er = Math.fma(p, r2, r) + 1f;
        float scale = Float.intBitsToFloat((Float.floatToRawIntBits(shifted) - ROUNDER_BITS + 127) << 23);
        float e = er * scale;
        return x < LOWEST ? 0f : e;
    }
}
