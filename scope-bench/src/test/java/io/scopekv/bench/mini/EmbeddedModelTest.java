package io.scopekv.bench.mini;

import static org.assertj.core.api.Assertions.assertThat;

import io.scopekv.bench.engine.AttentionPath;
import io.scopekv.bench.engine.Generator;
import io.scopekv.bench.engine.LlamaSession;
import io.scopekv.bench.engine.Sampler;
import io.scopekv.bench.train.MiniTask;
import io.scopekv.bench.train.TaskConfig;
import io.scopekv.bench.train.TaskVocabulary;
import java.io.InputStream;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The model shipped with the bench still solves its task through the engine and the cache. */
class EmbeddedModelTest {

    private static MiniModel model;

    @BeforeAll
    static void load() {
        model = MiniModel.embedded();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void isSmallAndRecordsTheFullSizeTask() throws Exception {
        try (InputStream in = MiniModel.class.getResourceAsStream(MiniModel.EMBEDDED_RESOURCE)) {
            assertThat(in.readAllBytes().length).isLessThan(5 << 20);
        }
        assertThat(model.task()).isEqualTo(new TaskConfig(26, 26, 2));
        assertThat(model.model().config().architecture()).isEqualTo("llama");
    }

    @Test
    void fullCacheAnswersHeldOutTasks() {
        MiniExperiment.Row full = MiniExperiment.run(model, new MiniExperiment.Policy("Full cache",
                "prefill=full,decoding=none"), 20, AttentionPath.CACHE);
        assertThat(full.answers()).isEqualTo(20 * 26);
        // 100% over 200 held-out tasks (5,200 answers) when it was shipped: see docs/tiny-model.md
        assertThat(full.accuracy()).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void slideWithAccumulatedScoresKeepsWhatTheModelNeedsAtAQuarterOfTheResponse() {
        // measured over 200 tasks: 100% with accumulated scores, 45.8% with the current step's attention
        MiniExperiment.Row accumulated = MiniExperiment.run(model, new MiniExperiment.Policy("accumulated",
                "prefill=full,decoding=slide(W=46,R=23),scorer=cumulative"), 10, AttentionPath.CACHE);
        MiniExperiment.Row current = MiniExperiment.run(model, new MiniExperiment.Policy("current",
                "prefill=full,decoding=slide(W=46,R=23)"), 10, AttentionPath.CACHE);
        assertThat(accumulated.accuracy()).isGreaterThanOrEqualTo(0.95);
        assertThat(current.accuracy()).isLessThan(0.75);
        assertThat(accumulated.selectionsPerTask()).isEqualTo(183 - 46);
    }

    @Test
    void bothAttentionPathsGenerateTheSameAnswers() {
        Generator.Options options = new Generator.Options(model.task().responseLength(), 0, Sampler.greedy(),
                Set.of(TaskVocabulary.EOS));
        for (int i = 0; i < 2; i++) {
            MiniTask task = MiniTask.eval(model.task(), MiniExperiment.FIRST_TASK + i);
            int[][] answers = new int[2][];
            for (AttentionPath path : AttentionPath.values()) {
                try (LlamaSession session = LlamaSession.open(model.model(), "prefill=full,decoding=slide(W=46,R=23)", path)) {
                    answers[path.ordinal()] = Generator.generate(session, task.prompt(), options).tokens();
                }
            }
            assertThat(answers[0]).isEqualTo(answers[1]);
        }
    }
}
