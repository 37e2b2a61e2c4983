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
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code scope-bench longgenbench}: runs LongGenBench on a GGUF model under each policy and writes
 * one results directory per policy plus {@code summary.tsv}.
 */
public final class LongGenBenchCommand {

    private LongGenBenchCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options options = new Options("longgenbench", "Runs LongGenBench (GSM8K, MMLU or CSQA, told by the data file's "
                + "name) on a llama or qwen2\nGGUF model with greedy decoding, once per cache policy, and scores the "
                + "answers with the\npaper's positional scorer. Writes one results directory per policy and summary.tsv "
                + "to DIR.")
                .option("model", "FILE", "GGUF model, required (F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1 or K-quant Q2_K-Q6_K tensors)", null)
                .option("data", "FILE", "LongGenBench JSONL, required, e.g. gsm8k_30.jsonl", null)
                .repeatable("policy", "SPEC", "cache policy, e.g. prefill=full or "
                        + "prefill=snapkv(P=2048),decoding=slide(W=512,R=256); required, once per policy")
                .option("examples", "N", "run only the first N examples (default: all)", null)
                .option("max-new-tokens", "T", "tokens per response (default: 4096 for 30 questions, else 7950)", null)
                .option("out", "DIR", "results directory", "results/longgenbench")
                .option("prompt-format", "FORMAT", "how the instruction is joined to the prompt: llama3, llama2 or plain",
                        "llama3")
                .option("attention", "PATH", "engine: own attention loop + observe; cache: KvCache.attend", "engine")
                .option("threads", "N", "threads of the engine's matrix products, and of ND4J (default: the available "
                        + "processors)", null);
        Commands.declareForce(options);
        return Commands.execute("longgenbench", options, args, out, err, parsed -> {
            Path model = file(parsed, "model");
            Path data = file(parsed, "data");
            List<String> policies = parsed.getAll("policy");
            if (policies.isEmpty()) {
                throw new UsageException("missing required option --policy SPEC");
            }
            Set<String> seen = new HashSet<>();
            for (String policy : policies) {
                // two specs that parse to the same policy would write into one results directory
                String canonical;
                try {
                    canonical = PolicySpec.parse(policy).describe();
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--policy: " + e.getMessage());
                }
                if (!seen.add(canonical) | !seen.add("dir:" + LongGenBenchRunner.directoryName(policy))) {
                    throw new UsageException("--policy " + policy + " is given twice (as " + canonical + "); each policy "
                            + "runs once into its own directory");
                }
            }
            Request request = new Request(model, data, policies, positive(parsed, "examples"),
                    positive(parsed, "max-new-tokens"), choice(parsed, "prompt-format", PromptFormat.values()),
                    choice(parsed, "attention", AttentionPath.values()), Path.of(parsed.get("out")),
                    parsed.has("threads") ? positive(parsed, "threads") : LlamaModel.defaultThreads());
            try (OutputDirectory output = Commands.output(parsed, request.out())) {
                return execute(request, output, out);
            }
        });
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
        return 0;
    }

    private static Path file(Options.Parsed parsed, String name) throws UsageException {
        Path file = Path.of(parsed.require(name));
        if (!Files.isRegularFile(file)) {
            throw new UsageException(name + " file not found: " + file);
        }
        return file;
    }

    /** A positive value, or 0 when the option is absent. */
    private static int positive(Options.Parsed parsed, String name) throws UsageException {
        int n = parsed.getInt(name, 0);
        if (!parsed.has(name) || n > 0) {
            return n;
        }
        throw new UsageException("--" + name + " must be a positive integer, was '" + parsed.get(name) + "'");
    }

    private static <E extends Enum<E>> E choice(Options.Parsed parsed, String name, E[] values) throws UsageException {
        String value = parsed.get(name);
        for (E e : values) {
            if (e.name().equalsIgnoreCase(value)) {
                return e;
            }
        }
        throw new UsageException("--" + name + " must be one of " + Arrays.toString(values).toLowerCase(Locale.ROOT)
                + ", was '" + value + "'");
    }
}
