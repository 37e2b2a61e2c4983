package io.scopekv.bench.train;

import io.scopekv.bench.gguf.GgmlType;
import io.scopekv.bench.gguf.GgufFile;
import io.scopekv.bench.gguf.GgufValue;
import io.scopekv.bench.gguf.GgufValueType;
import io.scopekv.bench.gguf.GgufWriter;
import io.scopekv.bench.tokenizer.Vocabulary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes trained weights as a GGUF file of the {@code llama} architecture, F32 throughout, with
 * the task vocabulary as a merge-free {@code gpt2} tokenizer: every normal token is a single
 * printable ASCII character, which byte-level BPE maps to itself. The task the model was trained
 * for is recorded under {@code scopekv.task.*}, so a file says which held-out tasks it answers.
 */
public final class GgufExport {

    private GgufExport() {
    }

    /** Metadata keys of the task size. */
    public static final String TASK_FACTS = "scopekv.task.facts";
    public static final String TASK_QUESTIONS = "scopekv.task.questions";
    public static final String TASK_DIGITS = "scopekv.task.value_digits";

    /**
     * @param params {@code [layout.size()]} the weights
     * @param task   the task it was trained and evaluated on
     * @param name   {@code general.name}
     */
    public static void write(ParamLayout layout, float[] params, TaskConfig task, String name, Path file) throws IOException {
        ModelConfig c = layout.config();
        if (c.vocabSize() != TaskVocabulary.SIZE) {
            throw new IllegalArgumentException("the exported tokenizer has " + TaskVocabulary.SIZE
                    + " tokens but the model's vocabSize is " + c.vocabSize());
        }
        String a = "llama";
        GgufWriter w = new GgufWriter()
                .put("general.architecture", GgufValue.string(a))
                .put("general.name", GgufValue.string(name))
                .put(a + ".block_count", GgufValue.uint32(c.layers()))
                .put(a + ".embedding_length", GgufValue.uint32(c.dim()))
                .put(a + ".feed_forward_length", GgufValue.uint32(c.ffnDim()))
                .put(a + ".attention.head_count", GgufValue.uint32(c.heads()))
                .put(a + ".attention.head_count_kv", GgufValue.uint32(c.kvHeads()))
                .put(a + ".context_length", GgufValue.uint32(c.contextLength()))
                .put(a + ".rope.freq_base", GgufValue.float32(c.ropeTheta()))
                .put(a + ".attention.layer_norm_rms_epsilon", GgufValue.float32(c.rmsEps()))
                .put(TASK_FACTS, GgufValue.uint32(task.facts()))
                .put(TASK_QUESTIONS, GgufValue.uint32(task.questions()))
                .put(TASK_DIGITS, GgufValue.uint32(task.valueDigits()));
        int[] types = new int[TaskVocabulary.SIZE];
        Arrays.fill(types, Vocabulary.NORMAL);
        types[TaskVocabulary.BOS] = Vocabulary.CONTROL;
        types[TaskVocabulary.EOS] = Vocabulary.CONTROL;
        w.put("tokenizer.ggml.model", GgufValue.string("gpt2"))
                .put("tokenizer.ggml.tokens", GgufValue.array(GgufValueType.STRING, TaskVocabulary.tokens()))
                .put("tokenizer.ggml.token_type", GgufValue.array(GgufValueType.INT32, types))
                .put("tokenizer.ggml.merges", GgufValue.array(GgufValueType.STRING, new String[0]))
                .put("tokenizer.ggml.bos_token_id", GgufValue.uint32(TaskVocabulary.BOS))
                .put("tokenizer.ggml.eos_token_id", GgufValue.uint32(TaskVocabulary.EOS))
                .put("tokenizer.ggml.add_bos_token", GgufValue.of(GgufValueType.BOOL, true));
        for (ParamLayout.Tensor t : layout.tensors()) {
            float[] values = Arrays.copyOfRange(params, t.offset(), t.offset() + t.size());
            // ggml lists the fastest-varying dimension first
            long[] dims = t.matrix() ? new long[] {t.cols(), t.rows()} : new long[] {t.cols()};
            w.tensor(t.name(), GgmlType.F32, dims, values);
        }
        w.write(file);
    }

    /**
     * The task recorded in a file {@link #write} wrote.
     *
     * @throws IllegalArgumentException when the file has no task metadata
     */
    public static TaskConfig task(GgufFile gguf) {
        for (String key : new String[] {TASK_FACTS, TASK_QUESTIONS, TASK_DIGITS}) {
            if (!gguf.has(key)) {
                throw new IllegalArgumentException(gguf.path() + " has no " + key
                        + " metadata: it is not a model trained on the mini-LongGenBench task");
            }
        }
        return new TaskConfig(gguf.getInt(TASK_FACTS), gguf.getInt(TASK_QUESTIONS), gguf.getInt(TASK_DIGITS));
    }
}
