package io.scopekv.bench.jmh;

import io.scopekv.bench.engine.AttentionPath;
import io.scopekv.bench.engine.LlamaConfig;
import io.scopekv.bench.engine.LlamaModel;
import io.scopekv.bench.engine.LlamaSession;
import io.scopekv.bench.engine.RandomModel;
import io.scopekv.bench.gguf.GgmlType;
import io.scopekv.bench.gguf.GgufValue;
import io.scopekv.bench.gguf.GgufWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decode tokens/s of the GGUF engine per weight type, as a ratio to the read-bandwidth limit
 * measured in the same run: {@code tokens/s x bytes read per token / read bandwidth}, where the bytes
 * are the encoded weights one step reads ({@link LlamaModel#weightBytesPerToken()}) plus the kept
 * float32 keys and values, and the bandwidth is a Vector API sum over a 128 MiB heap array on one
 * thread, measured right before each timed window. Also reports resident memory (RSS) and used heap
 * after load.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp scope-bench.jar io.scopekv.bench.jmh.EngineThroughput \
 *     types [threads] [attention] [marks=1024,4096,8192] [TYPE ...]
 *                                              random 4-layer dim-512 model (8/2 heads, ffn 1536, vocab 4096) per
 *                                              type (default F32 F16 Q8_0 Q4_0 Q4_K Q6_K; Q4_K is Q4_K_M-like,
 *                                              Q6_K down-projection and output) at 1K, 4K and 8K of context
 *     files [threads] [attention] FILE ...     every GGUF file: memory after load, then decode speed at 256 of context
 *     write8b FILE [TYPE]                      writes an 8B-shaped random model (32 layers, dim 4096, 32/8 heads,
 *                                              ffn 14336, vocab 128256; Q4_K_M-like by default, about 4.9 GB)
 *     run8b FILE [threads] [tokens]            memory after load and decode speed of that file
 * </pre>
 * Use a fresh JVM per mode so that one mode's garbage does not count in the next one's RSS.
 */
public final class EngineThroughput {
    private static final Logger LOG = LoggerFactory.getLogger(EngineThroughput.class);
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int PROMPT = 64;
    private static final int WINDOW = 128;
    private static float[] probe;

    private EngineThroughput() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: EngineThroughput types|files|write8b|run8b ... (see the class Javadoc)");
        }
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        switch (args[0]) {
            case "types" -> types(threads(rest, 1), attention(rest), marks(rest), rest);
            case "files" -> files(threads(rest, 1), attention(rest), rest);
            case "write8b" -> write8b(Path.of(rest.get(0)), rest.size() > 1 ? GgmlType.valueOf(rest.get(1)) : GgmlType.Q4_K);
            case "run8b" -> run8b(Path.of(rest.get(0)), rest.size() > 1 ? Integer.parseInt(rest.get(1)) : 2,
                    rest.size() > 2 ? Integer.parseInt(rest.get(2)) : 200);
            default -> throw new IllegalArgumentException("unknown mode " + args[0] + "; modes: types, files, write8b, run8b");
        }
    }

    private static int threads(List<String> rest, int fallback) {
        if (!rest.isEmpty() && rest.get(0).matches("\\d+")) {
            return Integer.parseInt(rest.remove(0));
        }
        return fallback;
    }

    private static AttentionPath attention(List<String> rest) {
        if (!rest.isEmpty() && (rest.get(0).equals("cache") || rest.get(0).equals("engine"))) {
            return AttentionPath.valueOf(rest.remove(0).toUpperCase(Locale.ROOT));
        }
        return AttentionPath.CACHE;
    }

    /** An optional {@code marks=1024,4096} argument: the contexts to time; 1K, 4K and 8K by default. */
    private static int[] marks(List<String> rest) {
        if (!rest.isEmpty() && rest.get(0).startsWith("marks=")) {
            return java.util.Arrays.stream(rest.remove(0).substring(6).split(",")).mapToInt(Integer::parseInt).toArray();
        }
        return new int[] {1024, 4096, 8192};
    }

    private static void types(int threads, AttentionPath path, int[] marks, List<String> names) throws IOException {
        List<GgmlType> types = new ArrayList<>();
        for (String n : names.isEmpty() ? List.of("F32", "F16", "Q8_0", "Q4_0", "Q4_K", "Q6_K") : names) {
            types.add(GgmlType.valueOf(n));
        }
        Path dir = Files.createTempDirectory("scope-engine");
        try {
            for (GgmlType type : types) {
                Path file = RandomModel.llama(8, 2, type).withShape(512, 4, 8, 2, 1536, 4096, marks[marks.length - 1] + PROMPT).write(dir);
                try (LlamaModel model = LlamaModel.load(file, threads)) {
                    String memory = memory();
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-5s %6.1f MB weights/token, %s;",
                            type == GgmlType.Q4_K ? "Q4_K_M" : type, model.weightBytesPerToken() / 1e6, memory));
                    for (double[] m : decode(model, path, marks)) {
                        line.append(String.format(Locale.ROOT, "  %5.0f: %6.1f tok/s %5.1f GB/s read, %4.0f%% of limit",
                                m[0], m[1], m[2], 100 * m[3]));
                    }
                    LOG.info("{} threads, {}: {}", threads, path, line);
                } finally {
                    Files.deleteIfExists(file);
                }
            }
        } finally {
            Files.deleteIfExists(dir);
        }
    }

    private static void files(int threads, AttentionPath path, List<String> files) throws IOException {
        for (String f : files) {
            Path file = Path.of(f);
            try (LlamaModel model = LlamaModel.load(file, threads)) {
                String memory = memory();
                int mark = Math.min(256, model.config().contextLength());
                double[] m = decode(model, path, new int[] {mark}).get(0);
                LOG.info(String.format(Locale.ROOT, "%s (%.2f MB file): %s; %.2f MB weights/token; at %d: %.1f tok/s, "
                                + "%.1f GB/s read, %.0f%% of limit", file.getFileName(), Files.size(file) / 1e6, memory,
                        model.weightBytesPerToken() / 1e6, mark, m[1], m[2], 100 * m[3]));
            }
        }
    }

    /**
     * Decodes random tokens after a short prompt up to the largest mark; per mark: {context, tokens/s
     * over the window ending there, read GB/s measured before the window, ratio to the limit}.
     */
    private static List<double[]> decode(LlamaModel model, AttentionPath path, int[] marks) {
        LlamaConfig c = model.config();
        SplittableRandom random = new SplittableRandom(5);
        int prompt = Math.min(PROMPT, marks[0] / 2);
        int window = Math.min(WINDOW, marks[0] / 4);
        int[] tokens = random.ints(prompt, 0, c.vocabSize()).toArray();
        List<double[]> out = new ArrayList<>();
        // one warm-up session (and probe) so the timed windows run compiled code
        warmBandwidthProbe();
        try (LlamaSession warm = LlamaSession.open(model, "prefill=full", path)) {
            warm.prefill(tokens);
            for (int i = 0; i < Math.min(200, marks[0] - prompt - 1); i++) {
                warm.decode(random.nextInt(c.vocabSize()));
            }
        }
        try (LlamaSession session = LlamaSession.open(model, "prefill=full", path)) {
            session.prefill(tokens);
            int m = 0;
            long start = 0;
            double bandwidth = 0;
            for (int context = prompt + 1; m < marks.length; context++) {
                if (context == marks[m] - window + 1) {
                    bandwidth = readBandwidth();
                    start = System.nanoTime();
                }
                session.decode(random.nextInt(c.vocabSize()));
                if (context == marks[m]) {
                    double rate = window / ((System.nanoTime() - start) / 1e9);
                    long kv = 2L * c.layers() * c.kvHeads() * c.headDim() * Float.BYTES * context;
                    double bytes = model.weightBytesPerToken() + kv;
                    out.add(new double[] {context, rate, bandwidth / 1e9, rate * bytes / bandwidth});
                    m++;
                }
            }
        }
        return out;
    }

    /**
     * Runs the probe until its loop is compiled: a first call, partly interpreted, measured a third
     * of the compiled speed and put the first type's ratio to the limit far above 100%.
     */
    private static void warmBandwidthProbe() {
        for (int i = 0; i < 4; i++) {
            readBandwidth();
        }
    }

    /** Bytes per second of a one-thread Vector API sum over 128 MiB (best of three). */
    static double readBandwidth() {
        if (probe == null) {
            probe = new float[32 << 20];
            java.util.Arrays.fill(probe, 1f);
        }
        int lanes = F.length();
        double best = 0;
        float total = 0;
        for (int rep = 0; rep < 3; rep++) {
            long t0 = System.nanoTime();
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            for (int i = 0; i < probe.length; i += 4 * lanes) {
                a0 = a0.add(FloatVector.fromArray(F, probe, i));
                a1 = a1.add(FloatVector.fromArray(F, probe, i + lanes));
                a2 = a2.add(FloatVector.fromArray(F, probe, i + 2 * lanes));
                a3 = a3.add(FloatVector.fromArray(F, probe, i + 3 * lanes));
            }
            total += a0.add(a1).add(a2).add(a3).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
            best = Math.max(best, probe.length * (double) Float.BYTES / ((System.nanoTime() - t0) / 1e9));
        }
        if (total != 3f * probe.length) {
            throw new IllegalStateException("bandwidth probe summed " + total);
        }
        return best;
    }

    /** RSS (from /proc/self/status) and used heap after a collection. */
    static String memory() throws IOException {
        System.gc();
        Runtime r = Runtime.getRuntime();
        long heap = r.totalMemory() - r.freeMemory();
        long rssKb = -1;
        Path status = Path.of("/proc/self/status");
        if (Files.isReadable(status)) {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    rssKb = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        }
        return String.format(Locale.ROOT, "RSS %.0f MB, heap %.0f MB after load", rssKb / 1024.0, heap / 1e6);
    }

    private static void write8b(Path file, GgmlType type) throws IOException {
        if (Files.exists(file)) {
            throw new IllegalArgumentException(file + " exists; refusing to overwrite it");
        }
        int dim = 4096;
        int layers = 32;
        int heads = 32;
        int kvHeads = 8;
        int ffn = 14336;
        int vocab = 128256;
        int hd = dim / heads;
        GgufWriter w = new GgufWriter()
                .put("general.architecture", GgufValue.string("llama"))
                .put("llama.block_count", GgufValue.uint32(layers))
                .put("llama.embedding_length", GgufValue.uint32(dim))
                .put("llama.feed_forward_length", GgufValue.uint32(ffn))
                .put("llama.attention.head_count", GgufValue.uint32(heads))
                .put("llama.attention.head_count_kv", GgufValue.uint32(kvHeads))
                .put("llama.context_length", GgufValue.uint32(8192))
                .put("llama.rope.freq_base", GgufValue.float32(500000f))
                .put("llama.attention.layer_norm_rms_epsilon", GgufValue.float32(1e-5f));
        Random r = new Random(8);
        matrix(w, "token_embd.weight", type, dim, vocab, r);
        for (int l = 0; l < layers; l++) {
            String p = "blk." + l + ".";
            w.tensor(p + "attn_norm.weight", GgmlType.F32, new long[] {dim}, ones(dim));
            matrix(w, p + "attn_q.weight", type, dim, heads * hd, r);
            matrix(w, p + "attn_k.weight", type, dim, kvHeads * hd, r);
            matrix(w, p + "attn_v.weight", type == GgmlType.Q4_K ? GgmlType.Q6_K : type, dim, kvHeads * hd, r);
            matrix(w, p + "attn_output.weight", type, heads * hd, dim, r);
            w.tensor(p + "ffn_norm.weight", GgmlType.F32, new long[] {dim}, ones(dim));
            matrix(w, p + "ffn_gate.weight", type, dim, ffn, r);
            matrix(w, p + "ffn_up.weight", type, dim, ffn, r);
            matrix(w, p + "ffn_down.weight", type == GgmlType.Q4_K ? GgmlType.Q6_K : type, ffn, dim, r);
        }
        w.tensor("output_norm.weight", GgmlType.F32, new long[] {dim}, ones(dim));
        matrix(w, "output.weight", type == GgmlType.Q4_K ? GgmlType.Q6_K : type, dim, vocab, r);
        Path tmp = file.resolveSibling(file.getFileName() + ".partial");
        w.write(tmp);
        Files.move(tmp, file);
        LOG.info("wrote {} ({} MB)", file, Files.size(file) / 1_000_000);
    }

    /** A matrix of random blocks, produced 64 rows at a time while the file is written. */
    private static void matrix(GgufWriter w, String name, GgmlType type, int cols, int rows, Random r) {
        w.streamedTensor(name, type, new long[] {cols, rows}, out -> {
            OutputStream buffered = new BufferedOutputStream(out, 1 << 20);
            for (int r0 = 0; r0 < rows; r0 += 64) {
                int n = Math.min(64, rows - r0);
                buffered.write(RandomModel.randomBlocks(type, n * cols, 1 / Math.sqrt(cols), r));
            }
            buffered.flush();
        });
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return v;
    }

    private static void run8b(Path file, int threads, int tokens) throws IOException {
        long t0 = System.nanoTime();
        try (LlamaModel model = LlamaModel.load(file, threads)) {
            LOG.info("loaded in {} ms; {}", (System.nanoTime() - t0) / 1_000_000, memory());
            LlamaConfig c = model.config();
            SplittableRandom random = new SplittableRandom(3);
            int[] prompt = random.ints(3, 0, c.vocabSize()).toArray();
            try (LlamaSession session = LlamaSession.open(model, "prefill=full", AttentionPath.CACHE)) {
                session.prefill(prompt);
                int warm = Math.min(10, tokens / 4);
                for (int i = 0; i < warm; i++) {
                    session.decode(random.nextInt(c.vocabSize()));
                }
                warmBandwidthProbe();
                double bandwidth = readBandwidth();
                long start = System.nanoTime();
                for (int i = warm; i < tokens; i++) {
                    session.decode(random.nextInt(c.vocabSize()));
                    if ((i - warm + 1) % 25 == 0) {
                        LOG.info(String.format(Locale.ROOT, "%d tokens decoded, %.3f tok/s so far; %s", i + 1,
                                (i - warm + 1) / ((System.nanoTime() - start) / 1e9), memory()));
                    }
                }
                double rate = (tokens - warm) / ((System.nanoTime() - start) / 1e9);
                long kv = 2L * c.layers() * c.kvHeads() * c.headDim() * Float.BYTES * session.position();
                double bytes = model.weightBytesPerToken() + kv;
                LOG.info(String.format(Locale.ROOT, "%s: %d threads, %d tokens decoded, %.3f tok/s, %.0f MB read per token, "
                                + "1-thread read bandwidth %.1f GB/s, %.0f%% of the 1-thread limit; %s", file.getFileName(),
                        threads, tokens, rate, bytes / 1e6, bandwidth / 1e9, 100 * rate * bytes / bandwidth, memory()));
            }
        }
    }
}
