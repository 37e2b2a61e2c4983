package io.scopekv.bench.gguf;

import java.lang.reflect.Array;
import java.util.Arrays;

/**
 * One metadata value.
 *
 * <p>Java representation by type: UINT8, INT8, UINT16, INT16, INT32 as {@link Integer} (unsigned
 * types widened); UINT32, INT64 as {@link Long}; UINT64 as {@link Long} holding the unsigned bits;
 * FLOAT32 as {@link Float}; FLOAT64 as {@link Double}; BOOL as {@link Boolean}; STRING as
 * {@link String}. An ARRAY holds a Java array of its elements: {@code int[]} for the types that
 * map to Integer, {@code long[]}, {@code float[]}, {@code double[]}, {@code boolean[]},
 * {@code String[]}, or {@code GgufValue[]} for nested arrays.
 *
 * @param type        the value's type
 * @param elementType the element type of an ARRAY, null otherwise
 * @param value       the Java value as described above
 */
public record GgufValue(GgufValueType type, GgufValueType elementType, Object value) {

    public GgufValue {
        if (type == null || value == null) {
            throw new IllegalArgumentException("GGUF value type and value must not be null");
        }
        if ((type == GgufValueType.ARRAY) != (elementType != null)) {
            throw new IllegalArgumentException("elementType must be given exactly for ARRAY values, type was " + type);
        }
        Class<?> expected = javaClass(type, elementType);
        if (!expected.isInstance(value)) {
            throw new IllegalArgumentException("GGUF " + type + (elementType == null ? "" : " of " + elementType)
                    + " needs a " + expected.getSimpleName() + ", was " + value.getClass().getSimpleName());
        }
    }

    public static GgufValue of(GgufValueType type, Object value) {
        return new GgufValue(type, null, value);
    }

    public static GgufValue string(String value) {
        return of(GgufValueType.STRING, value);
    }

    public static GgufValue uint32(long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("UINT32 value out of range 0..4294967295: " + value);
        }
        return of(GgufValueType.UINT32, value);
    }

    public static GgufValue float32(float value) {
        return of(GgufValueType.FLOAT32, value);
    }

    public static GgufValue array(GgufValueType elementType, Object values) {
        return new GgufValue(GgufValueType.ARRAY, elementType, values);
    }

    /** Number of elements of an ARRAY value. */
    public int length() {
        if (type != GgufValueType.ARRAY) {
            throw new IllegalStateException("value of type " + type + " is not an ARRAY");
        }
        return Array.getLength(value);
    }

    private static Class<?> javaClass(GgufValueType type, GgufValueType element) {
        return switch (type) {
            case UINT8, INT8, UINT16, INT16, INT32 -> Integer.class;
            case UINT32, INT64, UINT64 -> Long.class;
            case FLOAT32 -> Float.class;
            case FLOAT64 -> Double.class;
            case BOOL -> Boolean.class;
            case STRING -> String.class;
            case ARRAY -> switch (element) {
                case UINT8, INT8, UINT16, INT16, INT32 -> int[].class;
                case UINT32, INT64, UINT64 -> long[].class;
                case FLOAT32 -> float[].class;
                case FLOAT64 -> double[].class;
                case BOOL -> boolean[].class;
                case STRING -> String[].class;
                case ARRAY -> GgufValue[].class;
            };
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufValue v && type == v.type && elementType == v.elementType
                && Arrays.deepEquals(new Object[] {value}, new Object[] {v.value});
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + Arrays.deepHashCode(new Object[] {value});
    }

    @Override
    public String toString() {
        String shown = type == GgufValueType.ARRAY ? elementType + "[" + length() + "]" : String.valueOf(value);
        return type + ":" + shown;
    }
}
