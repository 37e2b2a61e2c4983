package io.scopekv.bench.longgenbench;

import io.scopekv.bench.io.JsonFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One LongGenBench input: a prompt holding worked examples and K questions, and the K gold answers.
 *
 * @param prompt    the example's prompt (demonstrations and questions)
 * @param questions the K questions, in order
 * @param answers   the K gold answers (GSM8K: a worked solution ending in {@code #### N}; MMLU and
 *                  CSQA: a letter)
 * @param task      the MMLU subject, or null
 */
public record LongGenBenchExample(String prompt, List<String> questions, List<String> answers, String task) {

    public LongGenBenchExample {
        if (prompt == null || prompt.isEmpty()) {
            throw new IllegalArgumentException("example prompt must not be empty");
        }
        if (answers == null || answers.isEmpty()) {
            throw new IllegalArgumentException("example must have at least one answer");
        }
        questions = List.copyOf(questions == null ? List.of() : questions);
        answers = List.copyOf(answers);
    }

    /**
     * Reads a JSONL file with one {@code {"prompt", "questions", "answers"[, "task"]}} object a line.
     *
     * @throws IllegalArgumentException naming the file and line of a malformed example
     */
    public static List<LongGenBenchExample> load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("data file not found: " + file);
        }
        List<LongGenBenchExample> examples = new ArrayList<>();
        int lineNumber = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            try {
                if (!(JsonFormat.parse(line) instanceof Map<?, ?> o)) {
                    throw new IllegalArgumentException("a line must be a JSON object");
                }
                examples.add(new LongGenBenchExample(string(o, "prompt"), strings(o, "questions"),
                        strings(o, "answers"), string(o, "task")));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + lineNumber + " is not a LongGenBench example: "
                        + e.getMessage(), e);
            }
        }
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("data file " + file + " holds no examples");
        }
        return examples;
    }

    private static String string(Map<?, ?> object, String field) {
        Object value = object.get(field);
        if (value != null && !(value instanceof String)) {
            throw new IllegalArgumentException("\"" + field + "\" must be a string, was " + JsonFormat.write(value));
        }
        return (String) value;
    }

    private static List<String> strings(Map<?, ?> object, String field) {
        Object value = object.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("\"" + field + "\" must be a list of strings, was " + JsonFormat.write(value));
        }
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof String s)) {
                throw new IllegalArgumentException("\"" + field + "\" must be a list of strings, had " + JsonFormat.write(o));
            }
            out.add(s);
        }
        return out;
    }
}
