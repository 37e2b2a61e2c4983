package io.scopekv.bench.train;

/**
 * The 42 tokens of the mini-LongGenBench task. Every token but the two control tokens is one
 * printable ASCII character, which is its own byte-level BPE symbol, so the exported GGUF
 * vocabulary encodes task text character by character without merges.
 */
public final class TaskVocabulary {

    public static final int BOS = 0;
    public static final int EOS = 1;
    /** Ids of the digits 0-9 are {@code DIGIT0 + d}. */
    public static final int DIGIT0 = 2;
    public static final int SEMICOLON = 12;
    /** Separates the facts from the questions. */
    public static final int QUESTION = 13;
    /** Ends the prompt: the response starts after it. */
    public static final int ANSWER = 14;
    public static final int COMMA = 15;
    /** Ids of the keys a-z are {@code KEY0 + k}. */
    public static final int KEY0 = 16;
    public static final int KEYS = 26;
    public static final int SIZE = KEY0 + KEYS;

    private static final String[] TOKENS = new String[SIZE];

    static {
        TOKENS[BOS] = "<s>";
        TOKENS[EOS] = "</s>";
        for (int d = 0; d < 10; d++) {
            TOKENS[DIGIT0 + d] = String.valueOf((char) ('0' + d));
        }
        TOKENS[SEMICOLON] = ";";
        TOKENS[QUESTION] = "?";
        TOKENS[ANSWER] = ">";
        TOKENS[COMMA] = ",";
        for (int k = 0; k < KEYS; k++) {
            TOKENS[KEY0 + k] = String.valueOf((char) ('a' + k));
        }
    }

    private TaskVocabulary() {
    }

    /** The token strings, indexed by id. */
    public static String[] tokens() {
        return TOKENS.clone();
    }

    /** The text of {@code ids}, control tokens written as {@code <s>} and {@code </s>}. */
    public static String text(int[] ids, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            if (ids[i] < 0 || ids[i] >= SIZE) {
                throw new IllegalArgumentException("token id " + ids[i] + " is outside the vocabulary [0, " + SIZE + ")");
            }
            sb.append(TOKENS[ids[i]]);
        }
        return sb.toString();
    }
}
