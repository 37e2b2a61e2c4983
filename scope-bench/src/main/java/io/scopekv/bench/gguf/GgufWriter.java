package io.scopekv.bench.gguf;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes GGUF version 3 files: metadata of every value type, and tensors encoded as F32, F16 or
 * Q8_0 from float32 (or already-encoded bytes of any supported type).
 *
 * <pre>{@code
 * new GgufWriter()
 *     .put("general.architecture", GgufValue.string("llama"))
 *     .tensor("token_embd.weight", GgmlType.F16, new long[] {dim, vocab}, embeddings)
 *     .write(path);
 * }</pre>
 */
public final class GgufWriter {

    private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
    private final List<Pending> tensors = new ArrayList<>();
    private int alignment = GgufFile.DEFAULT_ALIGNMENT;

    private record Pending(String name, long[] dims, GgmlType type, byte[] data, long size, Source source) {
        long byteSize() {
            return data != null ? data.length : size;
        }
    }

    /**
     * Encoded tensor bytes produced while the file is written, so files larger than the heap (an
     * 8B-shaped benchmark model) can be written: {@link #write} calls it once, in tensor order.
     */
    @FunctionalInterface
    public interface Source {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Sets one metadata entry; {@code general.alignment} also changes the data alignment. */
    public GgufWriter put(String key, GgufValue value) {
        if (key == null || key.isEmpty() || value == null) {
            throw new IllegalArgumentException("metadata key and value must be non-empty, key was '" + key + "'");
        }
        if (key.equals("general.alignment")) {
            long a = ((Number) value.value()).longValue();
            if (value.type() != GgufValueType.UINT32 || a <= 0 || (a & (a - 1)) != 0) {
                throw new IllegalArgumentException("general.alignment must be a UINT32 power of two, was " + value);
            }
            alignment = (int) a;
        }
        metadata.put(key, value);
        return this;
    }

    /**
     * Adds a tensor encoded from float32.
     *
     * @param dims   ggml dimensions, fastest-varying first ({@code [cols, rows]} for a row-major matrix)
     * @param values row-major values, {@code product(dims)} of them
     */
    public GgufWriter tensor(String name, GgmlType type, long[] dims, float[] values) {
        GgufTensorInfo info = new GgufTensorInfo(name, dims, type, 0);
        if (info.elementCount() != values.length) {
            throw new IllegalArgumentException("tensor " + name + " needs " + info.elementCount() + " values, got " + values.length);
        }
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(info.byteSize()));
        GgmlQuants.quantize(type, values, buffer);
        return add(new Pending(name, dims.clone(), type, buffer.array(), 0, null));
    }

    /** Adds a tensor from already-encoded bytes of any supported type. */
    public GgufWriter rawTensor(String name, GgmlType type, long[] dims, byte[] encoded) {
        GgufTensorInfo info = new GgufTensorInfo(name, dims, type, 0);
        if (info.byteSize() != encoded.length) {
            throw new IllegalArgumentException("tensor " + name + " of type " + type + " needs " + info.byteSize()
                    + " bytes, got " + encoded.length);
        }
        return add(new Pending(name, dims.clone(), type, encoded.clone(), encoded.length, null));
    }

    /**
     * Adds a tensor whose encoded bytes {@code source} writes when the file is written; it must write
     * exactly the tensor's byte size.
     */
    public GgufWriter streamedTensor(String name, GgmlType type, long[] dims, Source source) {
        GgufTensorInfo info = new GgufTensorInfo(name, dims, type, 0);
        return add(new Pending(name, dims.clone(), type, null, info.byteSize(), source));
    }

    private GgufWriter add(Pending tensor) {
        for (Pending p : tensors) {
            if (p.name.equals(tensor.name)) {
                throw new IllegalArgumentException("tensor " + tensor.name + " added twice");
            }
        }
        tensors.add(tensor);
        return this;
    }

    /** Writes the file, replacing any existing one. */
    public void write(Path path) throws IOException {
        try (OutputStream out = Files.newOutputStream(path)) {
            Sink sink = new Sink(out);
            sink.u32(GgufFile.MAGIC);
            sink.u32(3);
            sink.u64(tensors.size());
            sink.u64(metadata.size());
            for (Map.Entry<String, GgufValue> e : metadata.entrySet()) {
                sink.string(e.getKey());
                sink.u32(e.getValue().type().id());
                writeValue(sink, e.getValue());
            }
            long offset = 0;
            for (Pending t : tensors) {
                sink.string(t.name);
                sink.u32(t.dims.length);
                for (long d : t.dims) {
                    sink.u64(d);
                }
                sink.u32(t.type.id());
                sink.u64(offset);
                offset = GgufFile.align(offset + t.byteSize(), alignment);
            }
            sink.pad(alignment);
            for (Pending t : tensors) {
                if (t.data != null) {
                    sink.bytes(t.data);
                } else {
                    sink.stream(t);
                }
                sink.pad(alignment);
            }
        }
    }

    private static void writeValue(Sink sink, GgufValue v) throws IOException {
        if (v.type() == GgufValueType.ARRAY) {
            sink.u32(v.elementType().id());
            sink.u64(v.length());
            Object a = v.value();
            for (int i = 0; i < v.length(); i++) {
                Object element = Array.get(a, i);
                if (element instanceof GgufValue nested) {
                    writeValue(sink, nested);
                } else {
                    writeScalar(sink, v.elementType(), element);
                }
            }
        } else {
            writeScalar(sink, v.type(), v.value());
        }
    }

    private static void writeScalar(Sink sink, GgufValueType type, Object value) throws IOException {
        switch (type) {
            case UINT8, INT8 -> sink.small(((Number) value).longValue(), 1);
            case UINT16, INT16 -> sink.small(((Number) value).longValue(), 2);
            case UINT32, INT32 -> sink.u32((int) ((Number) value).longValue());
            case UINT64, INT64 -> sink.u64(((Number) value).longValue());
            case FLOAT32 -> sink.u32(Float.floatToRawIntBits((Float) value));
            case FLOAT64 -> sink.u64(Double.doubleToRawLongBits((Double) value));
            case BOOL -> sink.small((Boolean) value ? 1 : 0, 1);
            case STRING -> sink.string((String) value);
            case ARRAY -> throw new IllegalStateException("nested arrays are written by writeValue");
        }
    }

    /** A little-endian byte sink that tracks its position for alignment padding. */
    private static final class Sink {
        private final OutputStream out;
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        private long position;

        Sink(OutputStream out) {
            this.out = out;
        }

        void small(long value, int bytes) throws IOException {
            for (int i = 0; i < bytes; i++) {
                out.write((int) (value >>> (8 * i)) & 0xFF);
            }
            position += bytes;
        }

        void u32(int value) throws IOException {
            scratch.clear();
            bytes(scratch.putInt(value).array(), 4);
        }

        void u64(long value) throws IOException {
            scratch.clear();
            bytes(scratch.putLong(value).array(), 8);
        }

        void string(String s) throws IOException {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            u64(utf8.length);
            bytes(utf8);
        }

        void bytes(byte[] b) throws IOException {
            bytes(b, b.length);
        }

        private void bytes(byte[] b, int length) throws IOException {
            out.write(b, 0, length);
            position += length;
        }

        /** Lets a streamed tensor write its bytes, counting them. */
        void stream(Pending t) throws IOException {
            long[] counted = {0};
            OutputStream counting = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    counted[0]++;
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    counted[0] += len;
                }
            };
            t.source.writeTo(counting);
            if (counted[0] != t.size) {
                throw new IllegalStateException("streamed tensor " + t.name + " of type " + t.type + " wrote " + counted[0]
                        + " bytes, needs " + t.size);
            }
            position += counted[0];
        }

        void pad(int alignment) throws IOException {
            long target = GgufFile.align(position, alignment);
            while (position < target) {
                out.write(0);
                position++;
            }
        }
    }
}
