package io.scopekv.bench.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.util.Instantiatable;
import com.fasterxml.jackson.jr.ob.JSON;
import com.fasterxml.jackson.jr.ob.api.ReaderWriterProvider;
import com.fasterxml.jackson.jr.ob.api.ValueWriter;
import com.fasterxml.jackson.jr.ob.impl.JSONWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The bench's JSON, read and written by jackson-jr. Values map to Java as: object = {@code Map}
 * (order kept), array = {@code List} (written also from {@code int[]}, {@code long[]},
 * {@code double[]}), number = {@code Integer}, {@code Long} or {@code BigInteger} when integral,
 * else {@code Double}; string, boolean and null.
 *
 * <p>The written form is fixed because tests, docs and the sweep directory's hash depend on it:
 * {@link #write} is compact ({@code {"a":1,"b":[1,2]}}); {@link #pretty} indents objects and
 * arrays of objects or arrays by two spaces, puts {@code ": "} between a name and its value and
 * keeps an array of scalars on one line ({@code "windows": [128,256]}). Doubles are written by
 * {@link Double#toString(double)}, which reads back to the same value; NaN and infinities, which
 * JSON cannot hold, are written as {@code null} (the bench's "not measured").
 */
public final class JsonFormat {

    private static final JSON COMPACT = JSON.builder()
            .enable(JSON.Feature.WRITE_NULL_PROPERTIES)
            .disable(JSON.Feature.USE_DEFERRED_MAPS)
            .build()
            .with(new FiniteNumbers());
    private static final JSON PRETTY = COMPACT.with(new Indenter());

    private JsonFormat() {
    }

    /** Compact single-line JSON, for JSON-lines files and hashes. */
    public static String write(Object value) {
        return text(COMPACT, value);
    }

    /** Indented JSON with a final newline, for files people read. */
    public static String pretty(Object value) {
        return text(PRETTY, value) + "\n";
    }

    private static String text(JSON json, Object value) {
        try {
            return json.asString(value);
        } catch (IOException e) {
            // a String target cannot fail to be written: only a value without a JSON form gets here
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Parses one JSON value, the whole text.
     *
     * @throws IllegalArgumentException naming the line and column of the first error and what is wrong
     */
    public static Object parse(String text) {
        try (JsonParser parser = COMPACT.createParser(text)) {
            Object value;
            try {
                value = COMPACT.anyFrom(parser);
            } catch (JsonProcessingException e) {
                throw error(e.getLocation(), e.getOriginalMessage(), e);
            } catch (IllegalArgumentException e) {
                // jackson-jr's own refusals (a key given twice) come without a location
                throw error(parser.currentLocation(), e.getMessage(), e);
            }
            JsonLocation end = parser.currentLocation();
            boolean trailing;
            try {
                trailing = parser.nextToken() != null;
            } catch (JsonProcessingException e) {
                trailing = true;
            }
            if (trailing) {
                throw error(end, "unexpected trailing content after the value", null);
            }
            return value;
        } catch (IOException e) {
            // the text is in memory: no read fails, only the parse above
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses a JSON object.
     *
     * @throws IllegalArgumentException as {@link #parse}, or when the value is not an object
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object value = parse(text);
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("expected a JSON object, found "
                    + (value == null ? "null" : value instanceof List ? "an array" : write(value)));
        }
        return (Map<String, Object>) value;
    }

    private static IllegalArgumentException error(JsonLocation at, String message, Exception cause) {
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        // jackson's message may go on with a copy of the input on later lines, and names the
        // input of a location it cites as a redacted source: the first line, without that, says it
        String first = message == null ? "malformed JSON"
                : message.lines().findFirst().orElse(message).replaceAll("\\[Source: [^;\\]]*; ", "[");
        return new IllegalArgumentException("JSON syntax error" + where + ": " + first, cause);
    }

    /** Doubles and floats: NaN and infinities as null, since JSON has no such numbers. */
    private static final class FiniteNumbers extends ReaderWriterProvider {
        private static final ValueWriter DOUBLE = new ValueWriter() {
            @Override
            public void writeValue(JSONWriter context, JsonGenerator g, Object value) throws IOException {
                double d = (Double) value;
                if (Double.isFinite(d)) {
                    g.writeNumber(d);
                } else {
                    g.writeNull();
                }
            }

            @Override
            public Class<?> valueType() {
                return Double.class;
            }
        };
        private static final ValueWriter FLOAT = new ValueWriter() {
            @Override
            public void writeValue(JSONWriter context, JsonGenerator g, Object value) throws IOException {
                float f = (Float) value;
                if (Float.isFinite(f)) {
                    g.writeNumber(f);
                } else {
                    g.writeNull();
                }
            }

            @Override
            public Class<?> valueType() {
                return Float.class;
            }
        };

        @Override
        public ValueWriter findValueWriter(JSONWriter writeContext, Class<?> type) {
            return type == Double.class ? DOUBLE : type == Float.class ? FLOAT : null;
        }
    }

    /**
     * The indented layout. Whether an array goes on one line is decided when it starts, from the
     * value being written: on one line unless it holds objects or arrays.
     */
    private static final class Indenter implements PrettyPrinter, Instantiatable<Indenter> {
        private final Deque<Boolean> flat = new ArrayDeque<>();
        private int depth;

        @Override
        public Indenter createInstance() {
            return new Indenter();
        }

        private void newline(JsonGenerator g) throws IOException {
            g.writeRaw('\n');
            for (int i = 0; i < depth; i++) {
                g.writeRaw("  ");
            }
        }

        @Override
        public void writeRootValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw('\n');
        }

        @Override
        public void writeStartObject(JsonGenerator g) throws IOException {
            g.writeRaw('{');
            depth++;
        }

        @Override
        public void beforeObjectEntries(JsonGenerator g) throws IOException {
            newline(g);
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(',');
            newline(g);
        }

        @Override
        public void writeEndObject(JsonGenerator g, int entries) throws IOException {
            depth--;
            if (entries > 0) {
                newline(g);
            }
            g.writeRaw('}');
        }

        @Override
        public void writeStartArray(JsonGenerator g) throws IOException {
            flat.push(holdsOnlyScalars(g.currentValue()));
            g.writeRaw('[');
            depth++;
        }

        private static boolean holdsOnlyScalars(Object array) {
            Collection<?> values = array instanceof Collection<?> c ? c
                    : array instanceof Object[] a ? Arrays.asList(a) : List.of();
            return values.stream().noneMatch(v -> v instanceof Map || v instanceof Collection || v instanceof Object[]);
        }

        @Override
        public void beforeArrayValues(JsonGenerator g) throws IOException {
            if (!flat.element()) {
                newline(g);
            }
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(',');
            if (!flat.element()) {
                newline(g);
            }
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) throws IOException {
            depth--;
            if (!flat.pop() && values > 0) {
                newline(g);
            }
            g.writeRaw(']');
        }
    }
}
