package io.scopekv.bench.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Streams a float32 C-order {@code .npy} file whose shape is known up front; elements are appended
 * in C order and {@link #close()} checks that exactly the declared number arrived.
 */
public final class NpyWriter implements AutoCloseable {
    private final Path path;
    private final long[] shape;
    private final long expected;
    private final OutputStream out;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private long written;
    private boolean closed;

    public NpyWriter(Path path, long... shape) throws IOException {
        this.path = path;
        this.shape = shape.clone();
        this.expected = new NpyHeader(shape, 10).elements();
        this.out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
        out.write(NpyHeader.encode(shape));
    }

    /** Appends {@code n} elements of {@code src} from {@code offset}. */
    public void write(float[] src, int offset, int n) throws IOException {
        if (written + n > expected) {
            throw new IllegalStateException(path + ": shape " + Arrays.toString(shape) + " holds " + expected
                    + " elements; writing " + n + " more after " + written + " overflows it");
        }
        for (int i = 0; i < n; i++) {
            if (!buffer.hasRemaining()) {
                flushBuffer();
            }
            buffer.putFloat(src[offset + i]);
        }
        written += n;
    }

    /** Appends all of {@code src}. */
    public void write(float[] src) throws IOException {
        write(src, 0, src.length);
    }

    private void flushBuffer() throws IOException {
        out.write(buffer.array(), 0, buffer.position());
        buffer.clear();
    }

    /**
     * Flushes and closes the file.
     *
     * @throws IllegalStateException if fewer elements were written than the shape declares
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        flushBuffer();
        out.close();
        if (written != expected) {
            throw new IllegalStateException(path + ": shape " + Arrays.toString(shape) + " needs " + expected
                    + " elements but only " + written + " were written");
        }
    }

    /** Writes a whole array in one call. */
    public static void write(Path path, float[] data, long... shape) throws IOException {
        try (NpyWriter writer = new NpyWriter(path, shape)) {
            writer.write(data);
        }
    }
}
