package io.scopekv.bench.fuzz;

import io.scopekv.KvCache;
import io.scopekv.CacheLayout;
import io.scopekv.PolicySpec;
import io.scopekv.bench.gguf.GgmlType;
import io.scopekv.bench.gguf.GgufFile;
import io.scopekv.bench.gguf.GgufTensorInfo;
import io.scopekv.bench.gguf.GgufValue;
import io.scopekv.bench.gguf.GgufWriter;
import io.scopekv.bench.io.JsonFormat;
import io.scopekv.bench.io.NpyWriter;
import io.scopekv.bench.trace.TraceReader;
import io.scopekv.bench.train.Checkpoint;
import io.scopekv.bench.train.ModelConfig;
import io.scopekv.bench.train.TaskConfig;
import io.scopekv.bench.train.TrainConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Damaged GGUF files, traces (meta.json and .npy), checkpoints and policy specs: each reader
 * returns or refuses with its own exception and a message. See {@link Mutations} for the rule and
 * the long run.
 */
class ReaderFuzzTest {
    private static Path dir;
    private static byte[] gguf;
    private static byte[] meta;
    private static byte[] npy;
    private static byte[] checkpoint;

    @BeforeContainer
    static void validInputs() throws IOException {
        dir = Files.createTempDirectory("scope-kv-fuzz");
        Path file = dir.resolve("valid.gguf");
        float[] values = new float[64];
        for (int i = 0; i < values.length; i++) {
            values[i] = i / 7f;
        }
        new GgufWriter()
                .put("general.architecture", GgufValue.string("llama"))
                .put("llama.block_count", GgufValue.uint32(1))
                .put("tokenizer.ggml.tokens", GgufValue.array(io.scopekv.bench.gguf.GgufValueType.STRING,
                        new String[] {"a", "b", "c"}))
                .tensor("a.weight", GgmlType.F32, new long[] {8, 8}, values)
                .tensor("b.weight", GgmlType.F16, new long[] {32, 2}, values)
                .tensor("c.weight", GgmlType.Q8_0, new long[] {64}, values)
                .write(file);
        gguf = Files.readAllBytes(file);

        Path trace = Files.createDirectories(dir.resolve("trace"));
        int tokens = 6;
        meta = JsonFormat.pretty(Map.of("layers", 1, "queryHeads", 2, "kvHeads", 1, "headDim", 4, "promptTokens", 4,
                "decodeSteps", 2, "maxNewTokens", 2)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.write(trace.resolve("meta.json"), meta);
        NpyWriter.write(trace.resolve("q.npy"), new float[tokens * 2 * 4], tokens, 1, 2, 4);
        NpyWriter.write(trace.resolve("k.npy"), new float[tokens * 4], tokens, 1, 1, 4);
        NpyWriter.write(trace.resolve("v.npy"), new float[tokens * 4], tokens, 1, 1, 4);
        npy = Files.readAllBytes(trace.resolve("k.npy"));

        Path cp = dir.resolve("checkpoint.bin");
        TrainConfig config = new TrainConfig(ModelConfig.of(16, 1, 2, 1, 48, 64), new TaskConfig(3, 3, 1), 1, 10, 2, 1e-3f,
                1, 0f, 1f, 1, 5, 2, 1);
        new Checkpoint(config, 0, 0, new float[40], new float[40], new float[40],
                List.of(new io.scopekv.bench.train.EvalPoint(5, 1, 2, 3, 0.5, 0.5))).write(cp);
        checkpoint = Files.readAllBytes(cp);
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Property(tries = 300)
    void damagedGgufFiles(@ForAll long seed) throws IOException {
        for (int round = 0; round < Mutations.ROUNDS; round++) {
            Path file = Files.write(dir.resolve("fuzz.gguf"), Mutations.mutate(gguf, seed + round));
            Mutations.check("GgufFile " + seed, () -> {
                try (GgufFile g = GgufFile.open(file)) {
                    for (GgufTensorInfo t : g.tensors().values()) {
                        g.dequantize(t.name());
                    }
                    g.metadata().values().forEach(String::valueOf);
                }
                return null;
            }, IllegalArgumentException.class, IOException.class, UncheckedIOException.class);
        }
    }

    @Property(tries = 300)
    void damagedTraces(@ForAll long seed) throws IOException {
        Path trace = dir.resolve("trace");
        for (int round = 0; round < Mutations.ROUNDS; round++) {
            boolean damageMeta = new SplittableRandom(seed + round).nextBoolean();
            Files.write(trace.resolve("meta.json"), damageMeta ? Mutations.mutate(meta, seed + round) : meta);
            Files.write(trace.resolve("k.npy"), damageMeta ? npy : Mutations.mutate(npy, seed + round));
            Mutations.check("TraceReader " + seed, () -> {
                try (TraceReader reader = TraceReader.open(trace)) {
                    CacheLayout layout = reader.layout();
                    float[] q = new float[layout.queryHeads() * layout.headDim()];
                    float[] k = new float[layout.kvHeads() * layout.headDim()];
                    float[] v = new float[k.length];
                    for (int t = 0; t < reader.promptTokens() + reader.decodeSteps(); t++) {
                        for (int l = 0; l < layout.layers(); l++) {
                            reader.next(l, q, k, v);
                        }
                    }
                }
                return null;
            }, IllegalArgumentException.class, IOException.class, UncheckedIOException.class);
        }
        Files.write(trace.resolve("meta.json"), meta);
        Files.write(trace.resolve("k.npy"), npy);
    }

    @Property(tries = 300)
    void damagedCheckpoints(@ForAll long seed) throws IOException {
        for (int round = 0; round < Mutations.ROUNDS; round++) {
            Path file = Files.write(dir.resolve("fuzz.bin"), Mutations.mutate(checkpoint, seed + round));
            Mutations.check("Checkpoint " + seed, () -> Checkpoint.read(file), IOException.class);
        }
    }

    private static final List<String> VALID_SPECS = List.of(
            "prefill=snapkv(P=2048,w=8,kernel=7),decoding=slide(W=512,R=256)",
            "prefill=full,decoding=discontinuous(W=64,R=32,T=256),scorer=cumulative",
            "prefill=pyramidkv(P=30,w=8,beta=20,kernel=7),decoding=h2o(W=16,R=8),gqa=replicate",
            "decoding=adaptive(W=16,R=4,T=64)", "prefill=streamingllm(P=12,sink=4),decoding=streamingllm(W=8,R=2)");
    private static final String ALPHABET = "=(),.-+0123456789 WRTPwsinkbetaprefilldecodingscorergqa\u00a0\uFF13";

    @Property(tries = 300)
    void damagedPolicySpecs(@ForAll long seed) {
        CacheLayout layout = CacheLayout.of(1, 2, 1, 4);
        for (int round = 0; round < Mutations.ROUNDS; round++) {
            SplittableRandom random = new SplittableRandom(seed + round);
            StringBuilder spec = new StringBuilder(VALID_SPECS.get(random.nextInt(VALID_SPECS.size())));
            for (int edits = 1 + random.nextInt(4); edits > 0; edits--) {
                int at = random.nextInt(spec.length() + 1);
                switch (random.nextInt(3)) {
                    case 0 -> spec.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                    case 1 -> spec.insert(at, random.nextBoolean() ? "2147483647" : "-1");
                    default -> {
                        if (at < spec.length()) {
                            spec.deleteCharAt(at);
                        }
                    }
                }
            }
            String text = spec.toString();
            Mutations.check("PolicySpec '" + text + "'", () -> {
                // a policy that parses must also run: a prompt of 8 tokens and 12 decode steps
                try (KvCache cache = KvCache.builder(layout).policy(PolicySpec.parse(text)).build();
                     INDArray k = Nd4j.rand(DataType.FLOAT, 1, 8, 4);
                     INDArray v = Nd4j.rand(DataType.FLOAT, 1, 8, 4);
                     INDArray q = Nd4j.rand(DataType.FLOAT, 2, 8, 4)) {
                    cache.prefill(0, k, v, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, q);
                    float[] out = new float[8];
                    for (int p = 8; p < 20; p++) {
                        cache.append(0, new float[] {p, 1, 0, 1}, new float[] {1, p, 1, 0}, p);
                        cache.attend(0, new float[] {1, 0, 1, 0, 0, 1, 0, 1}, out);
                    }
                    return cache.stats();
                }
            }, IllegalArgumentException.class);
        }
    }
}
