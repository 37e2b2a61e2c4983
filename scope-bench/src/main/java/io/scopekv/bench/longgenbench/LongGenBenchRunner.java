package io.scopekv.bench.longgenbench;

import io.scopekv.CacheStats;
import io.scopekv.bench.engine.AttentionPath;
import io.scopekv.bench.engine.Generator;
import io.scopekv.bench.engine.LlamaModel;
import io.scopekv.bench.engine.LlamaSession;
import io.scopekv.bench.engine.Sampler;
import io.scopekv.bench.io.JsonFormat;
import io.scopekv.bench.tokenizer.Tokenizer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs LongGenBench examples through one model under one cache policy: greedy generation, the
 * paper's positional scoring, and per-example files in a results directory.
 */
public final class LongGenBenchRunner {

    private static final Logger LOG = LoggerFactory.getLogger(LongGenBenchRunner.class);

    /**
     * @param maxNewTokens tokens to generate per example at most (capped by the model's context)
     * @param format       how the instruction and the prompt are joined
     * @param path         which attention integration the engine uses
     * @param stopTokens   token ids that end a response
     */
    public record Settings(int maxNewTokens, PromptFormat format, AttentionPath path, Set<Integer> stopTokens) {
        public Settings {
            if (maxNewTokens < 1) {
                throw new IllegalArgumentException("maxNewTokens must be at least 1, was " + maxNewTokens);
            }
            if (format == null || path == null) {
                throw new IllegalArgumentException("prompt format and attention path must not be null");
            }
            stopTokens = Set.copyOf(stopTokens);
        }
    }

    /**
     * The outcome of one policy over all examples.
     *
     * @param policy                the policy spec
     * @param score                 100 x mean accuracy
     * @param examples              examples run
     * @param generatedTokens       tokens generated, summed
     * @param decodeTokensPerSecond generated tokens over decode time, all examples together
     * @param peakLiveBytes         the largest peak of live cache bytes over examples
     * @param directory             where the files went
     */
    public record PolicyResult(String policy, double score, int examples, long generatedTokens,
                               double decodeTokensPerSecond, long peakLiveBytes, Path directory) {
    }

    private LongGenBenchRunner() {
    }

    /**
     * Runs every example and writes {@code predictions.jsonl} and {@code scores.json} into a
     * sub-directory of {@code outDir} named after the policy.
     *
     * @throws IllegalArgumentException if a prompt does not fit the model's context
     */
    public static PolicyResult run(LlamaModel model, Tokenizer tokenizer, LongGenBenchTask task,
                                   List<LongGenBenchExample> examples, String policy, Settings settings, Path outDir)
            throws IOException {
        int context = model.config().contextLength();
        List<int[]> prompts = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            int[] tokens = tokenizer.encodePrompt(settings.format().build(examples.get(i)));
            if (tokens.length >= context) {
                throw new IllegalArgumentException("example " + i + ": prompt of " + tokens.length
                        + " tokens does not fit the model's context length " + context);
            }
            prompts.add(tokens);
        }
        Path dir = outDir.resolve(directoryName(policy));
        Files.createDirectories(dir);
        List<String> responses = new ArrayList<>();
        List<List<String>> golds = new ArrayList<>();
        long generated = 0;
        long decodeNanos = 0;
        long decodedTokens = 0;
        long peakLive = 0;
        try (BufferedWriter predictions = Files.newBufferedWriter(dir.resolve("predictions.jsonl"), StandardCharsets.UTF_8)) {
            for (int i = 0; i < examples.size(); i++) {
                LongGenBenchExample example = examples.get(i);
                int[] prompt = prompts.get(i);
                // the session cannot run past the context; the reference harness has no such limit at 128K
                int maxNew = Math.min(settings.maxNewTokens(), context - prompt.length + 1);
                if (maxNew < settings.maxNewTokens()) {
                    LOG.warn("example {}: generating at most {} tokens, the rest of the {}-token context", i, maxNew, context);
                }
                Generator.Result result;
                CacheStats stats;
                try (LlamaSession session = LlamaSession.open(model, policy, settings.path())) {
                    result = Generator.generate(session, prompt,
                            new Generator.Options(maxNew, 1, Sampler.greedy(), settings.stopTokens()));
                    stats = session.cache().stats();
                }
                String response = tokenizer.decode(result.tokens(), true);
                responses.add(response);
                golds.add(example.answers());
                generated += result.tokens().length;
                decodeNanos += result.decodeNanos();
                decodedTokens += Math.max(0, result.tokens().length - 1);
                peakLive = Math.max(peakLive, stats.peakLiveBytes());
                int correct = LongGenBenchScorer.correct(task, response, example.answers());
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("index", i);
                line.put("policy", policy);
                line.put("prompt_tokens", prompt.length);
                line.put("generated_tokens", result.tokens().length);
                line.put("stopped_by_eos", result.stoppedByToken());
                line.put("correct", correct);
                line.put("questions", example.answers().size());
                line.put("accuracy", correct / (double) example.answers().size());
                line.put("extracted", new ArrayList<Object>(task.extractAnswers(response)));
                line.put("gold", new ArrayList<Object>(example.answers().stream().map(task::gold).toList()));
                line.put("prefill_tokens_per_second", result.prefillTokensPerSecond());
                line.put("decode_tokens_per_second", result.decodeTokensPerSecond());
                line.put("cache_kept_tokens", stats.totalKeptTokens());
                line.put("cache_peak_live_bytes", stats.peakLiveBytes());
                line.put("cache_peak_allocated_bytes", stats.peakAllocatedBytes());
                line.put("cache_tokens_evicted", stats.tokensEvicted());
                line.put("cache_selection_steps", stats.selectionSteps());
                line.put("pred", response);
                predictions.write(JsonFormat.write(line));
                predictions.newLine();
                predictions.flush();
                LOG.info("{} example {}/{}: {}/{} correct, {} tokens generated", policy, i + 1, examples.size(), correct,
                        example.answers().size(), result.tokens().length);
            }
        }
        double score = LongGenBenchScorer.score(task, responses, golds);
        double tokensPerSecond = decodeNanos == 0 ? 0 : decodedTokens / (decodeNanos / 1e9);
        Map<String, Object> scores = new LinkedHashMap<>();
        scores.put("policy", policy);
        scores.put("task", task.name().toLowerCase(Locale.ROOT));
        scores.put("examples", examples.size());
        scores.put("score", score);
        scores.put("generated_tokens", generated);
        scores.put("decode_tokens_per_second", tokensPerSecond);
        scores.put("cache_peak_live_bytes", peakLive);
        scores.put("max_new_tokens", settings.maxNewTokens());
        scores.put("prompt_format", settings.format().name().toLowerCase(Locale.ROOT));
        scores.put("attention_path", settings.path().name().toLowerCase(Locale.ROOT));
        Files.writeString(dir.resolve("scores.json"), JsonFormat.write(scores) + "\n", StandardCharsets.UTF_8);
        return new PolicyResult(policy, score, examples.size(), generated, tokensPerSecond, peakLive, dir);
    }

    /** A file-system-safe directory name for a policy spec. */
    public static String directoryName(String policy) {
        return policy.replaceAll("[^A-Za-z0-9=.,_-]", "_");
    }
}
