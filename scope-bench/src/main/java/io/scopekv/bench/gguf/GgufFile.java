package io.scopekv.bench.gguf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A memory-mapped GGUF file (versions 2 and 3).
 *
 * <p>The header (metadata and tensor directory) is parsed at {@link #open}; tensor data is mapped
 * per tensor on demand, so files larger than 2 GiB work as long as each tensor is below 2 GiB.
 * Tensor data starts at the first multiple of {@code general.alignment} (default 32) after the
 * directory, and every tensor offset is a multiple of it.
 */
public final class GgufFile implements AutoCloseable {

    /** "GGUF" read as a little-endian uint32. */
    static final int MAGIC = 0x4655_4747;
    /** Alignment of tensor data when the file does not say. */
    public static final int DEFAULT_ALIGNMENT = 32;

    private final Path path;
    private final FileChannel channel;
    private final int version;
    private final Map<String, GgufValue> metadata;
    private final Map<String, GgufTensorInfo> tensors;
    private final int alignment;
    private final long dataStart;

    private GgufFile(Path path, FileChannel channel, int version, Map<String, GgufValue> metadata,
                     Map<String, GgufTensorInfo> tensors, int alignment, long dataStart) {
        this.path = path;
        this.channel = channel;
        this.version = version;
        this.metadata = metadata;
        this.tensors = tensors;
        this.alignment = alignment;
        this.dataStart = dataStart;
    }

    /**
     * Opens and parses a GGUF file.
     *
     * @throws IllegalArgumentException if the file is not GGUF v2/v3, is truncated, or holds a tensor
     *                                  of an unsupported type (the message names it)
     */
    public static GgufFile open(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("GGUF file not found: " + path);
        }
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long size = channel.size();
            ByteBuffer header = channel.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(size, Integer.MAX_VALUE))
                    .order(ByteOrder.LITTLE_ENDIAN);
            return parse(path, channel, header, size);
        } catch (BufferUnderflowException e) {
            channel.close();
            throw new IllegalArgumentException("GGUF file " + path + " is truncated inside its header", e);
        } catch (IllegalArgumentException | ArithmeticException e) {
            channel.close();
            // every message names the file, whichever reader found the fault
            String message = String.valueOf(e.getMessage());
            throw new IllegalArgumentException(message.startsWith(path.toString()) ? message : path + ": " + message, e);
        } catch (RuntimeException | IOException e) {
            channel.close();
            throw e;
        }
    }

    private static GgufFile parse(Path path, FileChannel channel, ByteBuffer in, long fileSize) {
        if (in.remaining() < 4 || in.getInt() != MAGIC) {
            throw new IllegalArgumentException(path + " is not a GGUF file (magic 'GGUF' missing)");
        }
        int version = in.getInt();
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException(path + ": GGUF version " + version + " is not supported; supported: 2, 3");
        }
        long tensorCount = in.getLong();
        long kvCount = in.getLong();
        if (tensorCount < 0 || kvCount < 0 || tensorCount > Integer.MAX_VALUE || kvCount > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(path + ": implausible tensor count " + tensorCount + " or metadata count " + kvCount);
        }
        // the smallest entries: an empty key, a type and a one-byte value; an empty name, one dimension, type, offset
        plausible(path, "metadata", kvCount, 13, in.remaining());
        Map<String, GgufValue> metadata = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = null;
            try {
                key = readString(in);
                GgufValueType type = GgufValueType.fromId(in.getInt());
                metadata.put(key, readValue(in, type));
            } catch (IllegalArgumentException | BufferUnderflowException e) {
                throw new IllegalArgumentException(path + ": metadata entry " + i + (key == null ? "" : " (" + key + ")")
                        + ": " + (e.getMessage() == null ? "the header ends inside it" : e.getMessage()), e);
            }
        }
        plausible(path, "tensor", tensorCount, 32, in.remaining());
        int alignment = DEFAULT_ALIGNMENT;
        GgufValue align = metadata.get("general.alignment");
        if (align != null) {
            long a = ((Number) align.value()).longValue();
            if (a <= 0 || a > (1 << 20) || (a & (a - 1)) != 0) {
                throw new IllegalArgumentException(path + ": general.alignment must be a power of two, was " + a);
            }
            alignment = (int) a;
        }
        Map<String, GgufTensorInfo> tensors = new LinkedHashMap<>();
        for (long i = 0; i < tensorCount; i++) {
            String name = "#" + i;
            try {
                name = readString(in);
                readTensorInfo(path, in, name, alignment, tensors);
            } catch (IllegalArgumentException | BufferUnderflowException | ArithmeticException e) {
                String message = String.valueOf(e.getMessage());
                throw new IllegalArgumentException(message.startsWith(path.toString()) ? message
                        : path + ": tensor " + (name.isEmpty() ? "#" + i + " (empty name)" : name + " (entry " + i + ")") + ": "
                        + (e.getMessage() == null ? "the header ends inside it" : message), e);
            }
        }
        long dataStart = align(in.position(), alignment);
        for (GgufTensorInfo t : tensors.values()) {
            if (t.offset() > fileSize - dataStart || t.byteSize() > fileSize - dataStart - t.offset()) {
                throw new IllegalArgumentException(path + ": tensor " + t.name() + " (" + t.byteSize()
                        + " bytes at data offset " + t.offset() + ") runs past the end of the file (" + fileSize + " bytes)");
            }
        }
        return new GgufFile(path, channel, version, Collections.unmodifiableMap(metadata),
                Collections.unmodifiableMap(tensors), alignment, dataStart);
    }

    /** Refuses an entry count that could not fit in the bytes left, before looping over it. */
    private static void plausible(Path path, String what, long count, int minimumBytes, int remaining) {
        if (count > remaining / minimumBytes) {
            throw new IllegalArgumentException(path + ": " + what + " count " + count + " cannot fit in the " + remaining
                    + " header bytes left (at least " + minimumBytes + " bytes per entry)");
        }
    }

    private static void readTensorInfo(Path path, ByteBuffer in, String name, int alignment,
                                       Map<String, GgufTensorInfo> tensors) {
        int nDims = in.getInt();
        if (nDims < 1 || nDims > 4) {
            throw new IllegalArgumentException(nDims + " dimensions; GGUF allows 1..4");
        }
        long[] dims = new long[nDims];
        for (int d = 0; d < nDims; d++) {
            dims[d] = in.getLong();
        }
        GgmlType type = GgmlType.fromId(in.getInt());
        long offset = in.getLong();
        if (offset % alignment != 0) {
            throw new IllegalArgumentException("offset " + offset + " is not a multiple of the alignment " + alignment);
        }
        GgufTensorInfo info = new GgufTensorInfo(name, dims, type, offset);
        info.byteSize(); // a size beyond a long is refused here, with the tensor named
        if (tensors.put(name, info) != null) {
            throw new IllegalArgumentException("the name appears twice");
        }
    }

    static long align(long position, int alignment) {
        return (position + alignment - 1) / alignment * alignment;
    }

    private static String readString(ByteBuffer in) {
        long length = in.getLong();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("GGUF string length " + length + " exceeds the remaining "
                    + in.remaining() + " header bytes");
        }
        byte[] bytes = new byte[(int) length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static GgufValue readValue(ByteBuffer in, GgufValueType type) {
        return switch (type) {
            case UINT8 -> GgufValue.of(type, in.get() & 0xFF);
            case INT8 -> GgufValue.of(type, (int) in.get());
            case UINT16 -> GgufValue.of(type, in.getShort() & 0xFFFF);
            case INT16 -> GgufValue.of(type, (int) in.getShort());
            case UINT32 -> GgufValue.of(type, in.getInt() & 0xFFFF_FFFFL);
            case INT32 -> GgufValue.of(type, in.getInt());
            case FLOAT32 -> GgufValue.of(type, in.getFloat());
            case BOOL -> GgufValue.of(type, readBool(in));
            case STRING -> GgufValue.of(type, readString(in));
            case UINT64, INT64 -> GgufValue.of(type, in.getLong());
            case FLOAT64 -> GgufValue.of(type, in.getDouble());
            case ARRAY -> readArray(in);
        };
    }

    private static boolean readBool(ByteBuffer in) {
        byte b = in.get();
        if (b != 0 && b != 1) {
            throw new IllegalArgumentException("GGUF bool must be 0 or 1, was " + b);
        }
        return b == 1;
    }

    private static GgufValue readArray(ByteBuffer in) {
        GgufValueType element = GgufValueType.fromId(in.getInt());
        long length = in.getLong();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("GGUF array length " + length + " exceeds the remaining header bytes");
        }
        int n = (int) length;
        Object values = switch (element) {
            case UINT8, INT8, UINT16, INT16, INT32 -> {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (Integer) readValue(in, element).value();
                }
                yield a;
            }
            case UINT32, INT64, UINT64 -> {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (Long) readValue(in, element).value();
                }
                yield a;
            }
            case FLOAT32 -> {
                float[] a = new float[n];
                in.asFloatBuffer().get(a);
                in.position(in.position() + 4 * n);
                yield a;
            }
            case FLOAT64 -> {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) {
                    a[i] = in.getDouble();
                }
                yield a;
            }
            case BOOL -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    a[i] = readBool(in);
                }
                yield a;
            }
            case STRING -> {
                String[] a = new String[n];
                for (int i = 0; i < n; i++) {
                    a[i] = readString(in);
                }
                yield a;
            }
            case ARRAY -> {
                GgufValue[] a = new GgufValue[n];
                for (int i = 0; i < n; i++) {
                    a[i] = readArray(in);
                }
                yield a;
            }
        };
        return GgufValue.array(element, values);
    }

    public Path path() {
        return path;
    }

    /** GGUF format version, 2 or 3. */
    public int version() {
        return version;
    }

    /** Alignment of the tensor data, from {@code general.alignment} or 32. */
    public int alignment() {
        return alignment;
    }

    /** File offset where tensor data begins. */
    public long dataStart() {
        return dataStart;
    }

    /** All metadata in file order. */
    public Map<String, GgufValue> metadata() {
        return metadata;
    }

    /** The tensor directory in file order. */
    public Map<String, GgufTensorInfo> tensors() {
        return tensors;
    }

    public boolean has(String key) {
        return metadata.containsKey(key);
    }

    /** A required metadata value. */
    public GgufValue value(String key) {
        GgufValue v = metadata.get(key);
        if (v == null) {
            throw new IllegalArgumentException(path + ": required GGUF metadata key " + key + " is missing");
        }
        return v;
    }

    public String getString(String key) {
        return (String) typed(key, GgufValueType.STRING).value();
    }

    /** An integer value of any integral type that fits in an int. */
    public int getInt(String key) {
        GgufValue v = value(key);
        if (!(v.value() instanceof Integer || v.value() instanceof Long)) {
            throw new IllegalArgumentException(path + ": metadata " + key + " must be an integer, was " + v);
        }
        long n = ((Number) v.value()).longValue();
        if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(path + ": metadata " + key + " = " + n + " does not fit in an int");
        }
        return (int) n;
    }

    public int getInt(String key, int fallback) {
        return has(key) ? getInt(key) : fallback;
    }

    /** A FLOAT32 or FLOAT64 value. */
    public float getFloat(String key) {
        GgufValue v = value(key);
        if (!(v.value() instanceof Float || v.value() instanceof Double)) {
            throw new IllegalArgumentException(path + ": metadata " + key + " must be a float, was " + v);
        }
        return ((Number) v.value()).floatValue();
    }

    public float getFloat(String key, float fallback) {
        return has(key) ? getFloat(key) : fallback;
    }

    public String[] getStringArray(String key) {
        return (String[]) typedArray(key, GgufValueType.STRING).value();
    }

    public float[] getFloatArray(String key) {
        return (float[]) typedArray(key, GgufValueType.FLOAT32).value();
    }

    /** An array of UINT8/INT8/UINT16/INT16/INT32 as ints. */
    public int[] getIntArray(String key) {
        GgufValue v = value(key);
        if (!(v.value() instanceof int[] a)) {
            throw new IllegalArgumentException(path + ": metadata " + key + " must be an array of 8..32-bit integers, was " + v);
        }
        return a;
    }

    private GgufValue typed(String key, GgufValueType type) {
        GgufValue v = value(key);
        if (v.type() != type) {
            throw new IllegalArgumentException(path + ": metadata " + key + " must be " + type + ", was " + v);
        }
        return v;
    }

    private GgufValue typedArray(String key, GgufValueType element) {
        GgufValue v = typed(key, GgufValueType.ARRAY);
        if (v.elementType() != element) {
            throw new IllegalArgumentException(path + ": metadata " + key + " must be an array of " + element + ", was " + v);
        }
        return v;
    }

    /** The directory entry of a tensor, or an error naming the missing tensor. */
    public GgufTensorInfo tensor(String name) {
        GgufTensorInfo t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException(path + ": tensor " + name + " is missing");
        }
        return t;
    }

    /** The raw little-endian bytes of a tensor, memory-mapped. */
    public ByteBuffer rawData(GgufTensorInfo tensor) {
        long bytes = tensor.byteSize();
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(path + ": tensor " + tensor.name() + " has " + bytes
                    + " bytes; at most 2 GiB per tensor is supported");
        }
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + tensor.offset(), bytes).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException("mapping tensor " + tensor.name() + " of " + path, e);
        }
    }

    /** A whole tensor decoded to float32, in storage order (fastest dimension last in the array). */
    public float[] dequantize(String name) {
        GgufTensorInfo t = tensor(name);
        long n = t.elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(path + ": tensor " + name + " has " + n
                    + " elements; a float[] holds at most 2^31 - 9");
        }
        float[] out = new float[(int) n];
        GgmlQuants.dequantize(t.type(), rawData(t), out, 0, (int) n);
        return out;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
