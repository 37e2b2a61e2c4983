package io.scopekv.bench.longgenbench;

import java.util.List;

/**
 * The paper's positional scorer: the i-th answer extracted from the response is compared with the
 * i-th gold answer, so a skipped answer shifts every later one; answers beyond the response's count
 * are wrong. An example scores {@code correct / K}; a run scores 100 times the mean over examples.
 */
public final class LongGenBenchScorer {

    private LongGenBenchScorer() {
    }

    /** Correct answers of one response, compared position by position. */
    public static int correct(LongGenBenchTask task, String response, List<String> answers) {
        List<String> predicted = task.extractAnswers(response);
        int correct = 0;
        for (int i = 0; i < Math.min(predicted.size(), answers.size()); i++) {
            String gold = task.gold(answers.get(i));
            if (gold != null && gold.equals(predicted.get(i))) {
                correct++;
            }
        }
        return correct;
    }

    /** Fraction of one example's questions answered correctly, in [0, 1]. */
    public static double accuracy(LongGenBenchTask task, String response, List<String> answers) {
        return correct(task, response, answers) / (double) answers.size();
    }

    /** 100 x the mean accuracy over examples; {@code responses.get(i)} answers {@code answers.get(i)}. */
    public static double score(LongGenBenchTask task, List<String> responses, List<List<String>> answers) {
        if (responses.size() != answers.size() || responses.isEmpty()) {
            throw new IllegalArgumentException("need one response per example, got " + responses.size()
                    + " responses for " + answers.size() + " examples");
        }
        double sum = 0;
        for (int i = 0; i < responses.size(); i++) {
            sum += accuracy(task, responses.get(i), answers.get(i));
        }
        return 100 * sum / responses.size();
    }
}
