package io.scopekv.bench;

import io.scopekv.StorageType;
import io.scopekv.bench.engine.AttentionPath;
import io.scopekv.bench.engine.LlamaModel;
import io.scopekv.bench.fidelity.FidelityExperiment;
import io.scopekv.bench.fidelity.FidelityReport;
import io.scopekv.bench.fidelity.StoryOpenings;
import io.scopekv.bench.gguf.GgufFile;
import io.scopekv.bench.io.JsonFormat;
import io.scopekv.bench.io.OutputDirectory;
import io.scopekv.bench.mini.MiniExperiment;
import io.scopekv.bench.report.Progress;
import io.scopekv.bench.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code scope-bench fidelity}: how far each policy of the paper's table moves a GGUF model's
 * output from the full cache's, on long continuations of story prompts; writes results.md,
 * results.json, positions.csv and two charts to the output directory.
 */
@Command(name = "fidelity", mixinStandardHelpOptions = true, description = {
    "Measure how far each policy moves a GGUF model's output from the full cache's.",
    "%nEach sample is a story opening extended by seeded sampling to the prompt length, then continued to the "
        + "sequence length. Every policy of the paper's table (SCOPE at 25%% and 12.5%% of the continuation, unified H2O "
        + "and StreamingLLM at the same total memory, SnapKV and PyramidKV prefill-only, SnapKV + Slide, "
        + "accumulated-score variants) is teacher-forced through the continuation: per step KL(full || policy), change "
        + "of the reference token's log-probability, top-1 agreement; and decoded greedily from the prompt: the first "
        + "step that leaves the full cache's text. Writes results.md, results.json, positions.csv and two charts, "
        + "kl-memory.png and kl-position.png, to DIR."})
final class FidelityCommand implements Callable<Integer> {

    static final int DEFAULT_PROMPT_TOKENS = 150;
    static final int DEFAULT_MAX_TOKENS = 2048;

    @Option(names = "--model", paramLabel = "FILE", required = true, converter = OptionTypes.ExistingFile.class,
            description = "GGUF model (llama or qwen2; see the README for tensor types)")
    Path modelFile;

    @Option(names = "--prompts", paramLabel = "FILE", converter = OptionTypes.ExistingFile.class,
            description = "openings, one per line ('#' comments) (default: 24 built-in story openings)")
    Path prompts;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "20",
            description = "sequences; sample i starts from opening i mod their number (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--prompt-tokens", paramLabel = "M", defaultValue = "" + DEFAULT_PROMPT_TOKENS,
            description = "prompt length in tokens, opening included (default: ${DEFAULT-VALUE})")
    int promptTokens;

    @Option(names = "--tokens", paramLabel = "N", description = "sequence length, prompt plus continuation "
            + "(default: the context length, at most " + DEFAULT_MAX_TOKENS + ")")
    Integer tokens;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "seed of sample 0's sampling, sample i: S + i (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0.8",
            description = "temperature of the prompt extension and the reference continuation (default: ${DEFAULT-VALUE})")
    float temperature;

    @Option(names = "--top-p", paramLabel = "P", defaultValue = "0.95",
            description = "nucleus mass of that sampling (default: ${DEFAULT-VALUE})")
    float topP;

    @Option(names = "--attention", paramLabel = "PATH", defaultValue = "cache", converter = OptionTypes.AttentionPaths.class,
            completionCandidates = OptionTypes.AttentionPaths.class,
            description = "cache: KvCache.attend; engine: own loop + observe (default: ${DEFAULT-VALUE})")
    AttentionPath path;

    @Option(names = "--storage", paramLabel = "TYPE", defaultValue = "FLOAT32", converter = OptionTypes.Storages.class,
            completionCandidates = OptionTypes.Storages.class,
            description = "how the policies' caches store K/V: ${COMPLETION-CANDIDATES}; the full-cache reference is "
                    + "always FLOAT32, so its row under BF16 or F16 is what 16-bit storage alone adds "
                    + "(default: ${DEFAULT-VALUE})")
    StorageType storage;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "results/fidelity",
            description = "results directory (default: ${DEFAULT-VALUE})")
    Path outDir;

    @Mixin
    ForceOption force;

    private final PrintStream out;
    private final PrintStream err;

    FidelityCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws UsageException, IOException {
        List<String> openings = prompts == null ? StoryOpenings.builtIn() : StoryOpenings.load(prompts);
        try (OutputDirectory output = force.open(outDir);
             GgufFile gguf = GgufFile.open(modelFile)) {
            Tokenizer tokenizer = Tokenizer.fromGguf(gguf);
            Set<Integer> heldBack = new HashSet<>();
            heldBack.add(tokenizer.eosId());
            if (gguf.has("tokenizer.ggml.eot_token_id")) {
                heldBack.add(gguf.getInt("tokenizer.ggml.eot_token_id"));
            }
            heldBack.remove(-1);
            try (LlamaModel model = LlamaModel.load(gguf)) {
                if (tokenizer.vocabulary().size() != model.config().vocabSize()) {
                    throw new IllegalArgumentException("tokenizer has " + tokenizer.vocabulary().size()
                            + " tokens but the model's embedding has " + model.config().vocabSize() + " rows");
                }
                int context = model.config().contextLength();
                int tokens = this.tokens != null ? this.tokens : Math.min(context, DEFAULT_MAX_TOKENS);
                FidelityExperiment.Settings settings;
                try {
                    settings = new FidelityExperiment.Settings(promptTokens, tokens, samples, seed, temperature, topP, path);
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage());
                }
                if (tokens > context) {
                    throw new UsageException("--tokens " + tokens + " exceeds the model's context length " + context);
                }
                String name = modelFile.getFileName().toString();
                out.printf(Locale.ROOT, "fidelity on %s (%s, %d layers, %d/%d heads, vocab %d): %d samples, prompt %d tokens, "
                                + "continuation %d; %d openings%n", name, model.config().architecture(), model.config().layers(),
                        model.config().queryHeads(), model.config().kvHeads(), model.config().vocabSize(), samples, promptTokens,
                        settings.continuationTokens(), openings.size());
                List<int[]> ids = new ArrayList<>();
                for (String opening : openings) {
                    ids.add(tokenizer.encodePrompt(opening));
                }
                long start = System.nanoTime();
                List<FidelityExperiment.Sequence> sequences = FidelityExperiment.sequences(model, ids, heldBack, settings);
                List<MiniExperiment.Policy> policies = MiniExperiment.paperTable(promptTokens, settings.continuationTokens());
                List<FidelityExperiment.Row> rows;
                try (Progress progress = new Progress("fidelity", FidelityExperiment.totalWork(policies.size(), sequences), err)) {
                    rows = FidelityExperiment.run(model, policies, sequences, heldBack, path, storage, progress::update);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                String table = FidelityReport.markdown(rows);
                out.print(table);
                String conditions = String.format(Locale.ROOT, "%d samples, prompt %d tokens, continuation %d tokens "
                                + "(sampled at temperature %s, top-p %s, seeds %d..%d); attention path %s; policies' K/V "
                                + "stored as %s, the full-cache reference as FLOAT32; %.0f s.",
                        samples, promptTokens, settings.continuationTokens(), temperature, topP, seed, seed + samples - 1,
                        path.name().toLowerCase(Locale.ROOT), storage, seconds);
                Path dir = output.staging();
                Files.writeString(dir.resolve("results.md"), "# Fidelity to the full cache on " + name + "\n\n" + conditions
                        + "\n\n" + table, StandardCharsets.UTF_8);
                Files.writeString(dir.resolve("results.json"), JsonFormat.pretty(json(name, model, settings, storage, openings,
                        sequences, tokenizer, rows, seconds)) + "\n", StandardCharsets.UTF_8);
                Files.writeString(dir.resolve("positions.csv"), FidelityReport.positionsCsv(rows, promptTokens),
                        StandardCharsets.UTF_8);
                String subtitle = String.format(Locale.ROOT, "%s; %d samples, prompt %d + continuation %d tokens", name, samples,
                        promptTokens, settings.continuationTokens());
                FidelityReport.klMemoryChart(rows, subtitle).write(dir.resolve("kl-memory.png"));
                FidelityReport.klPositionChart(rows, promptTokens, subtitle).write(dir.resolve("kl-position.png"));
                out.println("results in " + output.commit());
            }
        }
        return Commands.OK;
    }

    private static Map<String, Object> json(String name, LlamaModel model, FidelityExperiment.Settings settings,
                                            StorageType storage, List<String> openings, List<FidelityExperiment.Sequence> sequences,
                                            Tokenizer tokenizer, List<FidelityExperiment.Row> rows, double seconds) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("model", name);
        root.put("architecture", model.config().architecture());
        root.put("context_length", model.config().contextLength());
        root.put("samples", settings.samples());
        root.put("prompt_tokens", settings.promptTokens());
        root.put("continuation_tokens", settings.continuationTokens());
        root.put("seed", settings.seed());
        root.put("temperature", (double) settings.temperature());
        root.put("top_p", (double) settings.topP());
        root.put("attention", settings.path().name().toLowerCase(Locale.ROOT));
        root.put("storage", storage.name());
        root.put("seconds", seconds);
        List<Object> texts = new ArrayList<>();
        for (int i = 0; i < sequences.size(); i++) {
            Map<String, Object> sample = new LinkedHashMap<>();
            sample.put("opening", openings.get(i % openings.size()));
            sample.put("prompt", tokenizer.decode(sequences.get(i).prompt(), true));
            sample.put("reference", tokenizer.decode(sequences.get(i).reference(), true));
            sample.put("greedy", tokenizer.decode(sequences.get(i).greedy(), true));
            texts.add(sample);
        }
        root.put("sequences", texts);
        root.put("rows", FidelityReport.json(rows));
        return root;
    }
}
