package io.scopekv.bench.engine;

import io.scopekv.CacheLayout;
import io.scopekv.CachePolicy;
import io.scopekv.KvCache;
import io.scopekv.StorageType;
import io.scopekv.LayerView;
import io.scopekv.PolicySpec;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One sequence running through a {@link LlamaModel}: a batched prefill of the prompt, then one
 * token per {@link #decode} step. Keys and values live only in the session's {@link KvCache}.
 *
 * <p>Per layer the computation is
 * <pre>
 *   h   = x + Wo · attention(rope(Wq · norm(x)), rope(Wk · norm(x)), Wv · norm(x))
 *   out = h + Wdown · (silu(Wgate · norm(h)) * (Wup · norm(h)))
 * </pre>
 * A decode step runs every projection as a matrix-vector product on the weights' encoded blocks
 * ({@link WeightMatrix}), Q/K/V and gate/up each as one product over their shared input, rows split
 * over the model's threads, with preallocated heap buffers: a step allocates only its logits.
 * Prefill multiplies decoded weight tiles with all prompt rows at once (ND4J matrix products) and
 * closes its off-heap temporaries as it goes. The element-wise steps (RMSNorm, RoPE, softmax,
 * SwiGLU) are plain Java.
 *
 * <p>Not thread-safe: one session per sequence and thread.
 */
public final class LlamaSession implements AutoCloseable {

    /**
     * Default upper bound on the elements of one prefill block (64 MiB of float32): attention scores
     * {@code [kvHeads, group * rows, keys]} and projection outputs {@code [rows, width]} are computed
     * for as many prompt rows at a time as fit, so long prompts need bounded memory.
     */
    private static final long BLOCK_ELEMENTS = 1L << 24;

    /** Prompt rows from which prefill decodes weight tiles for a matrix product instead of running products per row. */
    private static final int GEMM_MIN_ROWS = 4;

    /** Elements of one decoded weight tile in prefill (4 MiB of float32). */
    private static final long TILE_ELEMENTS = 1L << 20;

    private final LlamaModel model;
    private final LlamaConfig c;
    private final KvCache cache;
    private final AttentionPath path;
    private final float scale;
    private final float[] frequencies;
    private int position;
    private long blockElements = BLOCK_ELEMENTS;

    // decode-step buffers, allocated once
    private final float[] x;            // [dim] residual stream
    private final float[] xn;           // [dim] normalized input of a projection
    private final float[] qf;           // [queryHeads * headDim]
    private final float[] kf;           // [kvHeads * headDim]
    private final float[] vf;           // [kvHeads * headDim]
    private final float[] attnf;        // [queryHeads * headDim] attention output
    private final float[] proj;         // [dim] output of Wo and of Wdown
    private final float[] gatef;        // [ffnDim]
    private final float[] upf;          // [ffnDim]
    private final float[] cos;          // [headDim / 2] of the current position
    private final float[] sin;
    private final float[][] qkvOut;
    private final float[][] gateUpOut;
    private final WeightMatrix[][] qkv;     // per layer {wq, wk, wv}: one product over shared input
    private final WeightMatrix[][] gateUp;  // per layer {wGate, wUp}
    private final WeightMatrix[][] wo;      // per layer {wo}
    private final WeightMatrix[][] wDown;   // per layer {wDown}
    private final WeightMatrix[] output;
    private final float[][] projOut;
    private float[] probs = new float[0];     // [queryHeads, slots] of the engine's own attention
    private float[] keyRows = new float[0];   // [slots, headDim] of one storage head
    private float[] slotScores = new float[0]; // [slots] of one query head
    private float[] valueRows = new float[0];
    private boolean[] occupied = new boolean[0]; // [slots] of one storage head
    private final RowKernel kernel = RowKernel.create();

    /**
     * A session over a cache the caller built for this model's layout
     * ({@code CacheLayout.of(layers, queryHeads, kvHeads, headDim)}, any storage type); the session
     * closes it.
     */
    public LlamaSession(LlamaModel model, KvCache cache, AttentionPath path) {
        this.model = model;
        this.c = model.config();
        this.cache = cache;
        this.path = path;
        CacheLayout expected = new CacheLayout(c.layers(), c.queryHeads(), c.kvHeads(), c.headDim(), cache.layout().storage());
        if (!cache.layout().equals(expected)) {
            throw new IllegalArgumentException("cache layout " + cache.layout() + " does not match the model's " + expected);
        }
        if (path == null) {
            throw new IllegalArgumentException("attention path must not be null");
        }
        this.scale = (float) (1.0 / Math.sqrt(c.headDim()));
        this.frequencies = model.ropeFrequencies();
        int qDim = c.queryHeads() * c.headDim();
        int kvDim = c.kvHeads() * c.headDim();
        x = new float[c.dim()];
        xn = new float[c.dim()];
        qf = new float[qDim];
        kf = new float[kvDim];
        vf = new float[kvDim];
        attnf = new float[qDim];
        proj = new float[c.dim()];
        gatef = new float[c.ffnDim()];
        upf = new float[c.ffnDim()];
        cos = new float[c.headDim() / 2];
        qkvOut = new float[][] {qf, kf, vf};
        gateUpOut = new float[][] {gatef, upf};
        qkv = new WeightMatrix[c.layers()][];
        gateUp = new WeightMatrix[c.layers()][];
        wo = new WeightMatrix[c.layers()][];
        wDown = new WeightMatrix[c.layers()][];
        output = new WeightMatrix[] {model.output()};
        projOut = new float[][] {proj};
        for (int l = 0; l < c.layers(); l++) {
            LlamaModel.Layer w = model.layer(l);
            qkv[l] = new WeightMatrix[] {w.wq(), w.wk(), w.wv()};
            gateUp[l] = new WeightMatrix[] {w.wGate(), w.wUp()};
            wo[l] = new WeightMatrix[] {w.wo()};
            wDown[l] = new WeightMatrix[] {w.wDown()};
        }
        sin = new float[c.headDim() / 2];
    }

    /** A session with a fresh cache of the given policy spec (see {@link PolicySpec}). */
    public static LlamaSession open(LlamaModel model, String policySpec, AttentionPath path) {
        return open(model, PolicySpec.parse(policySpec), path);
    }

    /**
     * A session whose cache runs {@code policy}, stored as the builder's default (FLOAT32 unless
     * the {@code scopekv.storage} system property says otherwise).
     */
    public static LlamaSession open(LlamaModel model, CachePolicy policy, AttentionPath path) {
        return new LlamaSession(model, KvCache.builder(layout(model)).policy(policy).build(), path);
    }

    /** A session whose cache runs {@code policy} and stores keys and values as {@code storage}. */
    public static LlamaSession open(LlamaModel model, CachePolicy policy, StorageType storage, AttentionPath path) {
        return new LlamaSession(model, KvCache.builder(layout(model)).storage(storage).policy(policy).build(), path);
    }

    private static CacheLayout layout(LlamaModel model) {
        LlamaConfig c = model.config();
        return CacheLayout.of(c.layers(), c.queryHeads(), c.kvHeads(), c.headDim());
    }

    /** Caps the prefill blocks; tests use a small cap to exercise blocked prefill. */
    void blockElements(long elements) {
        if (elements < 1) {
            throw new IllegalArgumentException("a prefill block must hold at least one element, was " + elements);
        }
        this.blockElements = elements;
    }

    public KvCache cache() {
        return cache;
    }

    public LlamaModel model() {
        return model;
    }

    /** The position (sequence index) the next token gets. */
    public int position() {
        return position;
    }

    /**
     * Runs the whole prompt at once and stores its keys and values through {@link KvCache#prefill},
     * passing every prompt query so that any prefill policy can score.
     *
     * @param tokens prompt token ids
     * @return {@code [vocab]} logits of the next token
     */
    public float[] prefill(int[] tokens) {
        if (position != 0) {
            throw new IllegalStateException("prefill must come first; the session is already at position " + position);
        }
        int t = tokens.length;
        if (t == 0) {
            throw new IllegalArgumentException("prompt must contain at least one token");
        }
        requireContext(t);
        int dim = c.dim();
        float[] xs = new float[t * dim]; // [T, dim] residual stream
        for (int i = 0; i < t; i++) {
            embed(tokens[i], xs, i * dim);
            requireFinite(xs, i * dim, (i + 1) * dim, -1, i);
        }
        int[] positions = new int[t];
        for (int i = 0; i < t; i++) {
            positions[i] = i;
        }
        for (int l = 0; l < c.layers(); l++) {
            prefillLayer(l, model.layer(l), xs, t, positions);
        }
        position = t;
        System.arraycopy(xs, (t - 1) * dim, x, 0, dim);
        return logitsOfResidual();
    }

    private void prefillLayer(int l, LlamaModel.Layer w, float[] xs, int t, int[] positions) {
        int dim = c.dim();
        int hd = c.headDim();
        int qDim = c.queryHeads() * hd;
        int kvDim = c.kvHeads() * hd;
        int widest = Math.max(Math.max(qDim, dim), c.ffnDim());
        int blockRows = (int) Math.max(1, Math.min(t, blockElements / widest));
        float[] qs = new float[t * qDim];   // [T, queryHeads * headDim]
        float[] ks = new float[t * kvDim];  // [T, kvHeads * headDim]
        float[] vs = new float[t * kvDim];  // [T, kvHeads * headDim]
        for (int r0 = 0; r0 < t; r0 += blockRows) {
            int n = Math.min(t - r0, blockRows);
            float[] xn = normalizedRows(xs, r0, n, w.attnNorm());                     // [n, dim]
            project(xn, n, w.wq(), qs, r0 * qDim);    // [n, qDim]
            project(xn, n, w.wk(), ks, r0 * kvDim);   // [n, kvDim]
            project(xn, n, w.wv(), vs, r0 * kvDim);   // [n, kvDim]
        }
        for (float[] projected : new float[][] {qs, ks, vs}) {
            int width = projected.length / t;
            for (int i = 0; i < t; i++) {
                requireFinite(projected, i * width, (i + 1) * width, l, i);
            }
        }
        for (int i = 0; i < t; i++) {
            addBias(qs, i * qDim, w.bq());
            addBias(ks, i * kvDim, w.bk());
            addBias(vs, i * kvDim, w.bv());
            angles(i);
            rope(qs, i * qDim, c.queryHeads());
            rope(ks, i * kvDim, c.kvHeads());
        }
        float[] qHeads = headsMajor(qs, t, c.queryHeads());   // [queryHeads, T, headDim]
        float[] kHeads = headsMajor(ks, t, c.kvHeads());      // [kvHeads, T, headDim]
        float[] vHeads = headsMajor(vs, t, c.kvHeads());      // [kvHeads, T, headDim]
        float[] attended = causalAttention(qHeads, kHeads, vHeads, t); // [T, queryHeads * headDim]

        float[] delta = new float[blockRows * dim];
        float[] g = new float[blockRows * c.ffnDim()];
        float[] u = new float[blockRows * c.ffnDim()];
        for (int r0 = 0; r0 < t; r0 += blockRows) {
            int n = Math.min(t - r0, blockRows);
            project(Arrays.copyOfRange(attended, r0 * qDim, (r0 + n) * qDim), n, w.wo(), delta, 0);   // [n, dim]
            addRows(xs, r0 * dim, delta, n * dim);
            float[] xn = normalizedRows(xs, r0, n, w.ffnNorm());   // [n, dim]
            project(xn, n, w.wGate(), g, 0);                       // [n, ffnDim]
            project(xn, n, w.wUp(), u, 0);                         // [n, ffnDim]
            swiglu(g, u, n * c.ffnDim());
            project(g, n, w.wDown(), delta, 0);                    // [n, dim]
            addRows(xs, r0 * dim, delta, n * dim);
            for (int i = r0; i < r0 + n; i++) {
                requireFinite(xs, i * dim, (i + 1) * dim, l, i);
            }
        }
        try (Temporaries tmp = new Temporaries()) {
            cache.prefill(l,
                    tmp.add(Nd4j.create(kHeads, new long[] {c.kvHeads(), t, hd}, DataType.FLOAT)),
                    tmp.add(Nd4j.create(vHeads, new long[] {c.kvHeads(), t, hd}, DataType.FLOAT)),
                    positions,
                    tmp.add(Nd4j.create(qHeads, new long[] {c.queryHeads(), t, hd}, DataType.FLOAT)));
        }
    }

    /** RMSNorm of residual rows {@code [r0, r0 + n)} into a new {@code [n, dim]} array. */
    private float[] normalizedRows(float[] xs, int r0, int n, float[] weight) {
        int dim = c.dim();
        float[] out = new float[n * dim];
        float[] row = new float[dim];
        for (int i = 0; i < n; i++) {
            rmsNorm(xs, (r0 + i) * dim, weight, row);
            System.arraycopy(row, 0, out, i * dim, dim);
        }
        return out;
    }

    /**
     * {@code out[outOff + i * rows + r] = (W · in_i)[r]} for {@code n} input rows {@code in [n, cols]}.
     * A few rows run as matrix-vector products on the encoded blocks; more decode {@code W} a tile
     * of rows at a time (never the whole matrix) and multiply each tile with every input row in one
     * ND4J matrix product, so the decoding is paid once per tile, not once per token.
     */
    private void project(float[] in, int n, WeightMatrix w, float[] out, int outOff) {
        int rows = w.rows();
        int cols = w.cols();
        if (n < GEMM_MIN_ROWS) {
            float[] xi = new float[cols];
            float[][] oi = {new float[rows]};
            WeightMatrix[] one = {w};
            for (int i = 0; i < n; i++) {
                System.arraycopy(in, i * cols, xi, 0, cols);
                model.matVec(xi, one, oi);
                System.arraycopy(oi[0], 0, out, outOff + i * rows, rows);
            }
            return;
        }
        int tileRows = (int) Math.max(1, Math.min(rows, TILE_ELEMENTS / cols));
        float[] tile = new float[tileRows * cols];
        try (Temporaries tmp = new Temporaries()) {
            INDArray x = tmp.add(Nd4j.create(in, new long[] {n, cols}, DataType.FLOAT));   // [n, cols]
            for (int r0 = 0; r0 < rows; r0 += tileRows) {
                int tr = Math.min(tileRows, rows - r0);
                model.dequantizeRows(w, r0, r0 + tr, tile);
                try (Temporaries t = new Temporaries()) {
                    INDArray wt = t.add(Nd4j.create(tr == tileRows ? tile : Arrays.copyOf(tile, tr * cols),
                            new long[] {tr, cols}, DataType.FLOAT));                            // [tr, cols]
                    FloatBuffer y = t.add(Nd4j.matmul(x, wt, false, true, false)).data().asNioFloat(); // [n, tr]
                    for (int i = 0; i < n; i++) {
                        y.get(i * tr, out, outOff + i * rows + r0, tr);
                    }
                }
            }
        }
    }

    /**
     * Causal scaled dot-product attention of every prompt token, in blocks of query rows. The query
     * heads of one KV head are stacked into one matrix, {@code [kvHeads, group * rows, headDim]},
     * so grouped-query attention needs no copies of K and V.
     *
     * @return {@code [T, queryHeads * headDim]}
     */
    private float[] causalAttention(float[] qHeads, float[] kHeads, float[] vHeads, int t) {
        int hd = c.headDim();
        int group = c.groupSize();
        int kvHeads = c.kvHeads();
        int qDim = c.queryHeads() * hd;
        float[] out = new float[t * qDim];
        int blockRows = (int) Math.max(1, Math.min(t, blockElements / ((long) c.queryHeads() * t)));
        for (int r0 = 0; r0 < t; r0 += blockRows) {
            int r1 = Math.min(t, r0 + blockRows);
            int n = r1 - r0;
            float[] qBlock = new float[kvHeads * group * n * hd];   // [kvHeads, group * n, headDim]
            float[] kBlock = new float[kvHeads * r1 * hd];          // [kvHeads, r1, headDim]
            float[] vBlock = new float[kvHeads * r1 * hd];
            for (int h = 0; h < kvHeads; h++) {
                for (int j = 0; j < group; j++) {
                    System.arraycopy(qHeads, ((h * group + j) * t + r0) * hd, qBlock, (h * group + j) * n * hd, n * hd);
                }
                System.arraycopy(kHeads, h * t * hd, kBlock, h * r1 * hd, r1 * hd);
                System.arraycopy(vHeads, h * t * hd, vBlock, h * r1 * hd, r1 * hd);
            }
            try (Temporaries block = new Temporaries()) {
                INDArray qs = block.add(Nd4j.create(qBlock, new long[] {kvHeads, group * n, hd}, DataType.FLOAT));
                INDArray ks = block.add(Nd4j.create(kBlock, new long[] {kvHeads, r1, hd}, DataType.FLOAT));
                INDArray vs = block.add(Nd4j.create(vBlock, new long[] {kvHeads, r1, hd}, DataType.FLOAT));
                INDArray scores = block.add(Nd4j.matmul(qs, ks, false, true, false)); // [kvHeads, group * n, r1]
                FloatBuffer sb = scores.data().asNioFloat();
                float[] scoreRow = new float[r1];
                for (int rowIndex = 0; rowIndex < kvHeads * group * n; rowIndex++) {
                    int visible = r0 + rowIndex % n + 1; // causal: query at r0 + i sees keys 0 .. r0 + i
                    sb.get(rowIndex * r1, scoreRow);
                    scaleScores(scoreRow, visible);
                    softmax(scoreRow, visible);
                    Arrays.fill(scoreRow, visible, r1, 0f);
                    sb.put(rowIndex * r1, scoreRow);
                }
                INDArray o = block.add(Nd4j.matmul(scores, vs)); // [kvHeads, group * n, headDim]
                float[] of = rows(o);
                for (int head = 0; head < c.queryHeads(); head++) {
                    for (int i = 0; i < n; i++) {
                        System.arraycopy(of, (head * n + i) * hd, out, (r0 + i) * qDim + head * hd, hd);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Runs one token at the next position.
     *
     * @return {@code [vocab]} logits of the token after it
     */
    public float[] decode(int token) {
        if (position == 0) {
            throw new IllegalStateException("decode needs a prefilled prompt first");
        }
        requireContext(position + 1);
        embed(token, x, 0);
        requireFinite(x, 0, x.length, -1, position);
        angles(position);
        for (int l = 0; l < c.layers(); l++) {
            LlamaModel.Layer w = model.layer(l);
            normalizeResidual(w.attnNorm());
            model.matVec(xn, qkv[l], qkvOut);   // [queryHeads * headDim], [kvHeads * headDim] x 2
            for (float[] projected : qkvOut) {
                requireFinite(projected, 0, projected.length, l, position);
            }
            addBias(qf, 0, w.bq());
            addBias(kf, 0, w.bk());
            addBias(vf, 0, w.bv());
            rope(qf, 0, c.queryHeads());
            rope(kf, 0, c.kvHeads());
            cache.append(l, kf, vf, position);
            if (path == AttentionPath.CACHE) {
                cache.attend(l, qf, attnf);
            } else {
                attendOverView(l);
            }
            model.matVec(attnf, wo[l], projOut);
            addRows(x, 0, proj);

            normalizeResidual(w.ffnNorm());
            model.matVec(xn, gateUp[l], gateUpOut);   // [ffnDim] x 2
            swiglu(gatef, upf);
            model.matVec(gatef, wDown[l], projOut);
            addRows(x, 0, proj);
            requireFinite(x, 0, x.length, l, position);
        }
        position++;
        return logitsOfResidual();
    }

    /**
     * The engine's own attention for one decode step: per query head, scores over every slot of its
     * storage head (empty slots get probability 0), softmax, weighted sum of values; then the
     * probabilities go to the cache's policy through {@link KvCache#observe}.
     */
    private void attendOverView(int l) {
        LayerView view = cache.view(l);
        int slots = view.slots();
        int hd = c.headDim();
        if (probs.length < c.queryHeads() * slots) {
            probs = new float[c.queryHeads() * slots * 2];
        }
        if (keyRows.length < slots * hd) {
            keyRows = new float[slots * hd * 2];
            valueRows = new float[slots * hd * 2];
            slotScores = new float[slots * 2];
            occupied = new boolean[slots * 2];
        }
        boolean wide = cache.layout().storage() == StorageType.FLOAT32;
        for (int h = 0; h < view.heads(); h++) {
            // storage comes in segments; gather this head's slots [0, slots) into contiguous rows
            for (int seg = 0; wide && seg < view.segments(); seg++) {
                int start = view.segmentStart(seg);
                int rows = Math.min(slots, start + view.segmentSlots(seg)) - start;
                if (rows <= 0) {
                    continue;
                }
                int from = h * view.segmentSlots(seg) * hd;
                view.keyBuffer(seg).get(from, keyRows, start * hd, rows * hd);
                view.valueBuffer(seg).get(from, valueRows, start * hd, rows * hd);
            }
            // a slot's occupancy is the same for every query head of the group: look it up once
            for (int s = 0; s < slots; s++) {
                occupied[s] = view.position(h, s) >= 0;
                if (!wide && occupied[s]) {
                    // 16-bit storage has no float view: widen slot by slot
                    view.key(h, s, keyRows, s * hd);
                    view.value(h, s, valueRows, s * hd);
                }
            }
            for (int qh = 0; qh < c.queryHeads(); qh++) {
                if (view.storageHead(qh) != h) {
                    continue;
                }
                int qOff = qh * hd;
                float max = Float.NEGATIVE_INFINITY;
                for (int s = 0; s < slots; s++) {
                    if (!occupied[s]) {
                        slotScores[s] = Float.NEGATIVE_INFINITY;
                        continue;
                    }
                    slotScores[s] = kernel.f32(keyRows, s * hd, qf, qOff, hd) * scale;
                    max = Math.max(max, slotScores[s]);
                }
                float sum = 0;
                for (int s = 0; s < slots; s++) {
                    float p = slotScores[s] == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp(slotScores[s] - max);
                    slotScores[s] = p;
                    sum += p;
                }
                Arrays.fill(attnf, qOff, qOff + hd, 0f);
                for (int s = 0; s < slots; s++) {
                    float p = slotScores[s] / sum;
                    probs[qh * slots + s] = p;
                    if (p != 0f) {
                        kernel.axpy(p, valueRows, s * hd, attnf, qOff, hd);
                    }
                }
            }
        }
        cache.observe(l, probs, slots);
    }

    private float[] logitsOfResidual() {
        normalizeResidual(model.outputNorm());
        float[] out = new float[c.vocabSize()];
        model.matVec(xn, output, new float[][] {out});  // [vocab]
        requireFinite(out, 0, out.length, c.layers(), position - 1);
        return out;
    }

    /**
     * A NaN or infinity in the hidden state would reach the cache as a bad key or query several
     * calls later; stop here instead, naming the position, the layer and, when a weight is the
     * cause, the tensor.
     *
     * @param layer the layer that produced {@code values}; -1 for the embedding, layers() for the output head
     */
    private void requireFinite(float[] values, int from, int to, int layer, int at) {
        for (int i = from; i < to; i++) {
            if (!Float.isFinite(values[i])) {
                String where = layer < 0 ? "the token embedding" : layer == c.layers() ? "the output head" : "layer " + layer;
                String cause = layer < 0 ? null : model.nonFiniteWeight(layer);
                throw new IllegalStateException("position " + at + ": " + where + " produced " + values[i] + "; "
                        + (cause != null ? cause : layer < 0 ? "tensor token_embd.weight is not finite there"
                        : "its weights are finite, so its activations overflowed float32"));
            }
        }
    }

    private void requireContext(int length) {
        if (length > c.contextLength()) {
            throw new IllegalStateException("sequence length " + length + " exceeds the model's context length "
                    + c.contextLength());
        }
    }

    private void embed(int token, float[] dst, int offset) {
        if (token < 0 || token >= c.vocabSize()) {
            throw new IllegalArgumentException("token id " + token + " is outside the vocabulary [0, " + c.vocabSize() + ")");
        }
        model.tokenEmbedding().row(token, dst, offset);
    }

    /** {@code xn = rmsNorm(x) * weight}, the input of the next projections. */
    private void normalizeResidual(float[] weight) {
        rmsNorm(x, 0, weight, xn);
    }

    /** {@code out = src / sqrt(mean(src^2) + eps) * weight} over {@code src[offset, offset + dim)}. */
    private void rmsNorm(float[] src, int offset, float[] weight, float[] out) {
        int dim = c.dim();
        double ss = 0;
        for (int i = 0; i < dim; i++) {
            ss += src[offset + i] * src[offset + i];
        }
        float inv = (float) (1.0 / Math.sqrt(ss / dim + c.rmsEps()));
        for (int i = 0; i < dim; i++) {
            out[i] = src[offset + i] * inv * weight[i];
        }
    }

    /** cos/sin of every rotated pair at {@code pos}. */
    private void angles(int pos) {
        for (int i = 0; i < cos.length; i++) {
            double angle = pos * (double) frequencies[i];
            cos[i] = (float) Math.cos(angle);
            sin[i] = (float) Math.sin(angle);
        }
    }

    /** Rotates {@code heads} head vectors starting at {@code offset} by the current angles. */
    private void rope(float[] vec, int offset, int heads) {
        int hd = c.headDim();
        int half = hd / 2;
        boolean interleaved = c.ropeStyle() == RopeStyle.INTERLEAVED;
        for (int h = 0; h < heads; h++) {
            int base = offset + h * hd;
            for (int i = 0; i < half; i++) {
                int a = interleaved ? base + 2 * i : base + i;
                int b = interleaved ? a + 1 : a + half;
                float x0 = vec[a];
                float x1 = vec[b];
                vec[a] = x0 * cos[i] - x1 * sin[i];
                vec[b] = x0 * sin[i] + x1 * cos[i];
            }
        }
    }

    private static void softmax(float[] row, int length) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            max = Math.max(max, row[i]);
        }
        float sum = 0;
        for (int i = 0; i < length; i++) {
            row[i] = (float) Math.exp(row[i] - max);
            sum += row[i];
        }
        for (int i = 0; i < length; i++) {
            row[i] /= sum;
        }
    }

    private void scaleScores(float[] row, int length) {
        for (int i = 0; i < length; i++) {
            row[i] *= scale;
        }
    }

    /** {@code gate = silu(gate) * up}, element-wise. */
    private static void swiglu(float[] g, float[] u) {
        swiglu(g, u, g.length);
    }

    /** The first {@code n} elements of {@code gate = silu(gate) * up}. */
    private static void swiglu(float[] g, float[] u, int n) {
        for (int i = 0; i < n; i++) {
            g[i] = g[i] / (1f + (float) Math.exp(-g[i])) * u[i];
        }
    }

    private static void addBias(float[] vec, int offset, float[] bias) {
        if (bias != null) {
            for (int i = 0; i < bias.length; i++) {
                vec[offset + i] += bias[i];
            }
        }
    }

    /** {@code x[offset + i] += delta[i]} over all of {@code delta}. */
    private static void addRows(float[] x, int offset, float[] delta) {
        addRows(x, offset, delta, delta.length);
    }

    /** {@code x[offset + i] += delta[i]} for {@code i < n}. */
    private static void addRows(float[] x, int offset, float[] delta, int n) {
        for (int i = 0; i < n; i++) {
            x[offset + i] += delta[i];
        }
    }

    /** Reorders {@code [T, heads * headDim]} rows to {@code [heads, T, headDim]}. */
    private float[] headsMajor(float[] tokenMajor, int t, int heads) {
        int hd = c.headDim();
        float[] out = new float[tokenMajor.length];
        for (int i = 0; i < t; i++) {
            for (int h = 0; h < heads; h++) {
                System.arraycopy(tokenMajor, (i * heads + h) * hd, out, (h * t + i) * hd, hd);
            }
        }
        return out;
    }

    /** A heap copy of a fresh, contiguous array in row-major order. */
    private static float[] rows(INDArray a) {
        float[] out = new float[(int) a.length()];
        a.data().asNioFloat().get(0, out);
        return out;
    }

    @Override
    public void close() {
        cache.close();
    }

    /** Off-heap arrays to free together, so prefill leaves nothing for the garbage collector. */
    private static final class Temporaries implements AutoCloseable {
        private final List<INDArray> arrays = new ArrayList<>();

        INDArray add(INDArray a) {
            arrays.add(a);
            return a;
        }

        @Override
        public void close() {
            for (INDArray a : arrays) {
                if (!a.wasClosed()) {
                    a.close();
                }
            }
        }
    }
}
