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
        return new TrainConfig(model, task, steps, 3, 3e-3f, 2, 0.01f, 1f, 7, 2, 2, threads);
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
    void lossFallsOnATinyTask() throws Exception {
        TaskConfig task = new TaskConfig(2, 2, 1);
        ModelConfig model = ModelConfig.of(16, 1, 2, 1, 24, task.totalLength());
        Trainer t = Trainer.start(new TrainConfig(model, task, 60, 8, 1e-2f, 5, 0f, 1f, 3, 10, 4, 2));
        t.run(dir, quiet());
        assertThat(t.curve().get(t.curve().size() - 1).trainLoss()).isLessThan(0.8 * t.curve().get(0).trainLoss());
    }
}
