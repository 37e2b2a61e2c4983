package io.scopekv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The 16-bit formats over all 65,536 bit patterns: widening (scalar, and the vector kernel's
 * in-register widening read back through a dot product with unit queries) is exact for every
 * finite value; narrowing round-trips every finite value and rounds to nearest, ties to even.
 */
class HalfFloatsTest {

    /** binary16 decoded from its definition, independently of the code under test. */
    private static float f16Reference(int h) {
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        double magnitude = exponent == 0 ? Math.scalb((double) mantissa, -24)
                : exponent == 31 ? (mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN)
                : Math.scalb((double) (1024 + mantissa), exponent - 25);
        return (float) ((h & 0x8000) != 0 ? -magnitude : magnitude);
    }

    private static boolean f16Finite(int h) {
        return ((h >>> 10) & 0x1f) != 31;
    }

    @Test
    void f16WidensExactlyAndRoundTripsEveryFinitePattern() {
        int finite = 0;
        for (int h = 0; h < 65536; h++) {
            float expected = f16Reference(h);
            float widened = HalfFloats.fromF16((short) h);
            if (Float.isNaN(expected)) {
                assertThat(widened).isNaN();
                continue;
            }
            assertThat(Float.floatToRawIntBits(widened)).as("pattern %04x", h).isEqualTo(Float.floatToRawIntBits(expected));
            if (f16Finite(h)) {
                assertThat(HalfFloats.toF16(expected) & 0xffff).as("round trip %04x", h).isEqualTo(h);
                finite++;
            }
        }
        assertThat(finite).isEqualTo(65536 - 2048);
    }

    @Test
    void f16RoundsToNearestEven() {
        for (int h = 0; h < 0x7bff; h++) {
            float a = f16Reference(h);
            float b = f16Reference(h + 1);
            float mid = (a + b) / 2;
            int even = (h & 1) == 0 ? h : h + 1;
            assertThat(HalfFloats.toF16(mid) & 0xffff).as("tie above %04x", h).isEqualTo(even);
            assertThat(HalfFloats.toF16(Math.nextUp(mid)) & 0xffff).isEqualTo(h + 1);
            assertThat(HalfFloats.toF16(Math.nextDown(mid)) & 0xffff).isEqualTo(h);
            assertThat(HalfFloats.toF16(-Math.nextDown(mid)) & 0xffff).isEqualTo(h | 0x8000);
        }
        assertThat(HalfFloats.toF16(65519.996f) & 0xffff).isEqualTo(0x7bff);
        assertThat(HalfFloats.toF16(65520f) & 0xffff).isEqualTo(0x7c00);
        assertThat(HalfFloats.toF16(1e-8f) & 0xffff).isEqualTo(0);
        assertThat(HalfFloats.toF16(Float.NaN) & 0x7fff).isGreaterThan(0x7c00);
    }

    @Test
    void bf16RoundTripsAndRoundsToNearestEven() {
        for (int h = 0; h < 0x7f7f; h++) {
            float a = Float.intBitsToFloat(h << 16);
            float b = Float.intBitsToFloat((h + 1) << 16);
            assertThat(HalfFloats.toBf16(a) & 0xffff).isEqualTo(h);
            assertThat(HalfFloats.toBf16(-a) & 0xffff).isEqualTo(h | 0x8000);
            float mid = a / 2 + b / 2;
            int even = (h & 1) == 0 ? h : h + 1;
            assertThat(HalfFloats.toBf16(mid) & 0xffff).as("tie above %04x", h).isEqualTo(even);
            assertThat(HalfFloats.toBf16(Math.nextUp(mid)) & 0xffff).isEqualTo(h + 1);
            assertThat(HalfFloats.toBf16(Math.nextDown(mid)) & 0xffff).isEqualTo(h);
        }
        assertThat(Float.isInfinite(HalfFloats.fromBf16(HalfFloats.toBf16(Float.MAX_VALUE)))).isTrue();
        assertThat(HalfFloats.fromBf16(HalfFloats.toBf16(StorageType.BF16.maxFinite()))).isEqualTo(StorageType.BF16.maxFinite());
    }

    @Test
    void vectorKernelWidensEveryFiniteF16AndBf16PatternExactly() {
        for (StorageType type : new StorageType[] {StorageType.F16, StorageType.BF16}) {
            List<Float> values = new ArrayList<>();
            for (int h = 0; h < 65536; h++) {
                float v = type == StorageType.F16 ? f16Reference(h) : Float.intBitsToFloat(h << 16);
                if (Float.isFinite(v)) {
                    values.add(v);
                }
            }
            // 32 dimensions: two vector widths on AVX-512, so the paired 16-bit loads are used
            int d = 32;
            int rows = (values.size() + d - 1) / d;
            float[] probe = new float[d * d];
            for (int g = 0; g < d; g++) {
                probe[g * d + g] = 1f;
            }
            try (LayerStore store = new LayerStore(1, d, rows, type, false)) {
                float[] row = new float[d];
                for (int r = 0; r < rows; r++) {
                    for (int i = 0; i < d; i++) {
                        int at = r * d + i;
                        row[i] = at < values.size() ? values.get(at) : 0f;
                    }
                    store.put(0, row, 0, row, 0, r);
                }
                float[] scores = new float[d * rows];
                AttentionKernel.best().scores(store, store.segments().get(0), 0, 0, rows, probe, 0, d, scores, 0, rows, new float[d * d]);
                for (int at = 0; at < values.size(); at++) {
                    float got = scores[(at % d) * rows + at / d];
                    // a dot product with a unit vector is exact, but adds +0 to a -0 element
                    assertThat(got == values.get(at)).as("%s value %s read back as %s", type, values.get(at), got).isTrue();
                }
            }
        }
    }
}
