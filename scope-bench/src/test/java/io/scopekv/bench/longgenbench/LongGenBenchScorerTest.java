package io.scopekv.bench.longgenbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class LongGenBenchScorerTest {

    private static final List<String> GSM_GOLDS = List.of("She has 3 + 4 = 7.\n#### 7", "#### 12", "So 40 - 10 = 30.\n#### 30");

    @Test
    void allCorrectScoresHundred() {
        String response = "Answer_9:\n3 + 4 = 7.\nThe answer is 7.\n\nAnswer_10:\nTwelve.\nThe answer is 12.\n\n"
                + "Answer_11:\n40 - 10.\nThe answer is 30.";
        assertThat(LongGenBenchScorer.correct(LongGenBenchTask.GSM8K, response, GSM_GOLDS)).isEqualTo(3);
        assertThat(LongGenBenchScorer.score(LongGenBenchTask.GSM8K, List.of(response), List.of(GSM_GOLDS))).isEqualTo(100.0);
    }

    @Test
    void aMissingAnswerShiftsTheRestByPosition() {
        // Answer_10 is skipped: its slot is taken by the answer to question 11, so both later ones are wrong
        String skipsSecond = "Answer_9: The answer is 7.\nAnswer_11: The answer is 30.";
        assertThat(LongGenBenchTask.GSM8K.extractAnswers(skipsSecond)).containsExactly("7", "30");
        assertThat(LongGenBenchScorer.correct(LongGenBenchTask.GSM8K, skipsSecond, GSM_GOLDS)).isEqualTo(1);
        String skipsFirst = "Answer_10: The answer is 12.\nAnswer_11: The answer is 30.";
        assertThat(LongGenBenchScorer.correct(LongGenBenchTask.GSM8K, skipsFirst, GSM_GOLDS)).isZero();
        assertThat(LongGenBenchScorer.score(LongGenBenchTask.GSM8K, List.of(skipsSecond, skipsFirst),
                List.of(GSM_GOLDS, GSM_GOLDS))).isCloseTo(100.0 / 6, within(1e-9));
    }

    @Test
    void negativeGsm8kGoldsNeverMatch() {
        List<String> golds = List.of("It drops by 5.\n#### -5");
        assertThat(LongGenBenchTask.GSM8K.gold(golds.get(0))).isNull();
        assertThat(LongGenBenchScorer.correct(LongGenBenchTask.GSM8K, "Answer_9: The answer is 5.", golds)).isZero();
        // the pattern reads only digits, so a negative prediction is read without its sign
        assertThat(LongGenBenchTask.GSM8K.extractAnswers("Answer_9: The answer is -5.")).isEmpty();
    }

    @Test
    void gsm8kSpansLinesButChoiceAnswersStayOnOneLine() {
        assertThat(LongGenBenchTask.GSM8K.extractAnswers("Answer_1:\nfirst\nsecond\nThe answer is 42.")).containsExactly("42");
        assertThat(LongGenBenchTask.MMLU.extractAnswers("Answer_1:\nreasoning\nThe answer is (B).")).isEmpty();
        assertThat(LongGenBenchTask.MMLU.extractAnswers("Answer_1: because. The answer is (B).\nAnswer_2: The answer is (D)."))
                .containsExactly("B", "D");
        assertThat(LongGenBenchScorer.accuracy(LongGenBenchTask.CSQA, "Answer_6: so the answer is (A).\nAnswer_7: The answer is (C)",
                List.of("A", "B"))).isEqualTo(0.5);
    }

    @Test
    void tellsTasksFromFileNames() {
        assertThat(LongGenBenchTask.ofFileName("gsm8k_30.jsonl")).isEqualTo(LongGenBenchTask.GSM8K);
        assertThat(LongGenBenchTask.ofFileName("MMLU_60.jsonl")).isEqualTo(LongGenBenchTask.MMLU);
        assertThat(LongGenBenchTask.ofFileName("csqa_40.jsonl")).isEqualTo(LongGenBenchTask.CSQA);
        assertThatThrownBy(() -> LongGenBenchTask.ofFileName("triviaqa.jsonl")).hasMessageContaining("triviaqa.jsonl");
        assertThatThrownBy(() -> LongGenBenchScorer.score(LongGenBenchTask.MMLU, List.of("x"), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
