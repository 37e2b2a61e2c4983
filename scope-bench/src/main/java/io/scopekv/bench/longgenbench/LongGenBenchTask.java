package io.scopekv.bench.longgenbench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three LongGenBench sources and the paper's answer extraction for each.
 *
 * <p>The patterns are Python {@code re} expressions in the paper's scorer; UNIX_LINES makes
 * {@code .} stop only at {@code \n}, and UNICODE_CHARACTER_CLASS makes {@code \d} and {@code \s}
 * match what Python's do on text.
 */
public enum LongGenBenchTask {
    /** Numeric answers: {@code Answer_N: ... answer is 42}, across lines. */
    GSM8K(Pattern.compile("Answer_\\d+:\\s*.*?answer is (\\d+)",
            Pattern.DOTALL | Pattern.UNICODE_CHARACTER_CLASS)),
    /** Letter answers: {@code Answer_N: ... answer is (B)}, within one line. */
    MMLU(Pattern.compile("Answer_\\d+:\\s*.*?answer is \\((.*?)\\)",
            Pattern.UNIX_LINES | Pattern.UNICODE_CHARACTER_CLASS)),
    /** Letter answers, as MMLU. */
    CSQA(MMLU.answerPattern);

    private static final Pattern GSM8K_GOLD = Pattern.compile("####\\s*(\\d+)", Pattern.UNICODE_CHARACTER_CLASS);

    private final Pattern answerPattern;

    LongGenBenchTask(Pattern answerPattern) {
        this.answerPattern = answerPattern;
    }

    /**
     * The task of a data file, from its name ({@code gsm8k_30.jsonl}, {@code mmlu_60.jsonl},
     * {@code csqa_40.jsonl}).
     *
     * @throws IllegalArgumentException when the name starts with none of them
     */
    public static LongGenBenchTask ofFileName(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        for (LongGenBenchTask t : values()) {
            if (lower.startsWith(t.name().toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("cannot tell the task of data file '" + fileName
                + "': its name must start with gsm8k, mmlu or csqa");
    }

    /** Every answer the response gives, in order of appearance. */
    public List<String> extractAnswers(String response) {
        List<String> found = new ArrayList<>();
        Matcher m = answerPattern.matcher(response);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    /**
     * The gold answer compared with extracted ones: for GSM8K the digits after {@code ####} (null
     * when there are none, e.g. a negative number, which then never matches), else the answer itself.
     */
    public String gold(String answer) {
        if (this != GSM8K) {
            return answer;
        }
        Matcher m = GSM8K_GOLD.matcher(answer);
        return m.find() ? m.group(1) : null;
    }
}
