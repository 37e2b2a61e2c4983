package io.scopekv.bench.train;

import java.util.SplittableRandom;

/**
 * One generated mini-LongGenBench task: LongGenBench's shape (many questions in one prompt, all
 * answered in one long response) in a 42-token vocabulary. Example with 3 facts, 2 questions and
 * 2-digit values:
 * <pre>
 *   &lt;s&gt;c17;a42;f08;?fc&gt;f08,08;c17,25;&lt;/s&gt;
 * </pre>
 * The prompt (up to and including {@code >}) lists facts, then the question keys; the response
 * answers each question in order as {@code <key><value>,<sum>;}, where {@code sum} is the running sum
 * of the values answered so far modulo {@code 10^digits}. The sum is the per-answer "work" whose
 * result the next answer needs, so tokens generated while decoding are attended to later.
 *
 * @param tokens         {@code [promptLength + responseLength]} the whole sequence
 * @param promptLength   tokens of the prompt
 * @param questions      answers in the response
 * @param answerLength   tokens per answer
 */
public record MiniTask(int[] tokens, int promptLength, int questions, int answerLength) {

    public MiniTask {
        if (promptLength < 1 || questions < 1 || answerLength < 1) {
            throw new IllegalArgumentException("promptLength, questions and answerLength must be positive, were "
                    + promptLength + ", " + questions + ", " + answerLength);
        }
        if (tokens.length != promptLength + questions * answerLength + 1) {
            throw new IllegalArgumentException("a task of " + questions + " answers of " + answerLength
                    + " tokens after a prompt of " + promptLength + " must hold " + (promptLength + questions * answerLength + 1)
                    + " tokens (with EOS), held " + tokens.length);
        }
    }

    /** Training tasks use even task seeds, held-out tasks odd ones, so the two never share a seed. */
    public static MiniTask train(TaskConfig config, long runSeed, long index) {
        return generate(config, trainingSeed(runSeed, index));
    }

    /** The (even) task seed of training task {@code index} of a run. */
    static long trainingSeed(long runSeed, long index) {
        return 2 * mix(runSeed, index);
    }

    /** Held-out task {@code index}, the same for every run. */
    public static MiniTask eval(TaskConfig config, long index) {
        return generate(config, 2 * index + 1);
    }

    /** The task of one task seed. */
    public static MiniTask generate(TaskConfig config, long taskSeed) {
        SplittableRandom r = new SplittableRandom(taskSeed);
        int digits = config.valueDigits();
        int modulus = (int) Math.pow(10, digits);
        int[] keys = shuffledKeys(r);
        int[] values = new int[config.facts()];
        int[] tokens = new int[config.totalLength()];
        int p = 0;
        tokens[p++] = TaskVocabulary.BOS;
        for (int f = 0; f < config.facts(); f++) {
            values[f] = r.nextInt(modulus);
            tokens[p++] = TaskVocabulary.KEY0 + keys[f];
            p = writeNumber(tokens, p, values[f], digits);
            tokens[p++] = TaskVocabulary.SEMICOLON;
        }
        tokens[p++] = TaskVocabulary.QUESTION;
        int[] asked = new int[config.questions()];
        int[] order = shuffledIndices(config.facts(), r);
        for (int q = 0; q < asked.length; q++) {
            asked[q] = order[q];
            tokens[p++] = TaskVocabulary.KEY0 + keys[asked[q]];
        }
        tokens[p++] = TaskVocabulary.ANSWER;
        int sum = 0;
        for (int fact : asked) {
            sum = (sum + values[fact]) % modulus;
            tokens[p++] = TaskVocabulary.KEY0 + keys[fact];
            p = writeNumber(tokens, p, values[fact], digits);
            tokens[p++] = TaskVocabulary.COMMA;
            p = writeNumber(tokens, p, sum, digits);
            tokens[p++] = TaskVocabulary.SEMICOLON;
        }
        tokens[p++] = TaskVocabulary.EOS;
        return new MiniTask(tokens, config.promptLength(), config.questions(), config.answerLength());
    }

    /** First token of answer {@code q} in {@link #tokens()}. */
    public int answerStart(int q) {
        return promptLength + q * answerLength;
    }

    /** Answers of {@code generated} (the response tokens only) that match this task's exactly. */
    public int correctAnswers(int[] generated) {
        int correct = 0;
        for (int q = 0; q < questions; q++) {
            boolean ok = true;
            for (int i = 0; i < answerLength && ok; i++) {
                int at = q * answerLength + i;
                ok = at < generated.length && generated[at] == tokens[answerStart(q) + i];
            }
            correct += ok ? 1 : 0;
        }
        return correct;
    }

    /** The prompt tokens. */
    public int[] prompt() {
        return java.util.Arrays.copyOf(tokens, promptLength);
    }

    public String text() {
        return TaskVocabulary.text(tokens, 0, tokens.length);
    }

    private static int writeNumber(int[] tokens, int p, int value, int digits) {
        for (int d = digits - 1; d >= 0; d--) {
            tokens[p + d] = TaskVocabulary.DIGIT0 + value % 10;
            value /= 10;
        }
        return p + digits;
    }

    private static int[] shuffledKeys(SplittableRandom r) {
        return shuffledIndices(TaskVocabulary.KEYS, r);
    }

    private static int[] shuffledIndices(int n, SplittableRandom r) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /** A 63-bit hash of (run seed, index), so neighbouring runs draw unrelated tasks. */
    private static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) >>> 1;
    }
}
