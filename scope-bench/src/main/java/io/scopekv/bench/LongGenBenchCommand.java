package io.scopekv.bench;

import io.scopekv.PolicySpec;
import io.scopekv.bench.engine.AttentionPath;
import io.scopekv.bench.engine.LlamaModel;
import io.scopekv.bench.gguf.GgufFile;
import io.scopekv.bench.io.OutputDirectory;
import io.scopekv.bench.longgenbench.LongGenBenchExample;
import io.scopekv.bench.longgenbench.LongGenBenchRunner;
import io.scopekv.bench.longgenbench.LongGenBenchTask;
import io.scopekv.bench.longgenbench.PromptFormat;
import io.scopekv.bench.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code scope-bench longgenbench}: runs LongGenBench on a GGUF model under each policy and writes
 * one results directory per policy plus {@code summary.tsv}.
 */
@Command(name = "longgenbench", mixinStandardHelpOptions = true, description = {
    "Run LongGenBench on a GGUF model with one or more policies.",
    "%nRuns LongGenBench (GSM8K, MMLU or CSQA, told by the data file's name) on a llama or qwen2 GGUF model with "
        + "greedy decoding, once per cache policy, and scores the answers with the paper's positional scorer. Writes "
        + "one results directory per policy and summary.tsv to DIR."})
final class LongGenBenchCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "FILE", required = true, converter = OptionTypes.ExistingFile.class,
            description = "GGUF model (F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1 or K-quant Q2_K-Q6_K tensors)")
    Path model;

    @Option(names = "--data", paramLabel = "FILE", required = true, converter = OptionTypes.ExistingFile.class,
            description = "LongGenBench JSONL, e.g. gsm8k_30.jsonl")
    Path data;

    @Option(names = "--policy", paramLabel = "SPEC", required = true, converter = OptionTypes.PolicySpecText.class,
            description = "cache policy, once per policy (repeatable), e.g. prefill=full or "
                    + "prefill=snapkv(P=2048),decoding=slide(W=512,R=256)")
    List<String> policies;

    @Option(names = "--examples", paramLabel = "N", converter = OptionTypes.Positive.class,
            description = "run only the first N examples (default: all)")
    Integer examples;

    @Option(names = "--max-new-tokens", paramLabel = "T", converter = OptionTypes.Positive.class,
            description = "tokens per response (default: 4096 for 30 questions, else 7950)")
    Integer maxNewTokens;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "results/longgenbench",
            description = "results directory (default: ${DEFAULT-VALUE})")
    Path outDir;

    @Option(names = "--prompt-format", paramLabel = "FORMAT", defaultValue = "llama3",
            converter = OptionTypes.PromptFormats.class, completionCandidates = OptionTypes.PromptFormats.class,
            description = "how the instruction is joined to the prompt: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    PromptFormat format;

    @Option(names = "--attention", paramLabel = "PATH", defaultValue = "engine", converter = OptionTypes.AttentionPaths.class,
            completionCandidates = OptionTypes.AttentionPaths.class,
            description = "engine: the engine's attention loop + observe; cache: KvCache.attend (default: ${DEFAULT-VALUE})")
    AttentionPath path;

    @Option(names = "--threads", paramLabel = "N", converter = OptionTypes.Positive.class,
            description = "threads of the engine's matrix products, and of ND4J (default: the available processors)")
    Integer threads;

    @Mixin
    ForceOption force;

    private final PrintStream out;

    LongGenBenchCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws UsageException, IOException {
        Set<String> seen = new HashSet<>();
        for (String policy : policies) {
            // two specs that parse to the same policy would write into one results directory
            String canonical = PolicySpec.parse(policy).describe();
            if (!seen.add(canonical) | !seen.add("dir:" + LongGenBenchRunner.directoryName(policy))) {
                throw new UsageException("--policy " + policy + " is given twice (as " + canonical + "); each policy "
                        + "runs once into its own directory");
            }
        }
        Request request = new Request(model, data, policies, examples == null ? 0 : examples,
                maxNewTokens == null ? 0 : maxNewTokens, format, path, outDir,
                threads == null ? LlamaModel.defaultThreads() : threads);
        try (OutputDirectory output = force.open(request.out())) {
            return execute(request, output, out);
        }
    }

    /** A validated command line; {@code examples} and {@code maxNewTokens} are 0 when not given. */
    private record Request(Path model, Path data, List<String> policies, int examples, int maxNewTokens,
            PromptFormat format, AttentionPath path, Path out, int threads) {
    }

    private static int execute(Request request, OutputDirectory output, PrintStream out) throws IOException {
        Path data = request.data();
        Path dir = output.staging();
        List<LongGenBenchExample> examples = LongGenBenchExample.load(data);
        LongGenBenchTask task = LongGenBenchTask.ofFileName(data.getFileName().toString());
        if (request.examples() > 0 && request.examples() < examples.size()) {
            examples = examples.subList(0, request.examples());
        }
        int questions = examples.get(0).answers().size();
        int maxNew = request.maxNewTokens() > 0 ? request.maxNewTokens() : questions == 30 ? 4096 : 7950;
        LlamaModel model;
        Tokenizer tokenizer;
        Set<Integer> stops = new HashSet<>();
        try (GgufFile gguf = GgufFile.open(request.model())) {
            tokenizer = Tokenizer.fromGguf(gguf);
            stops.add(tokenizer.eosId());
            if (gguf.has("tokenizer.ggml.eot_token_id")) {
                stops.add(gguf.getInt("tokenizer.ggml.eot_token_id"));
            }
            stops.remove(-1);
            model = LlamaModel.load(gguf, request.threads());
        }
        Commands.nd4jThreads(request.threads());
        if (tokenizer.vocabulary().size() != model.config().vocabSize()) {
            model.close();
            throw new IllegalArgumentException("tokenizer has " + tokenizer.vocabulary().size()
                    + " tokens but the model's embedding has " + model.config().vocabSize() + " rows");
        }
        try (model) {
            LongGenBenchRunner.Settings settings = new LongGenBenchRunner.Settings(maxNew, request.format(),
                    request.path(), stops);
            StringBuilder summary = new StringBuilder("policy\ttask\texamples\tscore\tgenerated_tokens\tdecode_tok_s\tpeak_live_bytes\n");
            out.print(summary);
            for (String policy : request.policies()) {
                LongGenBenchRunner.PolicyResult r = LongGenBenchRunner.run(model, tokenizer, task, examples, policy, settings, dir);
                String row = String.format(Locale.ROOT, "%s\t%s\t%d\t%.4f\t%d\t%.2f\t%d", policy,
                        task.name().toLowerCase(Locale.ROOT), r.examples(), r.score(), r.generatedTokens(),
                        r.decodeTokensPerSecond(), r.peakLiveBytes());
                summary.append(row).append('\n');
                out.println(row);
            }
            Files.writeString(dir.resolve("summary.tsv"), summary, StandardCharsets.UTF_8);
            out.println("results in " + output.commit());
        }
        return Commands.OK;
    }
}
