package io.scopekv.bench.train;

/**
 * Size of a mini-LongGenBench task.
 *
 * @param facts       key-value facts in the prompt (distinct keys, at most 26)
 * @param questions   keys asked about, answered in order in the response (at most {@code facts})
 * @param valueDigits digits of each value and of each running sum
 */
public record TaskConfig(int facts, int questions, int valueDigits) {

    public TaskConfig {
        if (facts < 1 || facts > TaskVocabulary.KEYS) {
            throw new IllegalArgumentException("facts must be in [1, " + TaskVocabulary.KEYS + "], was " + facts);
        }
        if (questions < 1 || questions > facts) {
            throw new IllegalArgumentException("questions must be in [1, facts = " + facts + "], was " + questions);
        }
        if (valueDigits < 1 || valueDigits > 4) {
            throw new IllegalArgumentException("valueDigits must be in [1, 4], was " + valueDigits);
        }
    }

    /** Tokens of one answer: key, value, ',', running sum, ';'. */
    public int answerLength() {
        return 3 + 2 * valueDigits;
    }

    /** BOS, the facts, '?', the question keys, '>'. */
    public int promptLength() {
        return 1 + facts * (2 + valueDigits) + 1 + questions + 1;
    }

    /** The answers, then EOS. */
    public int responseLength() {
        return questions * answerLength() + 1;
    }

    public int totalLength() {
        return promptLength() + responseLength();
    }
}
