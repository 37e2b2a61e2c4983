package io.scopekv.bench.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MiniTaskTest {

    private static final TaskConfig CONFIG = new TaskConfig(6, 4, 2);

    @Test
    void responseAnswersEveryQuestionInOrderWithRunningSums() {
        MiniTask task = MiniTask.eval(CONFIG, 7);
        String prompt = TaskVocabulary.text(task.tokens(), 0, task.promptLength());
        String response = TaskVocabulary.text(task.tokens(), task.promptLength(), task.tokens().length);
        assertThat(prompt).startsWith("<s>").endsWith(">");
        String questions = prompt.substring(prompt.indexOf('?') + 1, prompt.length() - 1);
        assertThat(questions).hasSize(4);
        String[] answers = response.replace("</s>", "").split(";");
        assertThat(answers).hasSize(4);
        int sum = 0;
        for (int q = 0; q < 4; q++) {
            char key = questions.charAt(q);
            String value = prompt.replaceAll(".*" + key + "(\\d\\d);.*", "$1");
            sum = (sum + Integer.parseInt(value)) % 100;
            assertThat(answers[q]).isEqualTo(key + value + "," + String.format("%02d", sum));
        }
        assertThat(response).endsWith(";</s>");
        assertThat(task.tokens()).hasSize(CONFIG.totalLength());
    }

    @Test
    void sameSeedSameTaskAndTrainAndEvalSetsAreDisjoint() {
        assertThat(MiniTask.train(CONFIG, 1, 5).tokens()).isEqualTo(MiniTask.train(CONFIG, 1, 5).tokens());
        assertThat(MiniTask.train(CONFIG, 1, 5).tokens()).isNotEqualTo(MiniTask.train(CONFIG, 2, 5).tokens());
        Set<String> eval = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            eval.add(MiniTask.eval(CONFIG, i).text());
        }
        int shared = 0;
        for (int i = 0; i < 2000; i++) {
            shared += eval.contains(MiniTask.train(CONFIG, 9, i).text()) ? 1 : 0;
        }
        assertThat(eval).hasSizeGreaterThan(1990);
        assertThat(shared).isZero();
    }

    @Test
    void scoresAnswersByExactMatch() {
        MiniTask task = MiniTask.eval(CONFIG, 3);
        int[] response = java.util.Arrays.copyOfRange(task.tokens(), task.promptLength(), task.tokens().length);
        assertThat(task.correctAnswers(response)).isEqualTo(4);
        response[CONFIG.answerLength() + 2] = response[CONFIG.answerLength() + 2] == TaskVocabulary.DIGIT0
                ? TaskVocabulary.DIGIT0 + 1 : TaskVocabulary.DIGIT0;
        assertThat(task.correctAnswers(response)).isEqualTo(3);
        assertThat(task.correctAnswers(java.util.Arrays.copyOf(response, CONFIG.answerLength()))).isEqualTo(1);
    }

    @Test
    void lengthsFollowTheConfigAndBadConfigsAreRejected() {
        assertThat(new TaskConfig(26, 26, 2).totalLength()).isEqualTo(133 + 183);
        assertThat(TaskVocabulary.SIZE).isLessThan(64);
        assertThatThrownBy(() -> new TaskConfig(27, 3, 2)).hasMessageContaining("facts must be in [1, 26], was 27");
        assertThatThrownBy(() -> new TaskConfig(5, 6, 2)).hasMessageContaining("questions must be in [1, facts = 5], was 6");
        assertThatThrownBy(() -> new TaskConfig(5, 5, 0)).hasMessageContaining("valueDigits");
    }
}
