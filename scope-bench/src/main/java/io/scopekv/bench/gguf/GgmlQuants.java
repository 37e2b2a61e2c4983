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
 *   <li>Q4_K, 256 elements in 144 bytes: {@code d}, {@code dmin}, 12 bytes of eight 6-bit
 *       (scale, min) pairs, 128 bytes of nibbles. Each 64-element group g uses bytes
 *       {@code [32g, 32g + 32)}: low nibbles for its first 32 elements (sub-block 2g), high nibbles
 *       for the next 32 (sub-block 2g + 1); {@code x = d * scale * nibble - dmin * min}.</li>
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
            case Q4_K -> q4K(in, dst, offset, count);
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
