package io.scopekv.bench.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufRoundTripTest {

    @TempDir
    Path dir;

    @Test
    void metadataOfEveryTypeRoundTrips() throws IOException {
        GgufWriter w = new GgufWriter()
                .put("u8", GgufValue.of(GgufValueType.UINT8, 250))
                .put("i8", GgufValue.of(GgufValueType.INT8, -100))
                .put("u16", GgufValue.of(GgufValueType.UINT16, 65000))
                .put("i16", GgufValue.of(GgufValueType.INT16, -30000))
                .put("u32", GgufValue.uint32(4_000_000_000L))
                .put("i32", GgufValue.of(GgufValueType.INT32, -7))
                .put("f32", GgufValue.float32(1.5f))
                .put("bool", GgufValue.of(GgufValueType.BOOL, true))
                .put("str", GgufValue.string("héllo ▁world"))
                .put("u64", GgufValue.of(GgufValueType.UINT64, -1L))
                .put("i64", GgufValue.of(GgufValueType.INT64, Long.MIN_VALUE))
                .put("f64", GgufValue.of(GgufValueType.FLOAT64, Math.PI))
                .put("arr.str", GgufValue.array(GgufValueType.STRING, new String[] {"a", "", "<0x0A>"}))
                .put("arr.f32", GgufValue.array(GgufValueType.FLOAT32, new float[] {-1f, 0.25f}))
                .put("arr.i32", GgufValue.array(GgufValueType.INT32, new int[] {1, -2, 3}))
                .put("arr.u8", GgufValue.array(GgufValueType.UINT8, new int[] {0, 255}))
                .put("arr.u32", GgufValue.array(GgufValueType.UINT32, new long[] {0, 4_294_967_295L}))
                .put("arr.bool", GgufValue.array(GgufValueType.BOOL, new boolean[] {true, false}))
                .put("arr.f64", GgufValue.array(GgufValueType.FLOAT64, new double[] {1e300}))
                .put("arr.nested", GgufValue.array(GgufValueType.ARRAY, new GgufValue[] {
                        GgufValue.array(GgufValueType.INT16, new int[] {-5}),
                        GgufValue.array(GgufValueType.STRING, new String[] {"x"})}));
        Path file = dir.resolve("meta.gguf");
        w.write(file);
        try (GgufFile g = GgufFile.open(file)) {
            assertThat(g.version()).isEqualTo(3);
            assertThat(g.alignment()).isEqualTo(32);
            assertThat(g.metadata()).hasSize(20);
            assertThat(g.value("u8")).isEqualTo(GgufValue.of(GgufValueType.UINT8, 250));
            assertThat(g.getInt("i8")).isEqualTo(-100);
            assertThat(g.getInt("u16")).isEqualTo(65000);
            assertThat(g.getInt("i16")).isEqualTo(-30000);
            assertThat(g.value("u32").value()).isEqualTo(4_000_000_000L);
            assertThat(g.getInt("i32")).isEqualTo(-7);
            assertThat(g.getFloat("f32")).isEqualTo(1.5f);
            assertThat(g.value("bool").value()).isEqualTo(true);
            assertThat(g.getString("str")).isEqualTo("héllo ▁world");
            assertThat(g.value("u64").value()).isEqualTo(-1L);
            assertThat(g.value("i64").value()).isEqualTo(Long.MIN_VALUE);
            assertThat(g.getFloat("f64")).isEqualTo((float) Math.PI);
            assertThat(g.getStringArray("arr.str")).containsExactly("a", "", "<0x0A>");
            assertThat(g.getFloatArray("arr.f32")).containsExactly(-1f, 0.25f);
            assertThat(g.getIntArray("arr.i32")).containsExactly(1, -2, 3);
            assertThat(g.getIntArray("arr.u8")).containsExactly(0, 255);
            assertThat((long[]) g.value("arr.u32").value()).containsExactly(0, 4_294_967_295L);
            assertThat((boolean[]) g.value("arr.bool").value()).containsExactly(true, false);
            assertThat((double[]) g.value("arr.f64").value()).containsExactly(1e300);
            assertThat(g.value("arr.nested")).isEqualTo(GgufValue.array(GgufValueType.ARRAY, new GgufValue[] {
                    GgufValue.array(GgufValueType.INT16, new int[] {-5}),
                    GgufValue.array(GgufValueType.STRING, new String[] {"x"})}));
            assertThatThrownBy(() -> g.getString("i32")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("i32").hasMessageContaining("STRING");
            assertThatThrownBy(() -> g.value("absent")).hasMessageContaining("absent");
        }
    }

    @Test
    void tensorsRoundTripWithCustomAlignment() throws IOException {
        Random random = new Random(7);
        float[] a = new float[3 * 64];
        float[] b = new float[2 * 32];
        float[] c = new float[5];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < c.length; i++) {
            c[i] = i * 0.1f;
        }
        byte[] q4 = new byte[18];
        q4[0] = 0x00;
        q4[1] = 0x3C; // d = 1 (little-endian 0x3C00)
        for (int j = 2; j < 18; j++) {
            q4[j] = (byte) 0x98; // low nibble 8 -> 0, high nibble 9 -> 1
        }
        Path file = dir.resolve("tensors.gguf");
        new GgufWriter()
                .put("general.alignment", GgufValue.uint32(64))
                .tensor("q8", GgmlType.Q8_0, new long[] {64, 3}, a)
                .tensor("f16", GgmlType.F16, new long[] {32, 2}, b)
                .tensor("f32", GgmlType.F32, new long[] {5}, c)
                .rawTensor("q4", GgmlType.Q4_0, new long[] {32}, q4)
                .write(file);
        try (GgufFile g = GgufFile.open(file)) {
            assertThat(g.alignment()).isEqualTo(64);
            assertThat(g.dataStart() % 64).isZero();
            assertThat(g.tensors().keySet()).containsExactly("q8", "f16", "f32", "q4");
            assertThat(g.tensor("q8").dims()).containsExactly(64, 3);
            assertThat(g.tensor("q8").type()).isEqualTo(GgmlType.Q8_0);
            for (GgufTensorInfo t : g.tensors().values()) {
                assertThat(t.offset() % 64).as(t.name()).isZero();
            }
            assertThat(g.dequantize("f32")).containsExactly(c);
            float[] f16 = g.dequantize("f16");
            for (int i = 0; i < b.length; i++) {
                assertThat(f16[i]).isCloseTo(b[i], within(Math.abs(b[i]) * 0x1p-11f + 1e-7f));
            }
            float[] q8 = g.dequantize("q8");
            for (int block = 0; block < a.length / 32; block++) {
                float amax = 0;
                for (int j = 0; j < 32; j++) {
                    amax = Math.max(amax, Math.abs(a[block * 32 + j]));
                }
                for (int j = 0; j < 32; j++) {
                    int i = block * 32 + j;
                    assertThat(q8[i]).as("element %d", i).isCloseTo(a[i], within(amax / 127f * 0.51f + amax * 1e-3f));
                }
            }
            float[] q4back = g.dequantize("q4");
            assertThat(q4back[0]).isEqualTo(0f);
            assertThat(q4back[16]).isEqualTo(1f);
        }
    }

    @Test
    void rejectsNonGgufAndUnsupportedTensorTypes() throws IOException {
        Path text = dir.resolve("not.gguf");
        Files.writeString(text, "hello world, not a model");
        assertThatThrownBy(() -> GgufFile.open(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a GGUF file");
        assertThatThrownBy(() -> GgufFile.open(dir.resolve("missing.gguf")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not found");

        ByteBuffer h = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        byte[] name = "w".getBytes(StandardCharsets.UTF_8);
        h.putInt(0x46554747).putInt(3).putLong(1).putLong(0);
        h.putLong(name.length).put(name).putInt(1).putLong(256).putInt(16 /* IQ2_XXS */).putLong(0);
        Path iq2 = dir.resolve("iq2xxs.gguf");
        Files.write(iq2, java.util.Arrays.copyOf(h.array(), h.position()));
        assertThatThrownBy(() -> GgufFile.open(iq2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tensor w").hasMessageContaining("IQ2_XXS").hasMessageContaining("supported types: F32");

        h.clear();
        h.putInt(0x46554747).putInt(1).putInt(0).putInt(0);
        Path v1 = dir.resolve("v1.gguf");
        Files.write(v1, java.util.Arrays.copyOf(h.array(), h.position()));
        assertThatThrownBy(() -> GgufFile.open(v1)).hasMessageContaining("version 1");
    }

    @Test
    void readsVersion2AndBf16() throws IOException {
        byte[] bf16 = {(byte) 0x80, 0x3F, (byte) 0xA0, (byte) 0xC0}; // 1.0, -5.0 little-endian
        Path file = dir.resolve("v3.gguf");
        new GgufWriter().put("k", GgufValue.string("v")).rawTensor("b", GgmlType.BF16, new long[] {2}, bf16).write(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[4] = 2; // version 2 differs from 3 only in that it is always little-endian
        Path v2 = dir.resolve("v2.gguf");
        Files.write(v2, bytes);
        try (GgufFile g = GgufFile.open(v2)) {
            assertThat(g.version()).isEqualTo(2);
            assertThat(g.getString("k")).isEqualTo("v");
            assertThat(g.dequantize("b")).containsExactly(1.0f, -5.0f);
        }
    }

    @Test
    void truncatedDataIsReported() throws IOException {
        Path file = dir.resolve("full.gguf");
        new GgufWriter().tensor("t", GgmlType.F32, new long[] {64}, new float[64]).write(file);
        byte[] bytes = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.gguf");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        assertThatThrownBy(() -> GgufFile.open(cut)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("runs past the end");
    }

    @Test
    void streamedTensorsAreWrittenAsTheyAreProduced() throws IOException {
        byte[] encoded = new byte[2 * 144];
        new Random(2).nextBytes(encoded);
        Path file = dir.resolve("streamed.gguf");
        new GgufWriter()
                .put("general.architecture", GgufValue.string("llama"))
                .streamedTensor("a", GgmlType.Q4_K, new long[] {256, 2}, out -> out.write(encoded))
                .tensor("b", GgmlType.F32, new long[] {2}, new float[] {1f, 2f})
                .write(file);
        try (GgufFile g = GgufFile.open(file)) {
            ByteBuffer a = g.rawData(g.tensor("a"));
            byte[] back = new byte[a.remaining()];
            a.get(back);
            assertThat(back).isEqualTo(encoded);
            assertThat(g.dequantize("b")).containsExactly(1f, 2f);
        }
        GgufWriter shortOne = new GgufWriter().streamedTensor("a", GgmlType.Q4_K, new long[] {256, 2}, out -> out.write(1));
        assertThatThrownBy(() -> shortOne.write(dir.resolve("short.gguf"))).hasMessageContaining("streamed tensor a")
                .hasMessageContaining("wrote 1 bytes, needs 288");
    }
}
