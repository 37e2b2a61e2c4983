package io.scopekv.bench.engine;

import io.scopekv.bench.gguf.GgmlType;
import io.scopekv.bench.gguf.Halfs;
import io.scopekv.bench.gguf.GgufValue;
import io.scopekv.bench.gguf.GgufValueType;
import io.scopekv.bench.gguf.GgufWriter;
import io.scopekv.bench.tokenizer.ByteLevelBpeTokenizer;
import io.scopekv.bench.tokenizer.Vocabulary;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Random;

/**
 * A random-weight Llama-architecture GGUF file, for the engine's tests (tiny shapes) and its
 * throughput measurement (realistic shapes). Deterministic for a seed.
 *
 * @param architecture llama or qwen2
 * @param type         encoding of the projection matrices and the embedding (norms stay F32, as in
 *                     published GGUF files)
 */
public record RandomModel(String architecture, int dim, int layers, int heads, int kvHeads, int ffn, int vocab,
                        boolean biases, boolean tied, GgmlType type, boolean ropeFactors, long seed, int contextLength,
                        boolean byteTokenizer) {

    /** Ids of the control tokens of {@link #withByteTokenizer()}: 256 byte tokens come first. */
    public static final int BOS = 256;
    public static final int EOS = 257;

    public static RandomModel llama(int heads, int kvHeads, GgmlType type) {
        return new RandomModel("llama", 64, 2, heads, kvHeads, 96, 96, false, false, type, false, 11, 256, false);
    }

    /**
     * A byte-level BPE tokenizer without merges: one token per UTF-8 byte, then BOS and EOS, so the
     * vocabulary grows to 258 and the context to 1024 to fit whole prompts.
     */
    public RandomModel withByteTokenizer() {
        return new RandomModel(architecture, dim, layers, heads, kvHeads, ffn, 258, biases, tied, type, ropeFactors, seed,
                1024, true);
    }

    public RandomModel withArchitecture(String other) {
        return new RandomModel(other, dim, layers, heads, kvHeads, ffn, vocab, biases, tied, type, ropeFactors, seed,
                contextLength, byteTokenizer);
    }

    public RandomModel withBiases() {
        return new RandomModel("qwen2", dim, layers, heads, kvHeads, ffn, vocab, true, tied, type, ropeFactors, seed, contextLength, byteTokenizer);
    }

    public RandomModel withTiedOutput() {
        return new RandomModel(architecture, dim, layers, heads, kvHeads, ffn, vocab, biases, true, type, ropeFactors, seed, contextLength, byteTokenizer);
    }

    public RandomModel withRopeFactors() {
        return new RandomModel(architecture, dim, layers, heads, kvHeads, ffn, vocab, biases, tied, type, true, seed, contextLength, byteTokenizer);
    }

    public RandomModel withType(GgmlType other) {
        return new RandomModel(architecture, dim, layers, heads, kvHeads, ffn, vocab, biases, tied, other, ropeFactors, seed, contextLength, byteTokenizer);
    }

    /** The same model with another shape, context length and seed. */
    public RandomModel withShape(int newDim, int newLayers, int newHeads, int newKvHeads, int newFfn, int newVocab,
                                 int newContextLength) {
        return new RandomModel(architecture, newDim, newLayers, newHeads, newKvHeads, newFfn, newVocab, biases, tied, type,
                ropeFactors, seed, newContextLength, byteTokenizer);
    }

    public int headDim() {
        return dim / heads;
    }

    /** Writes the model; the same record always gives the same weights. */
    public Path write(Path dir) throws IOException {
        Random r = new Random(seed);
        String a = architecture;
        int hd = headDim();
        GgufWriter w = new GgufWriter()
                .put("general.architecture", GgufValue.string(a))
                .put(a + ".block_count", GgufValue.uint32(layers))
                .put(a + ".embedding_length", GgufValue.uint32(dim))
                .put(a + ".feed_forward_length", GgufValue.uint32(ffn))
                .put(a + ".attention.head_count", GgufValue.uint32(heads))
                .put(a + ".attention.head_count_kv", GgufValue.uint32(kvHeads))
                .put(a + ".context_length", GgufValue.uint32(contextLength))
                .put(a + ".rope.freq_base", GgufValue.float32(500f))
                .put(a + ".attention.layer_norm_rms_epsilon", GgufValue.float32(1e-5f));
        matrix(w, r, "token_embd.weight", dim, vocab, 1.0);
        for (int l = 0; l < layers; l++) {
            String p = "blk." + l + ".";
            w.tensor(p + "attn_norm.weight", GgmlType.F32, new long[] {dim}, norm(r, dim));
            matrix(w, r, p + "attn_q.weight", dim, heads * hd, 1 / Math.sqrt(dim));
            matrix(w, r, p + "attn_k.weight", dim, kvHeads * hd, 1 / Math.sqrt(dim));
            matrix(w, r, p + "attn_v.weight", dim, kvHeads * hd, 1 / Math.sqrt(dim));
            if (biases) {
                w.tensor(p + "attn_q.bias", GgmlType.F32, new long[] {heads * hd}, gaussian(r, heads * hd, 0.3));
                w.tensor(p + "attn_k.bias", GgmlType.F32, new long[] {kvHeads * hd}, gaussian(r, kvHeads * hd, 0.3));
                w.tensor(p + "attn_v.bias", GgmlType.F32, new long[] {kvHeads * hd}, gaussian(r, kvHeads * hd, 0.3));
            }
            matrix(w, r, p + "attn_output.weight", heads * hd, dim, 1 / Math.sqrt(dim));
            w.tensor(p + "ffn_norm.weight", GgmlType.F32, new long[] {dim}, norm(r, dim));
            matrix(w, r, p + "ffn_gate.weight", dim, ffn, 1 / Math.sqrt(dim));
            matrix(w, r, p + "ffn_up.weight", dim, ffn, 1 / Math.sqrt(dim));
            matrix(w, r, p + "ffn_down.weight", ffn, dim, 1 / Math.sqrt(ffn));
        }
        w.tensor("output_norm.weight", GgmlType.F32, new long[] {dim}, norm(r, dim));
        if (!tied) {
            matrix(w, r, "output.weight", dim, vocab, 1 / Math.sqrt(dim));
        }
        if (ropeFactors) {
            float[] factors = new float[hd / 2];
            for (int i = 0; i < factors.length; i++) {
                factors[i] = 1f + i;
            }
            w.tensor("rope_freqs.weight", GgmlType.F32, new long[] {hd / 2}, factors);
        }
        if (byteTokenizer) {
            String[] tokens = new String[vocab];
            int[] types = new int[vocab];
            for (int b = 0; b < 256; b++) {
                tokens[b] = String.valueOf(ByteLevelBpeTokenizer.byteChar(b));
                types[b] = Vocabulary.NORMAL;
            }
            tokens[BOS] = "<|begin_of_text|>";
            tokens[EOS] = "<|eot_id|>";
            types[BOS] = Vocabulary.CONTROL;
            types[EOS] = Vocabulary.CONTROL;
            w.put("tokenizer.ggml.model", GgufValue.string("gpt2"))
                    .put("tokenizer.ggml.pre", GgufValue.string("llama-bpe"))
                    .put("tokenizer.ggml.tokens", GgufValue.array(GgufValueType.STRING, tokens))
                    .put("tokenizer.ggml.token_type", GgufValue.array(GgufValueType.INT32, types))
                    .put("tokenizer.ggml.merges", GgufValue.array(GgufValueType.STRING, new String[0]))
                    .put("tokenizer.ggml.bos_token_id", GgufValue.uint32(BOS))
                    .put("tokenizer.ggml.eos_token_id", GgufValue.uint32(EOS))
                    .put("tokenizer.ggml.add_bos_token", GgufValue.of(GgufValueType.BOOL, true));
        }
        Path file = dir.resolve(a + "-" + heads + "x" + kvHeads + "-" + type + (biases ? "-bias" : "")
                + (tied ? "-tied" : "") + (ropeFactors ? "-ropef" : "") + ".gguf");
        w.write(file);
        return file;
    }

    /**
     * One weight matrix of {@code rows} rows and {@code cols} columns (ggml dims {@code [cols, rows]}).
     * Types the writer cannot encode get random valid blocks instead; a Q4_K model stores its
     * down-projection and output as Q6_K, as the Q4_K_M downloads do, and rows that the chosen type's
     * blocks do not divide fall back as llama-quantize does (see {@link #quantizeFallback}).
     */
    private void matrix(GgufWriter w, Random r, String name, int cols, int rows, double std) {
        GgmlType t = quantizeFallback(type == GgmlType.Q4_K && (name.contains("ffn_down") || name.equals("output.weight"))
                ? GgmlType.Q6_K : type, cols);
        long[] dims = {cols, rows};
        switch (t) {
            case F32, F16, Q8_0 -> w.tensor(name, t, dims, gaussian(r, cols * rows, std));
            default -> w.rawTensor(name, t, dims, randomBlocks(t, cols * rows, std, r));
        }
    }

    /**
     * The type llama-quantize stores a row of {@code cols} elements in when {@code wanted}'s blocks do
     * not divide it: a K-quant falls back to the 32-element type of similar precision (Q4_K to Q5_0,
     * Q5_K to Q5_1, Q6_K to Q8_0), and a row that even 32 does not divide is stored as F16. This is
     * why a Q4_K_M download of a model 64 wide holds Q5_0, Q8_0 and F16 tensors and no K-quant.
     */
    static GgmlType quantizeFallback(GgmlType wanted, int cols) {
        if (cols % wanted.blockSize() == 0) {
            return wanted;
        }
        GgmlType smaller = switch (wanted) {
            case Q4_K -> GgmlType.Q5_0;
            case Q5_K -> GgmlType.Q5_1;
            case Q6_K -> GgmlType.Q8_0;
            default -> wanted;
        };
        return cols % smaller.blockSize() == 0 ? smaller : GgmlType.F16;
    }

    /** Random blocks of {@code type} whose decoded values have roughly the given spread. */
    public static byte[] randomBlocks(GgmlType type, int n, double std, Random r) {
        ByteBuffer b = ByteBuffer.allocate((int) type.bytesFor(n)).order(ByteOrder.LITTLE_ENDIAN);
        for (int block = 0; block < n / type.blockSize(); block++) {
            switch (type) {
                case BF16 -> b.putShort((short) (Float.floatToIntBits((float) (r.nextGaussian() * std)) >>> 16));
                case Q4_0 -> {
                    b.putShort(Halfs.floatToHalf((float) (std / 4)));
                    randomBytes(b, 16, r);
                }
                case Q4_1 -> {
                    float d = (float) (std / 4);
                    b.putShort(Halfs.floatToHalf(d));
                    b.putShort(Halfs.floatToHalf(-7.5f * d));
                    randomBytes(b, 16, r);
                }
                case Q5_0 -> {
                    b.putShort(Halfs.floatToHalf((float) (std / 8)));
                    randomBytes(b, 4 + 16, r);
                }
                case Q5_1 -> {
                    float d = (float) (std / 8);
                    b.putShort(Halfs.floatToHalf(d));
                    b.putShort(Halfs.floatToHalf(-15.5f * d));
                    randomBytes(b, 4 + 16, r);
                }
                case Q2_K -> {
                    float d = (float) (std / 8);
                    randomBytes(b, 16 + 64, r);
                    b.putShort(Halfs.floatToHalf(d));
                    b.putShort(Halfs.floatToHalf(1.5f * d));
                }
                case Q3_K -> {
                    randomBytes(b, 32 + 64 + 12, r);
                    b.putShort(Halfs.floatToHalf((float) (std / 40)));
                }
                case Q5_K -> {
                    float d = (float) (std / 600);
                    b.putShort(Halfs.floatToHalf(d));
                    b.putShort(Halfs.floatToHalf(d * 15.5f));
                    randomBytes(b, 12 + 32 + 128, r);
                }
                case Q4_K -> {
                    float d = (float) (std / 300);
                    b.putShort(Halfs.floatToHalf(d));
                    b.putShort(Halfs.floatToHalf(d * 7.5f));
                    randomBytes(b, 12 + 128, r);
                }
                case Q6_K -> {
                    randomBytes(b, 128 + 64, r);
                    for (int i = 0; i < 16; i++) {
                        b.put((byte) (1 + r.nextInt(127)));
                    }
                    b.putShort(Halfs.floatToHalf((float) (std / 1024)));
                }
                default -> throw new IllegalArgumentException("no random encoder for " + type);
            }
        }
        return b.array();
    }

    private static void randomBytes(ByteBuffer b, int n, Random r) {
        byte[] bytes = new byte[n];
        r.nextBytes(bytes);
        b.put(bytes);
    }

    static float[] gaussian(Random r, int n, double std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * std);
        }
        return v;
    }

    private static float[] norm(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (1 + 0.1 * r.nextGaussian());
        }
        return v;
    }
}
