package io.scopekv.bench.engine;

import io.scopekv.bench.gguf.GgufFile;
import io.scopekv.bench.gguf.GgufTensorInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The weights of a Llama-architecture model, dequantized to float32 at load. Projection matrices
 * are ND4J arrays in the GGUF row-major layout {@code [out, in]}, so {@code y = W x}; norm weights
 * and biases are plain float arrays, used by the element-wise code.
 */
public final class LlamaModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LlamaModel.class);

    /**
     * One transformer block.
     *
     * @param attnNorm {@code [dim]} RMSNorm weight before attention
     * @param wq       {@code [queryHeads * headDim, dim]}
     * @param wk       {@code [kvHeads * headDim, dim]}
     * @param wv       {@code [kvHeads * headDim, dim]}
     * @param bq       {@code [queryHeads * headDim]} or null (Qwen2 has q/k/v biases)
     * @param bk       {@code [kvHeads * headDim]} or null
     * @param bv       {@code [kvHeads * headDim]} or null
     * @param wo       {@code [dim, queryHeads * headDim]}
     * @param ffnNorm  {@code [dim]} RMSNorm weight before the feed-forward block
     * @param wGate    {@code [ffnDim, dim]}
     * @param wUp      {@code [ffnDim, dim]}
     * @param wDown    {@code [dim, ffnDim]}
     */
    public record Layer(float[] attnNorm, INDArray wq, INDArray wk, INDArray wv, float[] bq, float[] bk, float[] bv,
                        INDArray wo, float[] ffnNorm, INDArray wGate, INDArray wUp, INDArray wDown) {
    }

    private final LlamaConfig config;
    private final INDArray tokenEmbedding;
    private final List<Layer> layers;
    private final float[] outputNorm;
    private final INDArray output;
    private final float[] ropeFrequencies;

    private LlamaModel(LlamaConfig config, INDArray tokenEmbedding, List<Layer> layers, float[] outputNorm,
                       INDArray output, float[] ropeFrequencies) {
        this.config = config;
        this.tokenEmbedding = tokenEmbedding;
        this.layers = List.copyOf(layers);
        this.outputNorm = outputNorm;
        this.output = output;
        this.ropeFrequencies = ropeFrequencies;
    }

    /** Loads a GGUF model file. */
    public static LlamaModel load(Path path) throws IOException {
        try (GgufFile gguf = GgufFile.open(path)) {
            return load(gguf);
        }
    }

    /**
     * Loads the weights of an open GGUF file.
     *
     * @throws IllegalArgumentException for an unsupported architecture, a missing tensor, or a tensor
     *                                  whose shape does not match the metadata
     */
    public static LlamaModel load(GgufFile gguf) {
        long start = System.nanoTime();
        LlamaConfig c = LlamaConfig.from(gguf);
        int q = c.queryHeads() * c.headDim();
        int kv = c.kvHeads() * c.headDim();
        INDArray embedding = matrix(gguf, "token_embd.weight", c.vocabSize(), c.dim());
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l < c.layers(); l++) {
            String p = "blk." + l + ".";
            layers.add(new Layer(
                    vector(gguf, p + "attn_norm.weight", c.dim()),
                    matrix(gguf, p + "attn_q.weight", q, c.dim()),
                    matrix(gguf, p + "attn_k.weight", kv, c.dim()),
                    matrix(gguf, p + "attn_v.weight", kv, c.dim()),
                    optionalVector(gguf, p + "attn_q.bias", q),
                    optionalVector(gguf, p + "attn_k.bias", kv),
                    optionalVector(gguf, p + "attn_v.bias", kv),
                    matrix(gguf, p + "attn_output.weight", c.dim(), q),
                    vector(gguf, p + "ffn_norm.weight", c.dim()),
                    matrix(gguf, p + "ffn_gate.weight", c.ffnDim(), c.dim()),
                    matrix(gguf, p + "ffn_up.weight", c.ffnDim(), c.dim()),
                    matrix(gguf, p + "ffn_down.weight", c.dim(), c.ffnDim())));
        }
        float[] outputNorm = vector(gguf, "output_norm.weight", c.dim());
        // models with tied embeddings ship no output matrix and reuse token_embd
        INDArray output = gguf.tensors().containsKey("output.weight")
                ? matrix(gguf, "output.weight", c.vocabSize(), c.dim()) : embedding;
        float[] frequencies = ropeFrequencies(c, optionalVector(gguf, "rope_freqs.weight", c.headDim() / 2));
        LOG.info("loaded {} model from {}: {} layers, dim {}, {}/{} heads x {}, ffn {}, vocab {}, {} output, in {} ms",
                c.architecture(), gguf.path().getFileName(), c.layers(), c.dim(), c.queryHeads(), c.kvHeads(),
                c.headDim(), c.ffnDim(), c.vocabSize(), output == embedding ? "tied" : "separate",
                (System.nanoTime() - start) / 1_000_000);
        return new LlamaModel(c, embedding, layers, outputNorm, output, frequencies);
    }

    /**
     * Rotation frequency of each pair: {@code theta^(-2i / headDim) / factor_i / linear}, where the
     * optional factors are Llama 3's {@code rope_freqs.weight} (long-context frequency scaling).
     */
    private static float[] ropeFrequencies(LlamaConfig c, float[] factors) {
        float[] f = new float[c.headDim() / 2];
        for (int i = 0; i < f.length; i++) {
            double base = Math.pow(c.ropeTheta(), -2.0 * i / c.headDim());
            f[i] = (float) (base / (factors == null ? 1.0 : factors[i]) / c.ropeLinearFactor());
        }
        return f;
    }

    private static INDArray matrix(GgufFile gguf, String name, int rows, int cols) {
        GgufTensorInfo t = gguf.tensor(name);
        long[] dims = t.dims();
        // ggml lists the fastest-varying dimension first: [cols, rows] is a row-major [rows, cols] matrix
        if (dims.length != 2 || dims[0] != cols || dims[1] != rows) {
            throw new IllegalArgumentException(gguf.path() + ": tensor " + name + " has ggml dims " + Arrays.toString(dims)
                    + ", expected [" + cols + ", " + rows + "] from the model metadata");
        }
        return Nd4j.create(finite(gguf, name, gguf.dequantize(name)), new long[] {rows, cols}, DataType.FLOAT);
    }

    private static float[] vector(GgufFile gguf, String name, int length) {
        GgufTensorInfo t = gguf.tensor(name);
        if (t.elementCount() != length) {
            throw new IllegalArgumentException(gguf.path() + ": tensor " + name + " has " + t.elementCount()
                    + " elements, expected " + length);
        }
        return finite(gguf, name, gguf.dequantize(name));
    }

    /** Weights with a NaN or infinity would surface steps later as a non-finite cache input; name the tensor now. */
    private static float[] finite(GgufFile gguf, String name, float[] weights) {
        for (int i = 0; i < weights.length; i++) {
            if (!Float.isFinite(weights[i])) {
                throw new IllegalArgumentException(gguf.path() + ": tensor " + name + " holds " + weights[i] + " at element "
                        + i + "; the model's weights must be finite");
            }
        }
        return weights;
    }

    private static float[] optionalVector(GgufFile gguf, String name, int length) {
        return gguf.tensors().containsKey(name) ? vector(gguf, name, length) : null;
    }

    public LlamaConfig config() {
        return config;
    }

    /** {@code [vocab, dim]}. */
    public INDArray tokenEmbedding() {
        return tokenEmbedding;
    }

    public Layer layer(int index) {
        return layers.get(index);
    }

    /** {@code [dim]}. */
    public float[] outputNorm() {
        return outputNorm;
    }

    /** {@code [vocab, dim]}; the same array as {@link #tokenEmbedding()} when tied. */
    public INDArray output() {
        return output;
    }

    public boolean tiedOutput() {
        return output == tokenEmbedding;
    }

    /** {@code [headDim / 2]} angle per position of each rotated pair. */
    public float[] ropeFrequencies() {
        return ropeFrequencies.clone();
    }

    /** Frees the off-heap weights; the model is unusable afterwards. */
    @Override
    public void close() {
        for (Layer l : layers) {
            for (INDArray w : List.of(l.wq(), l.wk(), l.wv(), l.wo(), l.wGate(), l.wUp(), l.wDown())) {
                w.close();
            }
        }
        if (!tiedOutput()) {
            output.close();
        }
        tokenEmbedding.close();
    }
}
