package io.scopekv.bench.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Where each weight lives in the one flat {@code float[]} holding all parameters, so the
 * optimizer, gradient clipping and checkpoints treat the model as a single vector. Names and
 * row-major {@code [rows, cols]} shapes follow the GGUF {@code llama} tensors ({@code y = W x}).
 */
public final class ParamLayout {

    /**
     * One tensor.
     *
     * @param name   GGUF tensor name
     * @param offset first element in the flat array
     * @param rows   rows ({@code 1} for vectors)
     * @param cols   columns
     * @param matrix whether it is a weight matrix (initialized randomly, weight-decayed) rather than a norm
     */
    public record Tensor(String name, int offset, int rows, int cols, boolean matrix) {
        public int size() {
            return rows * cols;
        }
    }

    /** Offsets of one block's tensors. */
    public record Block(Tensor attnNorm, Tensor wq, Tensor wk, Tensor wv, Tensor wo, Tensor ffnNorm, Tensor wGate,
                        Tensor wUp, Tensor wDown) {
    }

    private final ModelConfig config;
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final Tensor embedding;
    private final List<Block> blocks = new ArrayList<>();
    private final Tensor outputNorm;
    private final Tensor output;
    private int size;

    public ParamLayout(ModelConfig c) {
        this.config = c;
        int q = c.heads() * c.headDim();
        int kv = c.kvHeads() * c.headDim();
        embedding = add("token_embd.weight", c.vocabSize(), c.dim(), true);
        for (int l = 0; l < c.layers(); l++) {
            String p = "blk." + l + ".";
            blocks.add(new Block(add(p + "attn_norm.weight", 1, c.dim(), false),
                    add(p + "attn_q.weight", q, c.dim(), true),
                    add(p + "attn_k.weight", kv, c.dim(), true),
                    add(p + "attn_v.weight", kv, c.dim(), true),
                    add(p + "attn_output.weight", c.dim(), q, true),
                    add(p + "ffn_norm.weight", 1, c.dim(), false),
                    add(p + "ffn_gate.weight", c.ffnDim(), c.dim(), true),
                    add(p + "ffn_up.weight", c.ffnDim(), c.dim(), true),
                    add(p + "ffn_down.weight", c.dim(), c.ffnDim(), true)));
        }
        outputNorm = add("output_norm.weight", 1, c.dim(), false);
        output = c.tiedOutput() ? embedding : add("output.weight", c.vocabSize(), c.dim(), true);
    }

    private Tensor add(String name, int rows, int cols, boolean matrix) {
        Tensor t = new Tensor(name, size, rows, cols, matrix);
        tensors.put(name, t);
        size += t.size();
        return t;
    }

    public ModelConfig config() {
        return config;
    }

    /** Elements of the flat parameter array. */
    public int size() {
        return size;
    }

    /** The distinct tensors in storage order (a tied output appears once, as the embedding). */
    public List<Tensor> tensors() {
        return List.copyOf(tensors.values());
    }

    public Tensor embedding() {
        return embedding;
    }

    public Block block(int layer) {
        return blocks.get(layer);
    }

    public Tensor outputNorm() {
        return outputNorm;
    }

    /** The output projection; the embedding itself when tied. */
    public Tensor output() {
        return output;
    }

    /**
     * Seeded initial weights: norms 1, an untied embedding N(0, 1) (RMSNorm rescales it), projections
     * N(0, 1/in), and the two projections writing into the residual stream further scaled by
     * {@code 1/sqrt(2 layers)} so the stream's variance stays bounded with depth.
     *
     * @return {@code [size()]}
     */
    public float[] initialize(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] p = new float[size];
        double residualScale = 1 / Math.sqrt(2.0 * config.layers());
        for (Tensor t : tensors.values()) {
            if (!t.matrix()) {
                Arrays.fill(p, t.offset(), t.offset() + t.size(), 1f);
                continue;
            }
            double std;
            if (t == embedding) {
                // a tied embedding is also the output projection, whose logits must start small
                std = config.tiedOutput() ? 1 / Math.sqrt(config.dim()) : 1.0;
            } else if (t.name().endsWith("attn_output.weight") || t.name().endsWith("ffn_down.weight")) {
                std = residualScale / Math.sqrt(t.cols());
            } else {
                std = 1 / Math.sqrt(t.cols());
            }
            for (int i = 0; i < t.size(); i++) {
                p[t.offset() + i] = (float) (gaussian(r) * std);
            }
        }
        return p;
    }

    private static double gaussian(SplittableRandom r) {
        // Box-Muller on SplittableRandom: java.util.Random's nextGaussian is not splittable-seeded
        double u = 1 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
