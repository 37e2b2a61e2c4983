package io.scopekv.bench.train;

/**
 * Shape of the trained Llama-architecture decoder.
 *
 * @param dim           model width
 * @param layers        transformer blocks
 * @param heads         query heads
 * @param kvHeads       key/value heads (grouped-query attention when below heads)
 * @param ffnDim        hidden width of the SwiGLU block
 * @param vocabSize     token embedding rows
 * @param contextLength longest sequence (RoPE table size and GGUF {@code context_length})
 * @param tiedOutput    whether the output projection reuses the token embedding
 * @param ropeTheta     RoPE base frequency
 * @param rmsEps        RMSNorm epsilon
 */
public record ModelConfig(int dim, int layers, int heads, int kvHeads, int ffnDim, int vocabSize, int contextLength,
                          boolean tiedOutput, float ropeTheta, float rmsEps) {

    public ModelConfig {
        positive("dim", dim);
        positive("layers", layers);
        positive("heads", heads);
        positive("kvHeads", kvHeads);
        positive("ffnDim", ffnDim);
        positive("vocabSize", vocabSize);
        positive("contextLength", contextLength);
        if (dim % heads != 0) {
            throw new IllegalArgumentException("dim (" + dim + ") must be a multiple of heads (" + heads + ")");
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("heads (" + heads + ") must be a multiple of kvHeads (" + kvHeads + ")");
        }
        if ((dim / heads) % 2 != 0) {
            throw new IllegalArgumentException("head size dim / heads must be even for RoPE, was " + dim / heads);
        }
        if (!(ropeTheta > 0) || !(rmsEps > 0) || !Float.isFinite(ropeTheta) || !Float.isFinite(rmsEps)) {
            throw new IllegalArgumentException("ropeTheta and rmsEps must be positive and finite, were " + ropeTheta + ", " + rmsEps);
        }
    }

    /** A model for the task vocabulary with the usual RoPE base and epsilon. */
    public static ModelConfig of(int dim, int layers, int heads, int kvHeads, int ffnDim, int contextLength) {
        return new ModelConfig(dim, layers, heads, kvHeads, ffnDim, TaskVocabulary.SIZE, contextLength, false, 10000f, 1e-5f);
    }

    public int headDim() {
        return dim / heads;
    }

    public int group() {
        return heads / kvHeads;
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
