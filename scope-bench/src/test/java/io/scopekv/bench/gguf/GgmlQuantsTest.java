package io.scopekv.bench.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class GgmlQuantsTest {

    private static float[] decode(GgmlType type, ByteBuffer block, int count) {
        float[] out = new float[count];
        block.flip();
        GgmlQuants.dequantize(type, block, out, 0, count);
        assertThat(block.remaining()).as("whole block consumed").isZero();
        return out;
    }

    private static ByteBuffer buffer(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void halfConversionKnownValues() {
        assertThat(Halfs.halfToFloat(0x3C00)).isEqualTo(1.0f);
        assertThat(Halfs.halfToFloat(0xC000)).isEqualTo(-2.0f);
        assertThat(Halfs.halfToFloat(0x7BFF)).isEqualTo(65504f);
        assertThat(Halfs.halfToFloat(0x0001)).isEqualTo(0x1p-24f);
        assertThat(Halfs.halfToFloat(0x3555)).isEqualTo(0.333251953125f);
        assertThat(Halfs.floatToHalf(1.0f)).isEqualTo((short) 0x3C00);
        assertThat(Halfs.floatToHalf(1e6f)).isEqualTo((short) 0x7C00);
        // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: ties go to the even mantissa (1.0)
        assertThat(Halfs.floatToHalf(1f + 0x1p-11f)).isEqualTo((short) 0x3C00);
        assertThat(Halfs.floatToHalf(1f + 3 * 0x1p-11f)).isEqualTo((short) 0x3C02);
        assertThat(Halfs.bf16ToFloat(0x3F80)).isEqualTo(1.0f);
        assertThat(Halfs.bf16ToFloat(0xC0A0)).isEqualTo(-5.0f);
    }

    @Test
    void everyFiniteHalfRoundTrips() {
        for (int h = 0; h < 0x10000; h++) {
            if ((h & 0x7C00) == 0x7C00) {
                continue;
            }
            assertThat(Halfs.floatToHalf(Halfs.halfToFloat(h)) & 0xFFFF).as("half 0x%04x", h).isEqualTo(h);
        }
    }

    @Test
    void q8_0HandBlock() {
        ByteBuffer b = buffer(34);
        b.putShort((short) 0x3800); // d = 0.5
        for (int j = 0; j < 32; j++) {
            b.put((byte) (j - 16));
        }
        float[] x = decode(GgmlType.Q8_0, b, 32);
        assertThat(x[0]).isEqualTo(-8f);
        assertThat(x[16]).isEqualTo(0f);
        assertThat(x[31]).isEqualTo(7.5f);
    }

    @Test
    void q4_0HandBlock() {
        ByteBuffer b = buffer(18);
        b.putShort((short) 0x4000); // d = 2
        for (int j = 0; j < 16; j++) {
            b.put((byte) (j | (15 - j) << 4));
        }
        float[] x = decode(GgmlType.Q4_0, b, 32);
        assertThat(x[0]).isEqualTo(-16f);   // low nibble 0 of byte 0
        assertThat(x[9]).isEqualTo(2f);     // low nibble 9 of byte 9
        assertThat(x[16]).isEqualTo(14f);   // high nibble 15 of byte 0
        assertThat(x[31]).isEqualTo(-16f);  // high nibble 0 of byte 15
    }

    @Test
    void q4KHandBlock() {
        ByteBuffer b = buffer(144);
        b.putShort((short) 0x3C00); // d = 1
        b.putShort((short) 0x3800); // dmin = 0.5
        // sub-block scales 1,2,3,4,37,6,7,8 and mins 0,1,2,3,19,1,2,0; the 6-bit values of
        // sub-blocks 4..7 borrow their top two bits from bytes 0..7
        b.put(new byte[] {(byte) 0x81, 0x02, 0x03, 0x04, 0x40, 0x01, 0x02, 0x03, 0x35, 0x16, 0x27, 0x08});
        for (int i = 0; i < 128; i++) {
            b.put((byte) ((i % 16) | (15 - i % 16) << 4));
        }
        float[] x = decode(GgmlType.Q4_K, b, 256);
        assertThat(x[0]).isEqualTo(0f);          // 1*0 - 0.5*0
        assertThat(x[5]).isEqualTo(5f);          // 1*5 - 0.5*0
        assertThat(x[37]).isEqualTo(19.5f);      // 2*10 - 0.5*1
        assertThat(x[67]).isEqualTo(8f);         // 3*3 - 0.5*2
        assertThat(x[99]).isEqualTo(46.5f);      // 4*12 - 0.5*3
        assertThat(x[135]).isEqualTo(249.5f);    // 37*7 - 0.5*19
        assertThat(x[167]).isEqualTo(47.5f);     // 6*8 - 0.5*1
        assertThat(x[193]).isEqualTo(6f);        // 7*1 - 0.5*2
        assertThat(x[225]).isEqualTo(112f);      // 8*14 - 0.5*0
    }

    @Test
    void q6KHandBlock() {
        ByteBuffer b = buffer(210);
        for (int i = 0; i < 128; i++) {
            b.put((byte) i); // ql
        }
        for (int i = 0; i < 64; i++) {
            b.put((byte) 0xE4); // qh: high bits 0, 1, 2, 3 for the four quarter-rows
        }
        for (int i = 0; i < 16; i++) {
            b.put((byte) (i == 3 ? -2 : i + 1));
        }
        b.putShort((short) 0x3C00); // d = 1
        float[] x = decode(GgmlType.Q6_K, b, 256);
        assertThat(x[20]).isEqualTo(-56f);   // (4 | 0<<4) - 32 = -28, scale 2
        assertThat(x[52]).isEqualTo(24f);    // (4 | 1<<4) - 32 = -12, scale -2
        assertThat(x[84]).isEqualTo(6f);     // (1 | 2<<4) - 32 = 1, scale 6
        assertThat(x[116]).isEqualTo(152f);  // (3 | 3<<4) - 32 = 19, scale 8
        assertThat(x[148]).isEqualTo(-280f); // (4 | 0<<4) - 32 = -28, scale 10
        assertThat(x[224]).isEqualTo(330f);  // (6 | 3<<4) - 32 = 22, scale 15
    }

    @Test
    void q4_1HandBlock() {
        ByteBuffer b = buffer(20);
        b.putShort((short) 0x4000); // d = 2
        b.putShort((short) 0xBC00); // m = -1
        for (int j = 0; j < 16; j++) {
            b.put((byte) (j | (15 - j) << 4));
        }
        float[] x = decode(GgmlType.Q4_1, b, 32);
        assertThat(x[0]).isEqualTo(-1f);   // 2*0 - 1
        assertThat(x[9]).isEqualTo(17f);   // 2*9 - 1
        assertThat(x[16]).isEqualTo(29f);  // 2*15 - 1, high nibble of byte 0
        assertThat(x[31]).isEqualTo(-1f);  // high nibble 0 of byte 15
    }

    /** Fifth bits set for elements 0, 17 and 31 only. */
    private static final int QH_0_17_31 = 1 | 1 << 17 | 1 << 31;

    @Test
    void q5_0HandBlock() {
        ByteBuffer b = buffer(22);
        b.putShort((short) 0x3800); // d = 0.5
        b.putInt(QH_0_17_31);
        for (int j = 0; j < 16; j++) {
            b.put((byte) (j | (15 - j) << 4));
        }
        float[] x = decode(GgmlType.Q5_0, b, 32);
        assertThat(x[0]).isEqualTo(0f);     // 0.5 * ((0 | 16) - 16)
        assertThat(x[1]).isEqualTo(-7.5f);  // 0.5 * (1 - 16)
        assertThat(x[16]).isEqualTo(-0.5f); // 0.5 * (15 - 16), high nibble of byte 0
        assertThat(x[17]).isEqualTo(7f);    // 0.5 * ((14 | 16) - 16): bit 17 is element 17's
        assertThat(x[31]).isEqualTo(0f);    // 0.5 * ((0 | 16) - 16)
        assertThat(x[30]).isEqualTo(-7.5f); // 0.5 * (1 - 16)
    }

    @Test
    void q5_1HandBlock() {
        ByteBuffer b = buffer(24);
        b.putShort((short) 0x3C00); // d = 1
        b.putShort((short) 0x3800); // m = 0.5
        b.putInt(QH_0_17_31);
        for (int j = 0; j < 16; j++) {
            b.put((byte) (j | (15 - j) << 4));
        }
        float[] x = decode(GgmlType.Q5_1, b, 32);
        assertThat(x[0]).isEqualTo(16.5f);  // (0 | 16) + 0.5
        assertThat(x[1]).isEqualTo(1.5f);
        assertThat(x[16]).isEqualTo(15.5f);
        assertThat(x[17]).isEqualTo(30.5f); // (14 | 16) + 0.5
        assertThat(x[31]).isEqualTo(16.5f);
    }

    @Test
    void q2KHandBlock() {
        ByteBuffer b = buffer(84);
        for (int i = 0; i < 16; i++) {
            b.put((byte) ((i % 15 + 1) | (i / 4) << 4)); // scale i % 15 + 1, min i / 4
        }
        for (int i = 0; i < 64; i++) {
            b.put((byte) i);
        }
        b.putShort((short) 0x3C00); // d = 1
        b.putShort((short) 0x3800); // dmin = 0.5
        float[] x = decode(GgmlType.Q2_K, b, 256);
        // element 128h + 32k + 16s + l: bits 2k..2k+1 of quant byte 32h + 16s + l, scale 8h + 2k + s
        assertThat(x[37]).isEqualTo(3f);     // byte 5 = 0b101, pair 1 -> 1; scale 2: 3*1 - 0
        assertThat(x[90]).isEqualTo(5.5f);   // byte 26 = 0b11010, pair 2 -> 1; scale 5: 6*1 - 0.5*1
        assertThat(x[150]).isEqualTo(19f);   // byte 54 = 0b110110, pair 0 -> 2; scale 9: 10*2 - 0.5*2
        assertThat(x[200]).isEqualTo(24.5f); // byte 40 = 0b101000, pair 2 -> 2; scale 12: 13*2 - 0.5*3
        assertThat(x[255]).isEqualTo(-1.5f); // byte 63, pair 3 -> 0; scale 15: 1*0 - 0.5*3
    }

    @Test
    void q3KHandBlock() {
        ByteBuffer b = buffer(110);
        for (int l = 0; l < 32; l++) {
            b.put((byte) (l < 16 ? 0x0F : 0xF0)); // hmask: bits 0-3 set for l < 16, bits 4-7 for l >= 16
        }
        for (int i = 0; i < 64; i++) {
            b.put((byte) i);
        }
        // 6-bit scales 24 + j (j = 0..15), so scale - 32 = j - 8: low nibbles 8..15 then 0..7 in
        // bytes 0-7 (low, then high nibbles); high bits 1 for j < 8 and 2 for j >= 8 in bytes 8-11
        for (int k = 0; k < 8; k++) {
            b.put((byte) ((8 + k) | k << 4));
        }
        for (int k = 0; k < 4; k++) {
            b.put((byte) 0xA5); // bit pairs 1, 1, 2, 2
        }
        b.putShort((short) 0x3800); // d = 0.5
        float[] x = decode(GgmlType.Q3_K, b, 256);
        // element 128h + 32k + 16s + l: bits 2k..2k+1 of byte 32h + 16s + l, hmask bit 4h + k of
        // byte 16s + l (clear: subtract 4), scale 8h + 2k + s
        assertThat(x[37]).isEqualTo(-3f);  // q 1, bit set; scale 2: 0.5*(-6) * 1
        assertThat(x[90]).isEqualTo(4.5f); // q 1, bit clear: -3; scale 5: 0.5*(-3) * -3
        assertThat(x[120]).isEqualTo(2f);  // q 0, bit clear: -4; scale 7: 0.5*(-1) * -4
        assertThat(x[150]).isEqualTo(1f);  // q 2, bit set; scale 9: 0.5*1 * 2
        assertThat(x[200]).isEqualTo(-4f); // q 2, bit clear: -2; scale 12: 0.5*4 * -2
    }

    @Test
    void q5KHandBlock() {
        ByteBuffer b = buffer(176);
        b.putShort((short) 0x3C00); // d = 1
        b.putShort((short) 0x3800); // dmin = 0.5
        // the Q4_K test's scales 1,2,3,4,37,6,7,8 and mins 0,1,2,3,19,1,2,0
        b.put(new byte[] {(byte) 0x81, 0x02, 0x03, 0x04, 0x40, 0x01, 0x02, 0x03, 0x35, 0x16, 0x27, 0x08});
        for (int l = 0; l < 32; l++) {
            b.put((byte) (l < 16 ? 0x55 : 0xAA)); // fifth bit: even sub-blocks for l < 16, odd ones for l >= 16
        }
        for (int i = 0; i < 128; i++) {
            b.put((byte) ((i % 16) | (15 - i % 16) << 4));
        }
        float[] x = decode(GgmlType.Q5_K, b, 256);
        assertThat(x[0]).isEqualTo(16f);     // (0 | 16), scale 1, min 0
        assertThat(x[5]).isEqualTo(21f);     // (5 | 16)
        assertThat(x[37]).isEqualTo(19.5f);  // 10 without the bit: 2*10 - 0.5*1
        assertThat(x[53]).isEqualTo(51.5f);  // (10 | 16): 2*26 - 0.5*1
        assertThat(x[67]).isEqualTo(56f);    // (3 | 16): 3*19 - 0.5*2
        assertThat(x[84]).isEqualTo(11f);    // 4: 3*4 - 0.5*2
        assertThat(x[135]).isEqualTo(841.5f); // (7 | 16): 37*23 - 0.5*19
        assertThat(x[225]).isEqualTo(112f);  // 14: 8*14 - 0
        assertThat(x[241]).isEqualTo(240f);  // (14 | 16): 8*30 - 0
    }

    @Test
    void blockGeometryMatchesTheGgmlLayouts() {
        assertThat(GgmlType.Q4_1.bytesFor(64)).isEqualTo(40);
        assertThat(GgmlType.Q5_0.bytesFor(64)).isEqualTo(44);
        assertThat(GgmlType.Q5_1.bytesFor(64)).isEqualTo(48);
        assertThat(GgmlType.Q2_K.bytesFor(512)).isEqualTo(168);
        assertThat(GgmlType.Q3_K.bytesFor(512)).isEqualTo(220);
        assertThat(GgmlType.Q5_K.bytesFor(512)).isEqualTo(352);
        assertThat(GgmlType.fromId(3)).isEqualTo(GgmlType.Q4_1);
        assertThat(GgmlType.fromId(6)).isEqualTo(GgmlType.Q5_0);
        assertThat(GgmlType.fromId(7)).isEqualTo(GgmlType.Q5_1);
        assertThat(GgmlType.fromId(10)).isEqualTo(GgmlType.Q2_K);
        assertThat(GgmlType.fromId(11)).isEqualTo(GgmlType.Q3_K);
        assertThat(GgmlType.fromId(13)).isEqualTo(GgmlType.Q5_K);
    }

    @Test
    void q8_0QuantizeIsWithinHalfAStep() {
        float[] values = new float[64];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.sin(i * 0.7) * (i < 32 ? 3f : 0.01f);
        }
        ByteBuffer b = buffer(68);
        GgmlQuants.quantize(GgmlType.Q8_0, values, b);
        float[] back = decode(GgmlType.Q8_0, b, 64);
        for (int i = 0; i < values.length; i++) {
            float step = (i < 32 ? 3f : 0.01f) / 127f;
            assertThat(back[i]).as("element %d", i).isCloseTo(values[i], within(step * 0.51f + 1e-6f));
        }
    }

    @Test
    void unsupportedTypeNamesItselfAndTheSupportedOnes() {
        assertThatThrownBy(() -> GgmlType.fromId(20))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IQ4_NL")
                .hasMessageContaining("F32, F16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, BF16");
        assertThatThrownBy(() -> GgmlQuants.quantize(GgmlType.Q4_K, new float[256], buffer(144)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Q4_K");
    }
}
