package io.scopekv.bench.engine;

import io.scopekv.bench.gguf.GgufFile;
import java.util.Set;

/**
 * Hyper-parameters of a Llama-architecture model, read from GGUF metadata
 * ({@code <arch>.block_count}, {@code <arch>.embedding_length}, ...).
 *
 * @param architecture     {@code general.architecture}: {@code llama} or {@code qwen2}
 * @param dim              model width (embedding length)
 * @param layers           transformer blocks
 * @param queryHeads       attention heads
 * @param kvHeads          key/value heads (grouped-query attention when below queryHeads)
 * @param headDim          elements per head
 * @param ffnDim           hidden width of the SwiGLU feed-forward block
 * @param vocabSize        rows of the token embedding
 * @param contextLength    the longest sequence the model was trained for
 * @param rmsEps           epsilon of RMSNorm
 * @param ropeTheta        RoPE base frequency
 * @param ropeLinearFactor positions are divided by this (linear RoPE scaling); 1 when unscaled
 * @param ropeStyle        which elements RoPE pairs
 */
public record LlamaConfig(String architecture, int dim, int layers, int queryHeads, int kvHeads, int headDim,
                          int ffnDim, int vocabSize, int contextLength, float rmsEps, float ropeTheta,
                          float ropeLinearFactor, RopeStyle ropeStyle) {

    /** Architectures whose tensors and metadata this engine understands. */
    public static final Set<String> ARCHITECTURES = Set.of("llama", "qwen2");

    public LlamaConfig {
        if (!ARCHITECTURES.contains(architecture)) {
            throw new IllegalArgumentException("unsupported architecture '" + architecture + "'; supported: llama, qwen2");
        }
        positive("dim", dim);
        positive("layers", layers);
        positive("queryHeads", queryHeads);
        positive("kvHeads", kvHeads);
        positive("headDim", headDim);
        positive("ffnDim", ffnDim);
        positive("vocabSize", vocabSize);
        positive("contextLength", contextLength);
        if (queryHeads % kvHeads != 0) {
            throw new IllegalArgumentException("queryHeads (" + queryHeads + ") must be a multiple of kvHeads (" + kvHeads + ")");
        }
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("headDim must be even for RoPE, was " + headDim);
        }
        if (!(rmsEps > 0) || !(ropeTheta > 0) || !(ropeLinearFactor > 0) || !Float.isFinite(rmsEps)
                || !Float.isFinite(ropeTheta) || !Float.isFinite(ropeLinearFactor)) {
            throw new IllegalArgumentException("rmsEps, ropeTheta and ropeLinearFactor must be positive, were "
                    + rmsEps + ", " + ropeTheta + ", " + ropeLinearFactor);
        }
        if (ropeStyle == null) {
            throw new IllegalArgumentException("ropeStyle must not be null");
        }
    }

    /** Query heads sharing one KV head. */
    public int groupSize() {
        return queryHeads / kvHeads;
    }

    /**
     * Reads the configuration of a GGUF model.
     *
     * @throws IllegalArgumentException for another architecture, a missing key, or inconsistent sizes
     */
    public static LlamaConfig from(GgufFile gguf) {
        String arch = gguf.getString("general.architecture");
        if (!ARCHITECTURES.contains(arch)) {
            throw new IllegalArgumentException(gguf.path() + ": unsupported architecture '" + arch
                    + "'; supported: llama, qwen2");
        }
        int dim = gguf.getInt(arch + ".embedding_length");
        int heads = gguf.getInt(arch + ".attention.head_count");
        // checked here because the default head size divides by it
        if (dim <= 0 || heads <= 0) {
            throw new IllegalArgumentException(gguf.path() + ": " + arch + ".embedding_length and " + arch
                    + ".attention.head_count must be positive, were " + dim + " and " + heads);
        }
        int kvHeads = gguf.getInt(arch + ".attention.head_count_kv", heads);
        int headDim = gguf.getInt(arch + ".attention.key_length", dim / heads);
        int valueDim = gguf.getInt(arch + ".attention.value_length", headDim);
        if (valueDim != headDim) {
            throw new IllegalArgumentException(gguf.path() + ": key_length " + headDim + " != value_length " + valueDim
                    + "; this engine needs equal key and value head sizes");
        }
        // as llama.cpp reads it: the type defaults to linear; the factor is rope.scaling.factor, else
        // the legacy rope.scale_linear; a factor of 0 (or none) means unscaled, and so does type none
        String type = gguf.has(arch + ".rope.scaling.type") ? gguf.getString(arch + ".rope.scaling.type") : "linear";
        float factor = gguf.getFloat(arch + ".rope.scaling.factor", gguf.getFloat(arch + ".rope.scale_linear", 0f));
        float linear = switch (type) {
            case "linear" -> factor == 0f ? 1f : factor;
            case "none" -> 1f;
            default -> throw new IllegalArgumentException(gguf.path() + ": RoPE scaling type '" + type
                    + "' is not supported; supported: none, linear, and Llama 3 frequency factors (rope_freqs.weight)");
        };
        long[] embd = gguf.tensor("token_embd.weight").dims();
        if (embd.length != 2 || embd[1] > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(gguf.path() + ": tensor token_embd.weight must be a matrix of at most "
                    + Integer.MAX_VALUE + " rows, had dims " + java.util.Arrays.toString(embd));
        }
        int layers = gguf.getInt(arch + ".block_count");
        int ffn = gguf.getInt(arch + ".feed_forward_length");
        int context = gguf.getInt(arch + ".context_length");
        float eps = gguf.getFloat(arch + ".attention.layer_norm_rms_epsilon");
        float theta = gguf.getFloat(arch + ".rope.freq_base", 10000f);
        try {
            return new LlamaConfig(arch, dim, layers, heads, kvHeads, headDim, ffn, (int) embd[1], context, eps, theta,
                    linear, arch.equals("qwen2") ? RopeStyle.HALF_SPLIT : RopeStyle.INTERLEAVED);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(gguf.path() + ": " + e.getMessage(), e);
        }
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
