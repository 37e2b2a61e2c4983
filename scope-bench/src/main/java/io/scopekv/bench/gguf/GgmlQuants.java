package io.scopekv.bench.gguf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Conversion between ggml tensor encodings and float32.
 *
 * <p>Block layouts (all little-endian, {@code d} and {@code dmin} are binary16):
 * <ul>
 *   <li>Q8_0, 32 elements in 34 bytes: {@code d}, then 32 int8 {@code q}; {@code x = d * q}.</li>
 *   <li>Q4_0, 32 elements in 18 bytes: {@code d}, then 16 bytes; byte j holds element j in its low
 *       nibble and element j + 16 in its high nibble; {@code x = d * (nibble - 8)}.</li>
 *   <li>Q4_1, 32 elements in 20 bytes: {@code d}, {@code m}, then 16 bytes of nibbles laid out as
 *       in Q4_0; {@code x = d * nibble + m}.</li>
 *   <li>Q5_0, 32 elements in 22 bytes: {@code d}, a 32-bit word {@code qh} whose bit j is the fifth
 *       bit of element j, then 16 bytes of nibbles laid out as in Q4_0;
 *       {@code x = d * ((nibble | bit << 4) - 16)}.</li>
 *   <li>Q5_1, 32 elements in 24 bytes: {@code d}, {@code m}, {@code qh}, 16 bytes of nibbles;
 *       {@code x = d * (nibble | bit << 4) + m}.</li>
 *   <li>Q2_K, 256 elements in 84 bytes: 16 bytes of 4-bit (scale, min) pairs (scale in the low
 *       nibble), 64 bytes of 2-bit quants, {@code d}, {@code dmin}. Each 128-element half h uses
 *       quant bytes {@code [32h, 32h + 32)}; bit pair k of byte l is element {@code 128h + 32k + l},
 *       whose scale is pair {@code 8h + 2k + l / 16}; {@code x = d * scale * q - dmin * min}.</li>
 *   <li>Q3_K, 256 elements in 110 bytes: 32 bytes {@code hmask}, 64 bytes of 2-bit quants laid out
 *       as in Q2_K, 12 bytes of sixteen 6-bit scales, {@code d}. Element {@code 128h + 32k + l}
 *       takes its third bit from bit {@code 4h + k} of {@code hmask[l]}; a clear bit subtracts 4:
 *       {@code x = d * (scale - 32) * (q - (bit ? 0 : 4))}.</li>
 *   <li>Q4_K, 256 elements in 144 bytes: {@code d}, {@code dmin}, 12 bytes of eight 6-bit
 *       (scale, min) pairs, 128 bytes of nibbles. Each 64-element group g uses bytes
 *       {@code [32g, 32g + 32)}: low nibbles for its first 32 elements (sub-block 2g), high nibbles
 *       for the next 32 (sub-block 2g + 1); {@code x = d * scale * nibble - dmin * min}.</li>
 *   <li>Q5_K, 256 elements in 176 bytes: {@code d}, {@code dmin}, 12 bytes of scales and mins as
 *       in Q4_K, 32 bytes {@code qh}, 128 bytes of nibbles laid out as in Q4_K. Element
 *       {@code 32s + l} (sub-block s) takes its fifth bit from bit s of {@code qh[l]};
 *       {@code x = d * scale * (nibble | bit << 4) - dmin * min}.</li>
 *   <li>Q6_K, 256 elements in 210 bytes: 128 bytes {@code ql} (low 4 bits), 64 bytes {@code qh}
 *       (high 2 bits), 16 int8 scales, then {@code d}; {@code x = d * scale * (q6 - 32)}, one scale
 *       per 16 elements.</li>
 * </ul>
 */
public final class GgmlQuants {

    private GgmlQuants() {
    }

    /**
     * Decodes {@code count} elements of {@code type} from {@code src} (read from its position, which
     * advances) into {@code dst[offset, offset + count)}.
     */
    public static void dequantize(GgmlType type, ByteBuffer src, float[] dst, int offset, int count) {
        ByteBuffer in = src.order(ByteOrder.LITTLE_ENDIAN);
        if (count % type.blockSize() != 0) {
            throw new IllegalArgumentException(type + " element count " + count + " is not a multiple of the block size "
                    + type.blockSize());
        }
        switch (type) {
            case F32 -> in.asFloatBuffer().get(dst, offset, count);
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = Halfs.halfToFloat(in.getShort(in.position() + 2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = Halfs.bf16ToFloat(in.getShort(in.position() + 2 * i));
                }
            }
            case Q8_0 -> q8_0(in, dst, offset, count);
            case Q4_0 -> q4_0(in, dst, offset, count);
            case Q4_1 -> q4_1(in, dst, offset, count);
            case Q5_0 -> q5(in, dst, offset, count, false);
            case Q5_1 -> q5(in, dst, offset, count, true);
            case Q2_K -> q2K(in, dst, offset, count);
            case Q3_K -> q3K(in, dst, offset, count);
            case Q4_K -> q4K(in, dst, offset, count);
            case Q5_K -> q5K(in, dst, offset, count);
            case Q6_K -> q6K(in, dst, offset, count);
        }
        if (type.blockSize() == 1) {
            in.position(in.position() + count * type.blockBytes());
        }
    }

    private static void q8_0(ByteBuffer in, float[] dst, int offset, int count) {
        for (int block = 0; block < count / 32; block++) {
            float d = Halfs.halfToFloat(in.getShort());
            int base = offset + block * 32;
            for (int j = 0; j < 32; j++) {
                dst[base + j] = d * in.get();
            }
        }
    }

    private static void q4_0(ByteBuffer in, float[] dst, int offset, int count) {
        for (int block = 0; block < count / 32; block++) {
            float d = Halfs.halfToFloat(in.getShort());
            int base = offset + block * 32;
            for (int j = 0; j < 16; j++) {
                int b = in.get() & 0xFF;
                dst[base + j] = d * ((b & 0x0F) - 8);
                dst[base + j + 16] = d * ((b >>> 4) - 8);
            }
        }
    }

    private static void q4_1(ByteBuffer in, float[] dst, int offset, int count) {
        for (int block = 0; block < count / 32; block++) {
            float d = Halfs.halfToFloat(in.getShort());
            float m = Halfs.halfToFloat(in.getShort());
            int base = offset + block * 32;
            for (int j = 0; j < 16; j++) {
                int b = in.get() & 0xFF;
                dst[base + j] = d * (b & 0x0F) + m;
                dst[base + j + 16] = d * (b >>> 4) + m;
            }
        }
    }

    /** Q5_0 (symmetric, centred on 16) or Q5_1 (with a min {@code m}, not centred). */
    private static void q5(ByteBuffer in, float[] dst, int offset, int count, boolean withMin) {
        for (int block = 0; block < count / 32; block++) {
            float d = Halfs.halfToFloat(in.getShort());
            float m = withMin ? Halfs.halfToFloat(in.getShort()) : 0f;
            int qh = in.getInt();
            int base = offset + block * 32;
            for (int j = 0; j < 16; j++) {
                int b = in.get() & 0xFF;
                int low = (b & 0x0F) | ((qh >>> j) & 1) << 4;
                int high = (b >>> 4) | ((qh >>> (j + 16)) & 1) << 4;
                if (withMin) {
                    dst[base + j] = d * low + m;
                    dst[base + j + 16] = d * high + m;
                } else {
                    dst[base + j] = d * (low - 16);
                    dst[base + j + 16] = d * (high - 16);
                }
            }
        }
    }

    private static void q2K(ByteBuffer in, float[] dst, int offset, int count) {
        byte[] scales = new byte[16];
        byte[] qs = new byte[64];
        for (int block = 0; block < count / 256; block++) {
            in.get(scales);
            in.get(qs);
            float d = Halfs.halfToFloat(in.getShort());
            float dmin = Halfs.halfToFloat(in.getShort());
            int base = offset + block * 256;
            for (int half = 0; half < 2; half++) {
                for (int pair = 0; pair < 4; pair++) {
                    for (int sub = 0; sub < 2; sub++) {
                        int sc = scales[8 * half + 2 * pair + sub] & 0xFF;
                        float scale = d * (sc & 0x0F);
                        float min = dmin * (sc >>> 4);
                        int out = base + 128 * half + 32 * pair + 16 * sub;
                        for (int l = 0; l < 16; l++) {
                            int q = ((qs[32 * half + 16 * sub + l] & 0xFF) >>> (2 * pair)) & 3;
                            dst[out + l] = scale * q - min;
                        }
                    }
                }
            }
        }
    }

    private static void q3K(ByteBuffer in, float[] dst, int offset, int count) {
        byte[] hmask = new byte[32];
        byte[] qs = new byte[64];
        byte[] scales = new byte[12];
        for (int block = 0; block < count / 256; block++) {
            in.get(hmask);
            in.get(qs);
            in.get(scales);
            float d = Halfs.halfToFloat(in.getShort());
            int base = offset + block * 256;
            for (int half = 0; half < 2; half++) {
                for (int pair = 0; pair < 4; pair++) {
                    int maskBit = 4 * half + pair;
                    for (int sub = 0; sub < 2; sub++) {
                        float scale = d * (scaleK3(scales, 8 * half + 2 * pair + sub) - 32);
                        int out = base + 128 * half + 32 * pair + 16 * sub;
                        for (int l = 0; l < 16; l++) {
                            int i = 16 * sub + l;
                            int q = ((qs[32 * half + i] & 0xFF) >>> (2 * pair)) & 3;
                            int high = ((hmask[i] & 0xFF) >>> maskBit) & 1;
                            dst[out + l] = scale * (q - (high == 0 ? 4 : 0));
                        }
                    }
                }
            }
        }
    }

    /**
     * The 6-bit scale of sub-block j (0-15) of a Q3_K block: its low 4 bits are the low nibble of
     * byte j (j &lt; 8) or the high nibble of byte j - 8; its high 2 bits are bit pair j / 4 of
     * byte 8 + j % 4.
     */
    static int scaleK3(byte[] s, int j) {
        int low = j < 8 ? s[j] & 0x0F : (s[j - 8] & 0xFF) >>> 4;
        int high = ((s[8 + j % 4] & 0xFF) >>> (2 * (j / 4))) & 3;
        return low | high << 4;
    }

    private static void q4K(ByteBuffer in, float[] dst, int offset, int count) {
        byte[] scales = new byte[12];
        byte[] qs = new byte[128];
        for (int block = 0; block < count / 256; block++) {
            float d = Halfs.halfToFloat(in.getShort());
            float dmin = Halfs.halfToFloat(in.getShort());
            in.get(scales);
            in.get(qs);
            int base = offset + block * 256;
            for (int group = 0; group < 4; group++) {
                float scaleLow = d * scaleK4(scales, 2 * group);
                float minLow = dmin * minK4(scales, 2 * group);
                float scaleHigh = d * scaleK4(scales, 2 * group + 1);
                float minHigh = dmin * minK4(scales, 2 * group + 1);
                for (int l = 0; l < 32; l++) {
                    int b = qs[32 * group + l] & 0xFF;
                    dst[base + 64 * group + l] = scaleLow * (b & 0x0F) - minLow;
                    dst[base + 64 * group + 32 + l] = scaleHigh * (b >>> 4) - minHigh;
                }
            }
        }
    }

    /**
     * The 6-bit scale of sub-block j of a Q4_K block: sub-blocks 0-3 use the low 6 bits of bytes
     * 0-3; sub-blocks 4-7 combine the low nibble of byte j + 4 with the top 2 bits of byte j - 4.
     */
    static int scaleK4(byte[] s, int j) {
        return j < 4 ? s[j] & 63 : (s[j + 4] & 0x0F) | (((s[j - 4] & 0xFF) >>> 6) << 4);
    }

    /** The 6-bit min of sub-block j: bytes 4-7 low 6 bits, or the high nibble of byte j + 4 with the top bits of byte j. */
    static int minK4(byte[] s, int j) {
        return j < 4 ? s[j + 4] & 63 : ((s[j + 4] & 0xFF) >>> 4) | (((s[j] & 0xFF) >>> 6) << 4);
    }

    private static void q5K(ByteBuffer in, float[] dst, int offset, int count) {
        byte[] scales = new byte[12];
        byte[] qh = new byte[32];
        byte[] qs = new byte[128];
        for (int block = 0; block < count / 256; block++) {
            float d = Halfs.halfToFloat(in.getShort());
            float dmin = Halfs.halfToFloat(in.getShort());
            in.get(scales);
            in.get(qh);
            in.get(qs);
            int base = offset + block * 256;
            for (int group = 0; group < 4; group++) {
                int low = 2 * group;
                int high = low + 1;
                float scaleLow = d * scaleK4(scales, low);
                float minLow = dmin * minK4(scales, low);
                float scaleHigh = d * scaleK4(scales, high);
                float minHigh = dmin * minK4(scales, high);
                for (int l = 0; l < 32; l++) {
                    int b = qs[32 * group + l] & 0xFF;
                    int h = qh[l] & 0xFF;
                    int qLow = (b & 0x0F) | ((h >>> low) & 1) << 4;
                    int qHigh = (b >>> 4) | ((h >>> high) & 1) << 4;
                    dst[base + 64 * group + l] = scaleLow * qLow - minLow;
                    dst[base + 64 * group + 32 + l] = scaleHigh * qHigh - minHigh;
                }
            }
        }
    }

    private static void q6K(ByteBuffer in, float[] dst, int offset, int count) {
        byte[] ql = new byte[128];
        byte[] qh = new byte[64];
        byte[] sc = new byte[16];
        for (int block = 0; block < count / 256; block++) {
            in.get(ql);
            in.get(qh);
            in.get(sc);
            float d = Halfs.halfToFloat(in.getShort());
            int base = offset + block * 256;
            // two halves of 128 elements; within a half, element l + 32k takes its low bits from
            // ql (nibble k / 2 of byte l + 32 (k % 2)) and its high bits from qh bits 2k..2k+1 of byte l
            for (int half = 0; half < 2; half++) {
                int qlBase = 64 * half;
                int qhBase = 32 * half;
                int scBase = 8 * half;
                for (int l = 0; l < 32; l++) {
                    int h = qh[qhBase + l] & 0xFF;
                    int lowA = ql[qlBase + l] & 0xFF;
                    int lowB = ql[qlBase + l + 32] & 0xFF;
                    int q1 = ((lowA & 0x0F) | ((h & 3) << 4)) - 32;
                    int q2 = ((lowB & 0x0F) | (((h >>> 2) & 3) << 4)) - 32;
                    int q3 = ((lowA >>> 4) | (((h >>> 4) & 3) << 4)) - 32;
                    int q4 = ((lowB >>> 4) | (((h >>> 6) & 3) << 4)) - 32;
                    int is = l / 16;
                    int out = base + 128 * half + l;
                    dst[out] = d * sc[scBase + is] * q1;
                    dst[out + 32] = d * sc[scBase + is + 2] * q2;
                    dst[out + 64] = d * sc[scBase + is + 4] * q3;
                    dst[out + 96] = d * sc[scBase + is + 6] * q4;
                }
            }
        }
    }

    /**
     * Encodes {@code values} as {@code type} (F32, F16 or Q8_0) into {@code out} at its position.
     * Q8_0 uses {@code d = max|x| / 127} and round-to-nearest quants, so decoding gives
     * {@code fp16(d) * q}.
     */
    public static void quantize(GgmlType type, float[] values, ByteBuffer out) {
        ByteBuffer o = out.order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case F32 -> {
                for (float v : values) {
                    o.putFloat(v);
                }
            }
            case F16 -> {
                for (float v : values) {
                    o.putShort(Halfs.floatToHalf(v));
                }
            }
            case Q8_0 -> {
                type.bytesFor(values.length);
                for (int block = 0; block < values.length / 32; block++) {
                    float amax = 0;
                    for (int j = 0; j < 32; j++) {
                        amax = Math.max(amax, Math.abs(values[block * 32 + j]));
                    }
                    float d = amax / 127f;
                    float inverse = d == 0 ? 0 : 1f / d;
                    o.putShort(Halfs.floatToHalf(d));
                    for (int j = 0; j < 32; j++) {
                        o.put((byte) Math.round(values[block * 32 + j] * inverse));
                    }
                }
            }
            default -> throw new IllegalArgumentException("writing tensor type " + type
                    + " is not supported; the writer supports F32, F16, Q8_0");
        }
    }
}
