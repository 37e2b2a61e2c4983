package io.scopekv;

/**
 * How key and value elements are stored in the cache's off-heap arrays. Keys and values are
 * always handed in and read out as float32; a 16-bit type rounds them once, at store time (round
 * to nearest, ties to even), and attention widens them back on the fly. A 16-bit type halves the
 * resident memory and the bytes each decode step streams.
 */
public enum StorageType {
    /** IEEE-754 binary32, four bytes per element: stores exactly what it is given. */
    FLOAT32(4, Float.MAX_VALUE),
    /**
     * bfloat16, two bytes per element: float32's sign and exponent with a 7-bit mantissa
     * (relative rounding error at most 2^-8). Same range as float32.
     */
    BF16(2, 3.3895314e38f),
    /**
     * IEEE-754 binary16, two bytes per element: 10-bit mantissa (relative rounding error at most
     * 2^-11) but a range of +-65,504; storing a larger magnitude is refused.
     */
    F16(2, 65504f);

    private final int bytes;
    private final float maxFinite;

    StorageType(int bytes, float maxFinite) {
        this.bytes = bytes;
        this.maxFinite = maxFinite;
    }

    /** Bytes per stored element. */
    public int bytes() {
        return bytes;
    }

    /**
     * The largest magnitude this type stores as a finite value; a float32 that rounds to a larger
     * one is refused when stored.
     */
    public float maxFinite() {
        return maxFinite;
    }
}
