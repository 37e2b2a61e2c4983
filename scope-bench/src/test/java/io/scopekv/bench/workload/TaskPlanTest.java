package io.scopekv.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TaskPlanTest {

    @Test
    void answersPartitionTheDecodeStepsAndPlantsStayInPlace() {
        WorkloadConfig config = WorkloadConfig.defaults().withLengths(40, 5, 10, 6, 103);
        TaskPlan plan = new TaskPlan(config);
        int next = 1;
        for (int i = 0; i < plan.questions(); i++) {
            assertThat(plan.answerStart(i)).isEqualTo(next);
            assertThat(plan.answerEnd(i)).isGreaterThanOrEqualTo(plan.answerStart(i));
            next = plan.answerEnd(i) + 1;
            for (int p : plan.questionPlanted(i)) {
                assertThat(plan.questionAt(p)).isEqualTo(i);
                assertThat(plan.isPlantedQuestionToken(p)).isTrue();
            }
            int half = (103 / 5) / 2;
            for (int s : plan.answerPlantedSteps(i)) {
                assertThat(s).isBetween(plan.answerStart(i), plan.answerStart(i) + half - 1);
                assertThat(plan.answerAt(s)).isEqualTo(i);
                assertThat(plan.plantedAnswerAt(plan.position(s))).isEqualTo(i);
            }
            assertThat(plan.questionPlanted(i)).hasSize(config.plantedPerQuestion()).isSorted();
        }
        assertThat(next - 1).isEqualTo(103);
    }

    @Test
    void anAnswerNeedsItsQuestionThePreviousAnswerAndItself() {
        TaskPlan plan = new TaskPlan(WorkloadConfig.defaults());
        int[] needed = plan.needed(3);
        int[] expected = new int[0];
        expected = concat(expected, plan.questionPlanted(3));
        for (int s : plan.answerPlantedSteps(2)) {
            expected = concat(expected, new int[] {plan.position(s)});
        }
        for (int s : plan.answerPlantedSteps(3)) {
            expected = concat(expected, new int[] {plan.position(s)});
        }
        Arrays.sort(expected);
        assertThat(needed).containsExactly(expected);
        assertThat(plan.needed(0)).hasSize(plan.questionPlanted(0).length + plan.answerPlantedSteps(0).length);
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
