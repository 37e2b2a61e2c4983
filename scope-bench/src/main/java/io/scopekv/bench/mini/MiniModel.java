package io.scopekv.bench.mini;

import io.scopekv.bench.engine.LlamaModel;
import io.scopekv.bench.gguf.GgufFile;
import io.scopekv.bench.train.GgufExport;
import io.scopekv.bench.train.TaskConfig;
import io.scopekv.bench.tokenizer.Vocabulary;
import io.scopekv.bench.train.TaskVocabulary;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A model trained on the mini-LongGenBench task, with the task size its GGUF file records.
 *
 * @param model the loaded weights
 * @param task  the task it answers
 * @param name  where it came from (file name, or {@link #EMBEDDED_NAME})
 */
public record MiniModel(LlamaModel model, TaskConfig task, String name) implements AutoCloseable {

    /** Classpath location of the model shipped with the bench. */
    public static final String EMBEDDED_RESOURCE = "/io/scopekv/bench/mini/mini-longgenbench.gguf";
    public static final String EMBEDDED_NAME = "embedded mini-longgenbench.gguf";

    public MiniModel {
        if (model == null || task == null) {
            throw new IllegalArgumentException("model and task must not be null");
        }
        if (model.config().vocabSize() != TaskVocabulary.SIZE) {
            throw new IllegalArgumentException(name + " has a vocabulary of " + model.config().vocabSize()
                    + " tokens; the mini-LongGenBench task uses " + TaskVocabulary.SIZE);
        }
        if (task.totalLength() - 1 > model.config().contextLength()) {
            throw new IllegalArgumentException(name + ": its task needs " + (task.totalLength() - 1)
                    + " positions but the model's context length is " + model.config().contextLength());
        }
    }

    /**
     * Loads a GGUF file the {@code train} command wrote.
     *
     * @throws IllegalArgumentException when the file has no task metadata or the wrong vocabulary
     */
    public static MiniModel load(Path file) throws IOException {
        try (GgufFile gguf = GgufFile.open(file)) {
            TaskConfig task = GgufExport.task(gguf);
            Vocabulary.requireSpecialIds(gguf, TaskVocabulary.SIZE);
            return new MiniModel(LlamaModel.load(gguf), task, file.getFileName().toString());
        }
    }

    /** The model shipped inside the bench jar. */
    public static MiniModel embedded() {
        try (InputStream in = MiniModel.class.getResourceAsStream(EMBEDDED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the bench was built without " + EMBEDDED_RESOURCE);
            }
            // GGUF files are memory-mapped; the weights are copied out on load, so the file can go at once
            Path tmp = Files.createTempFile("mini-longgenbench", ".gguf");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                MiniModel loaded = load(tmp);
                return new MiniModel(loaded.model(), loaded.task(), EMBEDDED_NAME);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + EMBEDDED_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
