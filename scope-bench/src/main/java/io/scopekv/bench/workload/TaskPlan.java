package io.scopekv.bench.workload;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Which tokens play which role in a {@link WorkloadConfig}'s stream, and which tokens each answer
 * needs. Shared by every layer and head (the roles belong to tokens, not heads).
 *
 * <p>Answer i (0-based) spans decode steps {@link #answerStart(int)}..{@link #answerEnd(int)}; it
 * needs the planted tokens of question i, the planted tokens of answer i - 1 and its own planted
 * tokens. It counts as correct when all of them are still cached when its final step runs.
 */
public final class TaskPlan {
    private final int promptTokens;
    private final int questions;
    private final int exampleTokens;
    private final int questionTokens;
    private final int maxNewTokens;
    private final int answerLength;
    /** {@code [questions][plantedPerQuestion]} prompt positions, ascending. */
    private final int[][] questionPlanted;
    /** {@code [questions][plantedPerAnswer]} decode steps (1-based), ascending. */
    private final int[][] answerPlanted;
    /** Per position: the answer whose planted token it is, or -1. */
    private final int[] plantedAnswerOf;
    /** Per prompt position: whether it is a planted question token. */
    private final boolean[] plantedQuestion;

    public TaskPlan(WorkloadConfig config) {
        this.promptTokens = config.promptTokens();
        this.questions = config.questions();
        this.exampleTokens = config.exampleTokens();
        this.questionTokens = config.questionTokens();
        this.maxNewTokens = config.maxNewTokens();
        this.answerLength = maxNewTokens / questions;
        SplittableRandom random = new SplittableRandom(config.seed());
        questionPlanted = new int[questions][];
        answerPlanted = new int[questions][];
        plantedQuestion = new boolean[promptTokens];
        plantedAnswerOf = new int[promptTokens + maxNewTokens];
        Arrays.fill(plantedAnswerOf, -1);
        for (int i = 0; i < questions; i++) {
            int[] offsets = distinct(random, questionTokens, config.plantedPerQuestion());
            questionPlanted[i] = new int[offsets.length];
            for (int n = 0; n < offsets.length; n++) {
                questionPlanted[i][n] = questionStart(i) + offsets[n];
                plantedQuestion[questionPlanted[i][n]] = true;
            }
            int[] steps = distinct(random, answerLength / 2, config.plantedPerAnswer());
            answerPlanted[i] = new int[steps.length];
            for (int n = 0; n < steps.length; n++) {
                answerPlanted[i][n] = answerStart(i) + steps[n];
                plantedAnswerOf[position(answerPlanted[i][n])] = i;
            }
        }
    }

    /** {@code count} distinct offsets in {@code [0, range)}, ascending. */
    private static int[] distinct(SplittableRandom random, int range, int count) {
        int[] pool = new int[range];
        for (int i = 0; i < range; i++) {
            pool[i] = i;
        }
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(range - i);
            int tmp = pool[i];
            pool[i] = pool[j];
            pool[j] = tmp;
        }
        int[] chosen = Arrays.copyOf(pool, count);
        Arrays.sort(chosen);
        return chosen;
    }

    public int promptTokens() {
        return promptTokens;
    }

    public int questions() {
        return questions;
    }

    /** Position of a decode step's token: {@code M + step - 1}. */
    public int position(int step) {
        return promptTokens + step - 1;
    }

    /** First prompt position of question i's span. */
    public int questionStart(int i) {
        return exampleTokens + i * questionTokens;
    }

    /** The question whose span holds prompt position p, or -1 (examples, tail, decode). */
    public int questionAt(int p) {
        int offset = p - exampleTokens;
        return p < promptTokens && offset >= 0 && offset < questions * questionTokens ? offset / questionTokens : -1;
    }

    /** Whether prompt position p is one of its question's planted tokens. */
    public boolean isPlantedQuestionToken(int p) {
        return p >= 0 && p < promptTokens && plantedQuestion[p];
    }

    /** The answer that planted the token at position p, or -1. */
    public int plantedAnswerAt(int p) {
        return p >= 0 && p < plantedAnswerOf.length ? plantedAnswerOf[p] : -1;
    }

    /** First decode step (1-based) of answer i. */
    public int answerStart(int i) {
        return i * answerLength + 1;
    }

    /** Last decode step of answer i; the last answer takes the remainder of T. */
    public int answerEnd(int i) {
        return i == questions - 1 ? maxNewTokens : (i + 1) * answerLength;
    }

    /** The answer a decode step belongs to. */
    public int answerAt(int step) {
        if (step < 1 || step > maxNewTokens) {
            throw new IllegalArgumentException("step must be in [1, " + maxNewTokens + "], was " + step);
        }
        return Math.min(questions - 1, (step - 1) / answerLength);
    }

    /** Prompt positions of question i's planted tokens, ascending. */
    public int[] questionPlanted(int i) {
        return questionPlanted[i].clone();
    }

    /** Decode steps of answer i's planted tokens, ascending. */
    public int[] answerPlantedSteps(int i) {
        return answerPlanted[i].clone();
    }

    /**
     * Positions answer i needs at its final step, ascending: question i's planted tokens, then the
     * planted tokens of answers i - 1 and i.
     */
    public int[] needed(int i) {
        int[] q = questionPlanted[i];
        int[] previous = i > 0 ? answerPlanted[i - 1] : new int[0];
        int[] own = answerPlanted[i];
        int[] all = new int[q.length + previous.length + own.length];
        System.arraycopy(q, 0, all, 0, q.length);
        for (int n = 0; n < previous.length; n++) {
            all[q.length + n] = position(previous[n]);
        }
        for (int n = 0; n < own.length; n++) {
            all[q.length + previous.length + n] = position(own[n]);
        }
        Arrays.sort(all);
        return all;
    }
}
