package io.scopekv.bench.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scopekv.bench.gguf.GgmlQuants;
import io.scopekv.bench.gguf.GgmlType;
import io.scopekv.bench.gguf.Halfs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The block kernels against the dequantizer: every row's dot product with a vector, computed on the
 * encoded blocks (plain Java and Vector API kernels), equals the float64 dot product of the
 * dequantized row within float32 rounding of a 512-term sum: {@code 2e-6 * sum_i |w_i x_i|}.
 */
class WeightMatrixTest {

    private static final int ROWS = 37;
    private static final int COLS = 512;

    /** Random but valid blocks: every scale is a finite, moderate binary16. */
    static ByteBuffer randomMatrix(GgmlType type, int rows, int cols, long seed) {
        Random r = new Random(seed);
        int n = rows * cols;
        ByteBuffer b = ByteBuffer.allocate((int) type.bytesFor(n)).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case F32 -> {
                for (int i = 0; i < n; i++) {
                    b.putFloat((float) r.nextGaussian());
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    b.putShort(Halfs.floatToHalf((float) r.nextGaussian()));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    b.putShort((short) (Float.floatToIntBits((float) r.nextGaussian()) >>> 16));
                }
            }
            default -> {
                r.nextBytes(b.array());
                int blocks = n / type.blockSize();
                for (int k = 0; k < blocks; k++) {
                    int p = k * type.blockBytes();
                    switch (type) {
                        case Q8_0, Q4_0 -> b.putShort(p, Halfs.floatToHalf(0.01f + r.nextFloat() * 0.05f));
                        case Q4_K -> {
                            b.putShort(p, Halfs.floatToHalf(0.001f + r.nextFloat() * 0.01f));
                            b.putShort(p + 2, Halfs.floatToHalf(0.001f + r.nextFloat() * 0.01f));
                        }
                        case Q6_K -> b.putShort(p + 208, Halfs.floatToHalf(0.001f + r.nextFloat() * 0.01f));
                        case Q5_0 -> b.putShort(p, Halfs.floatToHalf(0.01f + r.nextFloat() * 0.05f));
                        case Q4_1, Q5_1, Q5_K -> {
                            b.putShort(p, Halfs.floatToHalf(0.001f + r.nextFloat() * 0.01f));
                            b.putShort(p + 2, Halfs.floatToHalf(0.001f + r.nextFloat() * 0.01f));
                        }
                        case Q2_K -> {
                            b.putShort(p + 80, Halfs.floatToHalf(0.001f + r.nextFloat() * 0.01f));
                            b.putShort(p + 82, Halfs.floatToHalf(0.001f + r.nextFloat() * 0.01f));
                        }
                        case Q3_K -> b.putShort(p + 108, Halfs.floatToHalf(0.001f + r.nextFloat() * 0.01f));
                        default -> throw new IllegalArgumentException("no random blocks for " + type);
                    }
                }
            }
        }
        return b.rewind();
    }

    @ParameterizedTest
    @EnumSource(GgmlType.class)
    void blockDotProductsMatchTheDequantizedRows(GgmlType type) {
        ByteBuffer bytes = randomMatrix(type, ROWS, COLS, type.ordinal());
        WeightMatrix m = WeightMatrix.of("w", type, ROWS, COLS, bytes);
        float[] dense = new float[ROWS * COLS];
        GgmlQuants.dequantize(type, bytes.duplicate(), dense, 0, dense.length);
        float[] x = new float[COLS + 3];
        Random r = new Random(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (RowKernel kernel : List.of(RowKernel.scalar(), RowKernel.create())) {
            float[] out = new float[ROWS + 2];
            // an interior range of rows, an offset input and an offset output
            m.dotRows(1, ROWS, x, 3, out, 2, new WeightMatrix.Scratch(kernel));
            for (int row = 1; row < ROWS; row++) {
                double exact = 0;
                double magnitude = 0;
                for (int i = 0; i < COLS; i++) {
                    exact += (double) dense[row * COLS + i] * x[3 + i];
                    magnitude += Math.abs((double) dense[row * COLS + i] * x[3 + i]);
                }
                assertThat((double) out[row + 1]).as("%s %s row %d", type, kernel.getClass().getSimpleName(), row)
                        .isCloseTo(exact, org.assertj.core.data.Offset.offset(2e-6 * magnitude));
            }
            float[] row = new float[COLS];
            m.row(5, row, 0);
            assertThat(row).containsExactly(java.util.Arrays.copyOfRange(dense, 5 * COLS, 6 * COLS));
        }
    }

    /**
     * A one-hot {@code x} picks out a single weight, so a kernel that reads any element from the
     * wrong position, nibble, bit pair or scale of its block (the unpacking of Q6_K's split low and
     * high bits, Q4_K's packed 6-bit scales) fails at that element. The product of one weight with
     * 1 is that weight up to one rounding of its scale arithmetic.
     */
    @ParameterizedTest
    @EnumSource(GgmlType.class)
    void everyElementOfABlockIsReadFromItsOwnPosition(GgmlType type) {
        int cols = 2 * Math.max(32, type.blockSize());
        ByteBuffer bytes = randomMatrix(type, 1, cols, 11 + type.ordinal());
        WeightMatrix m = WeightMatrix.of("w", type, 1, cols, bytes);
        float[] dense = new float[cols];
        GgmlQuants.dequantize(type, bytes.duplicate(), dense, 0, cols);
        for (RowKernel kernel : List.of(RowKernel.scalar(), RowKernel.create())) {
            WeightMatrix.Scratch scratch = new WeightMatrix.Scratch(kernel);
            float[] x = new float[cols];
            float[] out = new float[1];
            for (int i = 0; i < cols; i++) {
                java.util.Arrays.fill(x, 0f);
                x[i] = 1f;
                m.dotRows(0, 1, x, 0, out, 0, scratch);
                assertThat(out[0]).as("%s %s element %d", type, kernel.getClass().getSimpleName(), i)
                        .isCloseTo(dense[i], org.assertj.core.data.Offset.offset(1e-6f * Math.abs(dense[i]) + 1e-9f));
            }
        }
    }

    /**
     * Prefill's weight tiles go through the kernels' block decoders: their values are the
     * dequantizer's bit for bit (signed zeros included, which Q3_K's negative scales produce), over
     * rows wide enough that a range of rows spans several copy chunks.
     */
    @ParameterizedTest
    @EnumSource(GgmlType.class)
    void tileDecodingGivesTheDequantizersValuesBitForBit(GgmlType type) {
        int cols = 8192;
        ByteBuffer bytes = randomMatrix(type, ROWS, cols, 21 + type.ordinal());
        WeightMatrix m = WeightMatrix.of("w", type, ROWS, cols, bytes);
        float[] dense = new float[ROWS * cols];
        GgmlQuants.dequantize(type, bytes.duplicate(), dense, 0, dense.length);
        int[] expected = new int[(ROWS - 3) * cols];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = Float.floatToRawIntBits(dense[2 * cols + i]);
        }
        for (RowKernel kernel : List.of(RowKernel.scalar(), RowKernel.create())) {
            float[] tile = new float[5 + expected.length];
            m.decodeRows(2, ROWS - 1, tile, 5, new WeightMatrix.Scratch(kernel));
            int[] actual = new int[expected.length];
            for (int i = 0; i < actual.length; i++) {
                actual[i] = Float.floatToRawIntBits(tile[5 + i]);
            }
            // isEqualTo compares the arrays element for element in one pass; containsExactly took seconds
            // on these 278,528 elements per kernel
            assertThat(actual).as("%s %s", type, kernel.getClass().getSimpleName()).isEqualTo(expected);
        }
    }

    @Test
    void blockDecodersRejectTypesWithoutBlocks() {
        for (RowKernel kernel : List.of(RowKernel.scalar(), RowKernel.create())) {
            assertThatThrownBy(() -> kernel.decode(GgmlType.F16, new byte[64], 0, new float[32], 0, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("F16");
        }
    }

    @Test
    void halfKernelDecodesEveryBitPattern() {
        RowKernel vector = RowKernel.create();
        short[] halves = new short[16];
        float[] x = new float[16];
        for (int bits = 0; bits < 65536; bits++) {
            // the pattern in one lane (which lane varies), +0 and weight 0 in the others
            int lane = bits % 16;
            java.util.Arrays.fill(halves, (short) 0);
            java.util.Arrays.fill(x, 0f);
            halves[lane] = (short) bits;
            x[lane] = 1f;
            float expected = Halfs.halfToFloat(bits);
            float actual = vector.f16(halves, 0, x, 0, 16);
            if (Float.isNaN(expected)) {
                assertThat(actual).as("half 0x%04x", bits).isNaN();
            } else {
                // -0 + 0 is +0: a sum cannot show the sign of zero
                assertThat(actual).as("half 0x%04x", bits).isEqualTo(expected == 0 ? 0f : expected);
            }
        }
    }

    @Test
    void rowSplitsDoNotChangeResults() {
        GgmlType type = GgmlType.Q4_K;
        WeightMatrix m = WeightMatrix.of("w", type, ROWS, COLS, randomMatrix(type, ROWS, COLS, 9));
        float[] x = new float[COLS];
        Random r = new Random(4);
        for (int i = 0; i < COLS; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] whole = new float[ROWS];
        WeightMatrix.Scratch s = new WeightMatrix.Scratch(RowKernel.create());
        m.dotRows(0, ROWS, x, 0, whole, 0, s);
        float[] split = new float[ROWS];
        try (Workers workers = new Workers(3)) {
            for (int repeat = 0; repeat < 50; repeat++) {
                workers.run(ROWS, 3, (part, from, to) ->
                        m.dotRows(from, to, x, 0, split, from, new WeightMatrix.Scratch(RowKernel.create())));
                assertThat(split).containsExactly(whole);
            }
        }
    }

    @Test
    void rejectsBadShapes() {
        assertThatThrownBy(() -> WeightMatrix.of("w", GgmlType.Q4_K, 2, 100, ByteBuffer.allocate(0)))
                .hasMessageContaining("w").hasMessageContaining("100").hasMessageContaining("Q4_K");
        assertThatThrownBy(() -> WeightMatrix.of("w", GgmlType.Q8_0, 2, 64, ByteBuffer.allocate(100)))
                .hasMessageContaining("needs 136 bytes, got 100");
        WeightMatrix m = WeightMatrix.of("w", GgmlType.F32, 2, 4, ByteBuffer.allocate(32));
        assertThatThrownBy(() -> m.row(2, new float[4], 0)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("matrix w");
    }
}
