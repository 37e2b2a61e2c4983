package io.scopekv.bench.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

    @TempDir
    Path dir;

    private static TrainConfig config(int steps, int threads) {
        TaskConfig task = new TaskConfig(3, 3, 1);
        ModelConfig model = ModelConfig.of(16, 1, 2, 1, 24, task.totalLength());
        // a curriculum from 1 to 3 facts, so batches mix task lengths
        return new TrainConfig(model, task, 1, steps, 3, 3e-3f, 2, 0.01f, 1f, 7, 2, 2, threads);
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }

    @Test
    void sameSeedGivesTheSameWeightsForAnyThreadCount() throws Exception {
        Trainer one = Trainer.start(config(4, 1));
        one.run(dir.resolve("one"), quiet());
        Trainer two = Trainer.start(config(4, 2));
        two.run(dir.resolve("two"), quiet());
        assertThat(two.params()).isEqualTo(one.params());
        assertThat(one.params()).isNotEqualTo(new ParamLayout(config(4, 1).model()).initialize(7));
        assertThat(dir.resolve("one").resolve(Trainer.MODEL)).exists();
        assertThat(dir.resolve("one").resolve(Trainer.CURVE_PNG)).exists();
        assertThat(dir.resolve("one").resolve(Trainer.CURVE_CSV)).content().startsWith("step,").contains("\n4,");
    }

    @Test
    void resumingContinuesTheSameTrajectory() throws Exception {
        Trainer straight = Trainer.start(config(6, 2));
        straight.run(dir.resolve("straight"), quiet());
        Trainer first = Trainer.start(config(6, 2));
        Path split = dir.resolve("split");
        first.runUntil(2, split, quiet());
        Trainer second = Trainer.resume(Checkpoint.read(split.resolve(Trainer.CHECKPOINT)), 0, 1);
        assertThat(second.step()).isEqualTo(2);
        second.run(split, quiet());
        assertThat(second.params()).isEqualTo(straight.params());
        assertThat(second.curve()).extracting(EvalPoint::step).containsExactly(2, 4, 6);
    }

    @Test
    void curriculumDrawsEveryFactCountInItsRangeDeterministically() {
        TaskConfig task = new TaskConfig(6, 6, 2);
        ModelConfig model = ModelConfig.of(16, 1, 2, 1, 24, task.totalLength());
        TrainConfig c = new TrainConfig(model, task, 2, 10, 3, 3e-3f, 2, 0.01f, 1f, 7, 2, 2, 1);
        java.util.Set<Integer> seen = new java.util.TreeSet<>();
        for (long i = 0; i < 200; i++) {
            TaskConfig t = c.trainingTask(i);
            assertThat(t.facts()).isBetween(2, 6);
            assertThat(t.questions()).isEqualTo(t.facts());
            assertThat(t.valueDigits()).isEqualTo(2);
            assertThat(c.trainingTask(i)).isEqualTo(t);
            seen.add(t.facts());
        }
        assertThat(seen).containsExactly(2, 3, 4, 5, 6);
        TrainConfig none = new TrainConfig(model, task, 6, 10, 3, 3e-3f, 2, 0.01f, 1f, 7, 2, 2, 1);
        assertThat(none.trainingTask(5)).isEqualTo(task);
        TrainConfig fewQuestions = new TrainConfig(model, new TaskConfig(6, 3, 2), 1, 10, 3, 3e-3f, 2, 0.01f, 1f, 7, 2, 2, 1);
        for (long i = 0; i < 50; i++) {
            TaskConfig t = fewQuestions.trainingTask(i);
            assertThat(t.questions()).isEqualTo(Math.min(3, t.facts()));
        }
    }

    @Test
    void minFactsOutsideOneToFactsIsRejected() {
        TaskConfig task = new TaskConfig(4, 4, 1);
        ModelConfig model = ModelConfig.of(16, 1, 2, 1, 24, task.totalLength());
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new TrainConfig(model, task, 5, 10, 3, 3e-3f, 2, 0.01f, 1f, 7, 2, 2, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minFacts must be in [1, facts = 4], was 5");
    }

    @Test
    void lossFallsOnATinyTask() throws Exception {
        TaskConfig task = new TaskConfig(2, 2, 1);
        ModelConfig model = ModelConfig.of(16, 1, 2, 1, 24, task.totalLength());
        Trainer t = Trainer.start(new TrainConfig(model, task, 2, 60, 8, 1e-2f, 5, 0f, 1f, 3, 10, 4, 2));
        t.run(dir, quiet());
        assertThat(t.curve().get(t.curve().size() - 1).trainLoss()).isLessThan(0.8 * t.curve().get(0).trainLoss());
    }
}
