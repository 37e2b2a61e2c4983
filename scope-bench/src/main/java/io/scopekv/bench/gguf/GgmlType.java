package io.scopekv.bench.gguf;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The tensor element types this project reads, with their ggml ids and block geometry. Quantized
 * types store {@link #blockSize()} elements in {@link #blockBytes()} bytes.
 */
public enum GgmlType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    Q4_0(2, 32, 18),
    Q4_1(3, 32, 20),
    Q5_0(6, 32, 22),
    Q5_1(7, 32, 24),
    Q8_0(8, 32, 34),
    Q2_K(10, 256, 84),
    Q3_K(11, 256, 110),
    Q4_K(12, 256, 144),
    Q5_K(13, 256, 176),
    Q6_K(14, 256, 210),
    BF16(30, 1, 2);

    /** Names of ggml types a file may hold that this project cannot dequantize, for error messages. */
    private static final Map<Integer, String> UNSUPPORTED = Map.ofEntries(
            Map.entry(9, "Q8_1"), Map.entry(15, "Q8_K"),
            Map.entry(16, "IQ2_XXS"), Map.entry(17, "IQ2_XS"), Map.entry(18, "IQ3_XXS"), Map.entry(19, "IQ1_S"),
            Map.entry(20, "IQ4_NL"), Map.entry(21, "IQ3_S"), Map.entry(22, "IQ2_S"), Map.entry(23, "IQ4_XS"),
            Map.entry(24, "I8"), Map.entry(25, "I16"), Map.entry(26, "I32"), Map.entry(27, "I64"),
            Map.entry(28, "F64"), Map.entry(29, "IQ1_M"), Map.entry(34, "TQ1_0"), Map.entry(35, "TQ2_0"));

    private final int id;
    private final int blockSize;
    private final int blockBytes;

    GgmlType(int id, int blockSize, int blockBytes) {
        this.id = id;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    public int id() {
        return id;
    }

    /** Elements per block (1 for the plain float types). */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes per block. */
    public int blockBytes() {
        return blockBytes;
    }

    /**
     * Bytes that {@code elements} elements occupy.
     *
     * @throws IllegalArgumentException if {@code elements} is not a whole number of blocks
     */
    public long bytesFor(long elements) {
        if (elements < 0 || elements % blockSize != 0) {
            throw new IllegalArgumentException(name() + " stores elements in blocks of " + blockSize
                    + "; element count " + elements + " is not a multiple of it");
        }
        return elements / blockSize * blockBytes;
    }

    /** Names of the supported types, for messages. */
    public static String supportedNames() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }

    /**
     * The type with the given ggml id.
     *
     * @throws IllegalArgumentException naming the type (when it is a known ggml type) and listing the supported ones
     */
    public static GgmlType fromId(int id) {
        for (GgmlType t : values()) {
            if (t.id == id) {
                return t;
            }
        }
        String name = UNSUPPORTED.getOrDefault(id, "unknown type id " + id);
        throw new IllegalArgumentException("unsupported GGUF tensor type " + name + " (id " + id
                + "); supported types: " + supportedNames());
    }
}
