package io.scopekv.bench.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Random-access reads of a float32 {@code .npy} file, so large traces are read a slice at a time
 * instead of loaded whole.
 */
public final class NpyReader implements AutoCloseable {
    private static final int HEADER_PROBE = 1 << 16;

    private final Path path;
    private final FileChannel channel;
    private final NpyHeader header;
    private ByteBuffer scratch = ByteBuffer.allocate(0);

    private NpyReader(Path path, FileChannel channel, NpyHeader header) {
        this.path = path;
        this.channel = channel;
        this.header = header;
    }

    /**
     * Opens a file and validates its header and length.
     *
     * @throws IOException if the file is missing, not float32 little-endian C order, or truncated
     */
    public static NpyReader open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            ByteBuffer prefix = ByteBuffer.allocate((int) Math.min(HEADER_PROBE, channel.size()));
            while (prefix.hasRemaining() && channel.read(prefix, prefix.position()) > 0) {
                // positional reads may return short counts; keep reading until the probe is full
            }
            prefix.flip();
            NpyHeader header = NpyHeader.parse(prefix, path.toString());
            long expected = header.dataOffset() + header.elements() * Float.BYTES;
            if (channel.size() < expected) {
                throw new IOException(path + ": shape " + Arrays.toString(header.shape()) + " needs " + expected
                        + " bytes but the file has " + channel.size() + " (truncated)");
            }
            return new NpyReader(path, channel, header);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public NpyHeader header() {
        return header;
    }

    /** The array's shape. */
    public long[] shape() {
        return header.shape();
    }

    /**
     * Reads {@code n} consecutive elements starting at flat (C-order) element index {@code first}.
     */
    public void read(long first, float[] dst, int offset, int n) throws IOException {
        if (first < 0 || n < 0 || first + n > header.elements()) {
            throw new IndexOutOfBoundsException("elements [" + first + ", " + (first + n) + ") outside "
                    + path + " of " + header.elements() + " elements");
        }
        int bytes = n * Float.BYTES;
        if (scratch.capacity() < bytes) {
            scratch = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }
        scratch.clear().limit(bytes);
        long position = header.dataOffset() + first * Float.BYTES;
        while (scratch.hasRemaining()) {
            int read = channel.read(scratch, position + scratch.position());
            if (read < 0) {
                throw new IOException(path + ": unexpected end of file at byte " + (position + scratch.position()));
            }
        }
        scratch.flip();
        scratch.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(dst, offset, n);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
