package io.scopekv.bench.longgenbench;

import io.scopekv.bench.engine.AttentionPath;
import io.scopekv.bench.engine.LlamaModel;
import io.scopekv.bench.gguf.GgufFile;
import io.scopekv.bench.tokenizer.Tokenizer;
import io.scopekv.policy.PolicySpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code longgenbench --model FILE.gguf --data FILE.jsonl --policy SPEC [--policy SPEC ...]
 * [--examples N] [--max-new-tokens T] [--out DIR]}: runs LongGenBench on a GGUF model under each
 * policy and writes one results directory per policy plus {@code summary.tsv}.
 */
public final class LongGenBenchCommand {

    static final String USAGE = """
            usage: longgenbench --model FILE.gguf --data FILE.jsonl --policy SPEC [--policy SPEC ...]
                                [--examples N] [--max-new-tokens T] [--out DIR]
                                [--prompt-format llama3|llama2|plain] [--attention engine|cache]

            Runs LongGenBench (GSM8K, MMLU or CSQA, told by the data file's name) on a llama or qwen2
            GGUF model with greedy decoding, once per cache policy, and scores the answers with the
            paper's positional scorer.

              --model FILE          GGUF model (F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K tensors)
              --data FILE           LongGenBench JSONL, e.g. gsm8k_30.jsonl
              --policy SPEC         cache policy, repeatable, e.g. prefill=full or
                                    prefill=snapkv(P=2048),decoding=slide(W=512,R=256)
              --examples N          run only the first N examples (default: all)
              --max-new-tokens T    tokens per response (default: 4096 for 30 questions, else 7950)
              --out DIR             results directory (default: results/longgenbench)
              --prompt-format F     how the instruction is joined to the prompt (default: llama3)
              --attention A         engine: own attention loop + observe; cache: KvCache.attend (default: engine)
              --help                this text
            """;

    private LongGenBenchCommand() {
    }

    /** Runs the command; returns 0 on success, 1 when the run fails, 2 for a usage error. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Arguments a;
        try {
            a = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("longgenbench: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        if (a.help) {
            out.print(USAGE);
            return 0;
        }
        try {
            return execute(a, out);
        } catch (IllegalArgumentException | IllegalStateException | IOException e) {
            err.println("longgenbench: " + e.getMessage());
            return 1;
        }
    }

    private static int execute(Arguments a, PrintStream out) throws IOException {
        List<LongGenBenchExample> examples = LongGenBenchExample.load(a.data);
        LongGenBenchTask task = LongGenBenchTask.ofFileName(a.data.getFileName().toString());
        if (a.examples > 0 && a.examples < examples.size()) {
            examples = examples.subList(0, a.examples);
        }
        int questions = examples.get(0).answers().size();
        int maxNew = a.maxNewTokens > 0 ? a.maxNewTokens : questions == 30 ? 4096 : 7950;
        LlamaModel model;
        Tokenizer tokenizer;
        Set<Integer> stops = new HashSet<>();
        try (GgufFile gguf = GgufFile.open(a.model)) {
            tokenizer = Tokenizer.fromGguf(gguf);
            stops.add(tokenizer.eosId());
            if (gguf.has("tokenizer.ggml.eot_token_id")) {
                stops.add(gguf.getInt("tokenizer.ggml.eot_token_id"));
            }
            stops.remove(-1);
            model = LlamaModel.load(gguf);
        }
        if (tokenizer.vocabulary().size() != model.config().vocabSize()) {
            model.close();
            throw new IllegalArgumentException("tokenizer has " + tokenizer.vocabulary().size()
                    + " tokens but the model's embedding has " + model.config().vocabSize() + " rows");
        }
        try (model) {
            LongGenBenchRunner.Settings settings = new LongGenBenchRunner.Settings(maxNew, a.format, a.path, stops);
            Files.createDirectories(a.out);
            StringBuilder summary = new StringBuilder("policy\ttask\texamples\tscore\tgenerated_tokens\tdecode_tok_s\tpeak_live_bytes\n");
            for (String policy : a.policies) {
                LongGenBenchRunner.PolicyResult r = LongGenBenchRunner.run(model, tokenizer, task, examples, policy, settings, a.out);
                String row = String.format(Locale.ROOT, "%s\t%s\t%d\t%.4f\t%d\t%.2f\t%d", policy,
                        task.name().toLowerCase(Locale.ROOT), r.examples(), r.score(), r.generatedTokens(),
                        r.decodeTokensPerSecond(), r.peakLiveBytes());
                summary.append(row).append('\n');
                out.println(row);
            }
            Files.writeString(a.out.resolve("summary.tsv"), summary, StandardCharsets.UTF_8);
            out.println("results in " + a.out);
        }
        return 0;
    }

    /** Parsed and validated command-line arguments. */
    private static final class Arguments {
        Path model;
        Path data;
        final List<String> policies = new ArrayList<>();
        int examples;
        int maxNewTokens;
        Path out = Path.of("results", "longgenbench");
        PromptFormat format = PromptFormat.LLAMA3;
        AttentionPath path = AttentionPath.ENGINE;
        boolean help;

        static Arguments parse(String[] args) {
            Arguments a = new Arguments();
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (flag.equals("--help") || flag.equals("-h")) {
                    a.help = true;
                    return a;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + flag + " needs a value");
                }
                String value = args[++i];
                switch (flag) {
                    case "--model" -> a.model = Path.of(value);
                    case "--data" -> a.data = Path.of(value);
                    case "--policy" -> {
                        PolicySpec.parse(value);
                        a.policies.add(value);
                    }
                    case "--examples" -> a.examples = positive(flag, value);
                    case "--max-new-tokens" -> a.maxNewTokens = positive(flag, value);
                    case "--out" -> a.out = Path.of(value);
                    case "--prompt-format" -> a.format = choice(flag, value, PromptFormat.values());
                    case "--attention" -> a.path = choice(flag, value, AttentionPath.values());
                    default -> throw new IllegalArgumentException("unknown option " + flag);
                }
            }
            if (a.model == null || a.data == null || a.policies.isEmpty()) {
                throw new IllegalArgumentException("--model, --data and at least one --policy are required");
            }
            if (!Files.isRegularFile(a.model)) {
                throw new IllegalArgumentException("model file not found: " + a.model);
            }
            if (!Files.isRegularFile(a.data)) {
                throw new IllegalArgumentException("data file not found: " + a.data);
            }
            return a;
        }

        private static int positive(String flag, String value) {
            try {
                int n = Integer.parseInt(value);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below with the rule
            }
            throw new IllegalArgumentException(flag + " must be a positive integer, was '" + value + "'");
        }

        private static <E extends Enum<E>> E choice(String flag, String value, E[] values) {
            for (E e : values) {
                if (e.name().equalsIgnoreCase(value)) {
                    return e;
                }
            }
            throw new IllegalArgumentException(flag + " must be one of " + Arrays.toString(values).toLowerCase(Locale.ROOT)
                    + ", was '" + value + "'");
        }
    }
}
