package io.scopekv.bench.trace;

import io.scopekv.CacheLayout;
import io.scopekv.bench.io.JsonFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code meta.json} of a trace directory.
 *
 * @param layers       transformer layers
 * @param queryHeads   query heads per layer
 * @param kvHeads      KV heads per layer
 * @param headDim      elements per head vector
 * @param promptTokens M, tokens {@code 0..M-1} of the trace are the prompt
 * @param decodeSteps  tokens after the prompt; token {@code M + j - 1} is decode step j
 * @param maxNewTokens T the generation was configured with (the policies' T)
 */
public record TraceMeta(int layers, int queryHeads, int kvHeads, int headDim, int promptTokens, int decodeSteps,
                        int maxNewTokens) {

    public static final String FILE = "meta.json";

    public TraceMeta {
        CacheLayout.of(layers, queryHeads, kvHeads, headDim);
        if (promptTokens < 1) {
            throw new IllegalArgumentException("promptTokens must be >= 1, was " + promptTokens);
        }
        if (decodeSteps < 0) {
            throw new IllegalArgumentException("decodeSteps must be >= 0, was " + decodeSteps);
        }
        if (maxNewTokens < decodeSteps) {
            throw new IllegalArgumentException("maxNewTokens must be >= decodeSteps (" + decodeSteps + "), was " + maxNewTokens);
        }
    }

    public CacheLayout layout() {
        return CacheLayout.of(layers, queryHeads, kvHeads, headDim);
    }

    /** All tokens in the trace: M + decode steps. */
    public int tokens() {
        return promptTokens + decodeSteps;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("layers", layers);
        map.put("queryHeads", queryHeads);
        map.put("kvHeads", kvHeads);
        map.put("headDim", headDim);
        map.put("promptTokens", promptTokens);
        map.put("decodeSteps", decodeSteps);
        map.put("maxNewTokens", maxNewTokens);
        return map;
    }

    public void write(Path dir) throws IOException {
        Files.writeString(dir.resolve(FILE), JsonFormat.pretty(toMap()));
    }

    /**
     * Reads and validates {@code dir/meta.json}.
     *
     * @throws IOException if it is missing or malformed, naming the file and the field
     */
    public static TraceMeta read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        Map<String, Object> map;
        try {
            map = JsonFormat.parseObject(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": missing; a trace directory holds meta.json, q.npy, k.npy and v.npy");
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage());
        }
        try {
            return new TraceMeta(intField(map, "layers", file), intField(map, "queryHeads", file),
                    intField(map, "kvHeads", file), intField(map, "headDim", file), intField(map, "promptTokens", file),
                    intField(map, "decodeSteps", file), intField(map, "maxNewTokens", file));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage());
        }
    }

    private static int intField(Map<String, Object> map, String name, Path file) throws IOException {
        Object value = map.get(name);
        // integers that fit an int are read as Integer, larger ones as Long or BigInteger
        if (!(value instanceof Integer n)) {
            throw new IOException(file + ": field \"" + name + "\" must be an integer, was " + value);
        }
        return n;
    }
}
