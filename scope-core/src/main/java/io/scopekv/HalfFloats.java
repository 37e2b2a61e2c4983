package io.scopekv;

/**
 * Scalar conversions between float32 and the two 16-bit storage formats (bfloat16 and IEEE
 * binary16), bit-exact and independent of the JDK version (Java 17 has no
 * {@code Float.floatToFloat16}). Narrowing rounds to nearest, ties to even; widening is exact.
 */
final class HalfFloats {
    private HalfFloats() {
    }

    /** The bfloat16 nearest to {@code f} (ties to even); NaN stays NaN. */
    static short toBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounded = bits + 0x7fff + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }

    /** Widens a bfloat16 exactly: its bits are the high half of the float32. */
    static float fromBf16(short h) {
        return Float.intBitsToFloat(h << 16);
    }

    /** The binary16 nearest to {@code f} (ties to even); overflow gives infinity, NaN stays NaN. */
    static short toF16(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7fffffff;
        if (abs >= 0x7f800000) {
            return (short) (sign | 0x7c00 | (abs > 0x7f800000 ? 0x200 : 0));
        }
        if (abs >= 0x477ff000) {
            // at or above 65520 = halfway between 65504 and 2^16: rounds to infinity
            return (short) (sign | 0x7c00);
        }
        if (abs >= 0x38800000) {
            // normal half: rebias the exponent (127 -> 15) and round the mantissa to 10 bits
            int rebased = abs - 0x38000000;
            int rounded = rebased + 0xfff + ((rebased >>> 13) & 1);
            return (short) (sign | (rounded >>> 13));
        }
        if (abs < 0x33000000) {
            // below half the smallest subnormal (2^-25): rounds to zero (2^-25 itself ties to 0)
            return (short) sign;
        }
        // subnormal half: value / 2^-24 rounded to an integer, ties to even
        int exponent = abs >>> 23;
        int mantissa = (abs & 0x7fffff) | 0x800000;
        int shift = 126 - exponent;
        int half = 1 << (shift - 1);
        int quotient = mantissa >>> shift;
        int remainder = mantissa & ((1 << shift) - 1);
        if (remainder > half || (remainder == half && (quotient & 1) == 1)) {
            quotient++;
        }
        return (short) (sign | quotient);
    }

    /** Widens a binary16 exactly (subnormals, infinities and NaN included). */
    static float fromF16(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int abs = bits & 0x7fff;
        if (abs >= 0x7c00) {
            return Float.intBitsToFloat(sign | 0x7f800000 | ((abs & 0x3ff) << 13));
        }
        // the 15 value bits shifted into float32 position read as a float 2^112 times too small;
        // the product is exact because it only changes the exponent (subnormal halves included)
        return Float.intBitsToFloat(sign | Float.floatToRawIntBits(Float.intBitsToFloat(abs << 13) * 0x1p112f));
    }
}
