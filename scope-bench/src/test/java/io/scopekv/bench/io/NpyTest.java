package io.scopekv.bench.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path dir;

    @Test
    void roundTripKeepsShapeAndValues() throws IOException {
        float[] data = new float[2 * 3 * 4];
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 0.5f - 3;
        }
        Path file = dir.resolve("a.npy");
        NpyWriter.write(file, data, 2, 3, 4);
        try (NpyReader reader = NpyReader.open(file)) {
            assertThat(reader.shape()).containsExactly(2, 3, 4);
            assertThat(reader.header().dataOffset() % 64).isZero();
            float[] all = new float[data.length];
            reader.read(0, all, 0, all.length);
            assertThat(all).containsExactly(data);
            float[] slice = new float[4];
            reader.read(12, slice, 0, 4);
            assertThat(slice).containsExactly(data[12], data[13], data[14], data[15]);
        }
    }

    @Test
    void headerIsNumpyCompatible() throws IOException {
        Path file = dir.resolve("b.npy");
        NpyWriter.write(file, new float[] {1, 2, 3}, 3);
        byte[] bytes = Files.readAllBytes(file);
        int headerLength = ByteBuffer.wrap(bytes, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
        String header = new String(bytes, 10, headerLength, StandardCharsets.ISO_8859_1);
        assertThat(header).startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }").endsWith("\n");
        assertThat(bytes[6]).isEqualTo((byte) 1);
        assertThat(ByteBuffer.wrap(bytes, 10 + headerLength, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat()).isEqualTo(1f);
    }

    @Test
    void writerRejectsTooFewOrTooManyElements() throws IOException {
        Path file = dir.resolve("c.npy");
        NpyWriter writer = new NpyWriter(file, 2, 2);
        writer.write(new float[] {1, 2, 3});
        assertThatThrownBy(() -> writer.write(new float[] {4, 5})).hasMessageContaining("overflows");
        assertThatThrownBy(writer::close).hasMessageContaining("only 3 were written");
    }

    @Test
    void rejectsOtherDtypes() throws IOException {
        Path file = dir.resolve("d.npy");
        writeRaw(file, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", 16);
        assertThatThrownBy(() -> NpyReader.open(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("little-endian float32").hasMessageContaining("'<f8'");
        Path big = dir.resolve("e.npy");
        writeRaw(big, "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", 8);
        assertThatThrownBy(() -> NpyReader.open(big)).hasMessageContaining("'>f4'");
    }

    @Test
    void rejectsFortranOrderTruncationAndBadMagic() throws IOException {
        Path fortran = dir.resolve("f.npy");
        writeRaw(fortran, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", 16);
        assertThatThrownBy(() -> NpyReader.open(fortran)).hasMessageContaining("C order");
        Path truncated = dir.resolve("g.npy");
        writeRaw(truncated, "{'descr': '<f4', 'fortran_order': False, 'shape': (4, 4), }", 20);
        assertThatThrownBy(() -> NpyReader.open(truncated)).hasMessageContaining("truncated");
        Path text = dir.resolve("h.npy");
        Files.writeString(text, "not a numpy file at all");
        assertThatThrownBy(() -> NpyReader.open(text)).hasMessageContaining("magic");
    }

    private static void writeRaw(Path file, String dict, int dataBytes) throws IOException {
        String header = dict + " ".repeat(64 - (10 + dict.length() + 1) % 64) + "\n";
        ByteBuffer out = ByteBuffer.allocate(10 + header.length() + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.putShort((short) header.length());
        out.put(header.getBytes(StandardCharsets.ISO_8859_1));
        Files.write(file, out.array());
    }
}
