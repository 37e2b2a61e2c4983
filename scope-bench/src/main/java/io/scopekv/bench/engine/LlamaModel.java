package io.scopekv.bench.engine;

import io.scopekv.bench.gguf.GgufFile;
import io.scopekv.bench.gguf.GgufTensorInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The weights of a Llama-architecture model. Projection matrices and the token embedding stay in
 * their file encoding ({@link WeightMatrix}: F32, F16, BF16 or quantized blocks), memory-mapped from
 * the GGUF file, so a loaded model occupies about its file's size; norm weights and biases are
 * small float arrays. Matrix-vector products run on the encoded blocks, their rows split over
 * {@link #threads()} threads.
 */
public final class LlamaModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LlamaModel.class);

    /**
     * Encoded bytes below which a product runs on the calling thread alone: handing a few
     * microseconds of work to other threads costs more than it saves.
     */
    private static final long BYTES_PER_PART = 48 << 10;

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
    public record Layer(float[] attnNorm, WeightMatrix wq, WeightMatrix wk, WeightMatrix wv, float[] bq, float[] bk,
                        float[] bv, WeightMatrix wo, float[] ffnNorm, WeightMatrix wGate, WeightMatrix wUp,
                        WeightMatrix wDown) {
    }

    private final LlamaConfig config;
    private final WeightMatrix tokenEmbedding;
    private final List<Layer> layers;
    private final float[] outputNorm;
    private final WeightMatrix output;
    private final float[] ropeFrequencies;
    private final Workers workers;
    private final WeightMatrix.Scratch[] workerScratch;
    private final ThreadLocal<WeightMatrix.Scratch> callerScratch =
            ThreadLocal.withInitial(() -> new WeightMatrix.Scratch(RowKernel.create()));
    private volatile boolean closed;

    private LlamaModel(LlamaConfig config, WeightMatrix tokenEmbedding, List<Layer> layers, float[] outputNorm,
                       WeightMatrix output, float[] ropeFrequencies, int threads) {
        this.config = config;
        this.tokenEmbedding = tokenEmbedding;
        this.layers = List.copyOf(layers);
        this.outputNorm = outputNorm;
        this.output = output;
        this.ropeFrequencies = ropeFrequencies;
        this.workers = new Workers(threads);
        this.workerScratch = new WeightMatrix.Scratch[threads];
        for (int i = 1; i < threads; i++) {
            workerScratch[i] = new WeightMatrix.Scratch(RowKernel.create());
        }
    }

    /** The default thread count: the processors available to this JVM. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** Loads a GGUF model file with {@link #defaultThreads()} threads. */
    public static LlamaModel load(Path path) throws IOException {
        return load(path, defaultThreads());
    }

    /** Loads a GGUF model file whose products run on {@code threads} threads. */
    public static LlamaModel load(Path path, int threads) throws IOException {
        try (GgufFile gguf = GgufFile.open(path)) {
            return load(gguf, threads);
        }
    }

    /** Loads the weights of an open GGUF file with {@link #defaultThreads()} threads. */
    public static LlamaModel load(GgufFile gguf) {
        return load(gguf, defaultThreads());
    }

    /**
     * Loads the weights of an open GGUF file. The matrices map the file's bytes; the mappings stay
     * valid after the file is closed.
     *
     * @param threads threads that split the rows of every product (the caller's included), at least 1
     * @throws IllegalArgumentException for an unsupported architecture, a missing tensor, a tensor
     *                                  whose shape does not match the metadata, or threads below 1
     */
    public static LlamaModel load(GgufFile gguf, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        long start = System.nanoTime();
        LlamaConfig c = LlamaConfig.from(gguf);
        int q = c.queryHeads() * c.headDim();
        int kv = c.kvHeads() * c.headDim();
        WeightMatrix embedding = matrix(gguf, "token_embd.weight", c.vocabSize(), c.dim());
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
        WeightMatrix output = gguf.tensors().containsKey("output.weight")
                ? matrix(gguf, "output.weight", c.vocabSize(), c.dim()) : embedding;
        float[] frequencies = ropeFrequencies(c, optionalVector(gguf, "rope_freqs.weight", c.headDim() / 2));
        LlamaModel model = new LlamaModel(c, embedding, layers, outputNorm, output, frequencies, threads);
        LOG.info("loaded {} model from {}: {} layers, dim {}, {}/{} heads x {}, ffn {}, vocab {}, {} output, "
                        + "{} MB of weights read per token, {} threads, {} kernels, in {} ms",
                c.architecture(), gguf.path().getFileName(), c.layers(), c.dim(), c.queryHeads(), c.kvHeads(),
                c.headDim(), c.ffnDim(), c.vocabSize(), output == embedding ? "tied" : "separate",
                String.format("%.1f", model.weightBytesPerToken() / 1e6), threads,
                RowKernel.Choice.VECTOR ? "Vector API" : "plain Java", (System.nanoTime() - start) / 1_000_000);
        return model;
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

    private static WeightMatrix matrix(GgufFile gguf, String name, int rows, int cols) {
        GgufTensorInfo t = gguf.tensor(name);
        long[] dims = t.dims();
        // ggml lists the fastest-varying dimension first: [cols, rows] is a row-major [rows, cols] matrix
        if (dims.length != 2 || dims[0] != cols || dims[1] != rows) {
            throw new IllegalArgumentException(gguf.path() + ": tensor " + name + " has ggml dims " + Arrays.toString(dims)
                    + ", expected [" + cols + ", " + rows + "] from the model metadata");
        }
        return WeightMatrix.of(name, t.type(), rows, cols, gguf.rawData(t));
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

    /** {@code [vocab, dim]}, read row by row. */
    public WeightMatrix tokenEmbedding() {
        return tokenEmbedding;
    }

    public Layer layer(int index) {
        return layers.get(index);
    }

    /** {@code [dim]}. */
    public float[] outputNorm() {
        return outputNorm;
    }

    /**
     * The first weight of a layer, or of the output head for {@code layer == layers()}, that holds
     * a NaN or an infinity, as {@code "tensor NAME holds NaN in row R"}; null when all are finite.
     * Decodes every row: for explaining a non-finite activation, not for the decode loop. (Vectors
     * were checked at load.)
     */
    public String nonFiniteWeight(int layer) {
        List<WeightMatrix> matrices;
        if (layer == layers.size()) {
            matrices = List.of(output);
        } else {
            Layer w = layers.get(layer);
            matrices = List.of(w.wq(), w.wk(), w.wv(), w.wo(), w.wGate(), w.wUp(), w.wDown());
        }
        for (WeightMatrix m : matrices) {
            float[] row = new float[m.cols()];
            for (int r = 0; r < m.rows(); r++) {
                m.row(r, row, 0);
                for (float value : row) {
                    if (!Float.isFinite(value)) {
                        return "tensor " + m.name() + " holds " + value + " in row " + r;
                    }
                }
            }
        }
        return null;
    }

    /** {@code [vocab, dim]}; the same matrix as {@link #tokenEmbedding()} when tied. */
    public WeightMatrix output() {
        return output;
    }

    public boolean tiedOutput() {
        return output == tokenEmbedding;
    }

    /** {@code [headDim / 2]} angle per position of each rotated pair. */
    public float[] ropeFrequencies() {
        return ropeFrequencies.clone();
    }

    /** Threads that split the rows of every product. */
    public int threads() {
        return workers.threads();
    }

    /**
     * Encoded weight bytes one decode step reads: every projection, the output matrix and one
     * embedding row (norms and biases are negligible and left out).
     */
    public long weightBytesPerToken() {
        long bytes = output.byteSize() + tokenEmbedding.rowBytes();
        for (Layer l : layers) {
            for (WeightMatrix w : List.of(l.wq(), l.wk(), l.wv(), l.wo(), l.wGate(), l.wUp(), l.wDown())) {
                bytes += w.byteSize();
            }
        }
        return bytes;
    }

    /**
     * {@code outs[i] = ms[i] · x} for matrices that share their input (the Q, K and V projections;
     * gate and up), as one split of all their rows over the threads.
     *
     * @param x    {@code [cols]} of every matrix
     * @param outs {@code outs[i]} of length {@code ms[i].rows()}
     */
    void matVec(float[] x, WeightMatrix[] ms, float[][] outs) {
        if (closed) {
            throw new IllegalStateException("the model is closed");
        }
        long bytes = 0;
        int rows = 0;
        for (WeightMatrix m : ms) {
            bytes += m.byteSize();
            rows += m.rows();
        }
        WeightMatrix.Scratch own = callerScratch.get();
        workers.run(rows, (int) Math.min(Integer.MAX_VALUE, Math.max(1, bytes / BYTES_PER_PART)), (part, from, to) -> {
            WeightMatrix.Scratch s = part == 0 ? own : workerScratch[part];
            int base = 0;
            for (int i = 0; i < ms.length; i++) {
                int r0 = Math.max(from, base);
                int r1 = Math.min(to, base + ms[i].rows());
                if (r0 < r1) {
                    ms[i].dotRows(r0 - base, r1 - base, x, 0, outs[i], r0 - base, s);
                }
                base += ms[i].rows();
            }
        });
    }

    /**
     * Decodes rows {@code [from, to)} of {@code m} into {@code dst} (row-major), split over the
     * threads, each with its own kernel's block decoders.
     */
    void dequantizeRows(WeightMatrix m, int from, int to, float[] dst) {
        long bytes = (long) (to - from) * m.rowBytes();
        WeightMatrix.Scratch own = callerScratch.get();
        workers.run(to - from, (int) Math.max(1, bytes / BYTES_PER_PART), (part, a, b) ->
                m.decodeRows(from + a, from + b, dst, a * m.cols(), part == 0 ? own : workerScratch[part]));
    }

    /**
     * Stops the worker threads; the model is unusable afterwards. The file mappings are released
     * when the garbage collector reclaims them (Java 17 has no explicit unmap).
     */
    @Override
    public void close() {
        closed = true;
        workers.close();
    }
}
