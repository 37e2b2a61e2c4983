package io.scopekv.bench.train;

import java.util.Arrays;

/**
 * Forward and hand-derived backward pass of the Llama-architecture decoder over one sequence, in
 * plain float loops on the flat parameter array of a {@link ParamLayout}. Per block:
 * <pre>
 *   h   = x + Wo · attention(rope(Wq · norm(x)), rope(Wk · norm(x)), Wv · norm(x))
 *   out = h + Wdown · (silu(Wgate · norm(h)) * (Wup · norm(h)))
 * </pre>
 * then {@code logits = Wout · norm(x)}. RoPE rotates adjacent pairs {@code (2i, 2i + 1)} at angle
 * {@code position * theta^(-2i / headDim)}, the pairing the engine uses for GGUF {@code llama}
 * files, and RMSNorm and the frequencies are computed exactly as the engine computes them.
 *
 * <p>Every matrix product is written as sums of scaled rows into a contiguous output row, the one
 * loop {@link RowKernel} vectorizes; the forward pass therefore reads each weight matrix transposed,
 * from the copy {@link #weights} makes once per optimizer step, and attention works on heads
 * transposed to {@code [headDim, n]}. Thread-safe: calls share only read-only state, so sequences
 * of a batch can run concurrently with separate gradient arrays.
 */
public final class Transformer {

    private static final RowKernel KERNEL = RowKernel.best();
    /** Rows of a triangular matrix handed to the kernel at once; a multiple of its pass width. */
    private static final int ROW_BLOCK = 8;

    private final ModelConfig c;
    private final ParamLayout layout;
    private final float[] cos;   // [contextLength, headDim / 2]
    private final float[] sin;
    private final float scale;

    public Transformer(ParamLayout layout) {
        this.layout = layout;
        this.c = layout.config();
        int half = c.headDim() / 2;
        cos = new float[c.contextLength() * half];
        sin = new float[c.contextLength() * half];
        for (int i = 0; i < half; i++) {
            float frequency = (float) Math.pow(c.ropeTheta(), -2.0 * i / c.headDim());
            for (int pos = 0; pos < c.contextLength(); pos++) {
                double angle = pos * (double) frequency;
                cos[pos * half + i] = (float) Math.cos(angle);
                sin[pos * half + i] = (float) Math.sin(angle);
            }
        }
        scale = (float) (1.0 / Math.sqrt(c.headDim()));
    }

    public ParamLayout layout() {
        return layout;
    }

    /**
     * Parameters with every matrix also stored transposed ({@code [cols, rows]} at the same offset),
     * as the forward pass reads them.
     */
    public record Weights(float[] params, float[] transposed) {
    }

    /** Prepares {@code params} for forward passes; the result must not outlive a change to them. */
    public Weights weights(float[] params) {
        if (params.length != layout.size()) {
            throw new IllegalArgumentException("expected " + layout.size() + " parameters, got " + params.length);
        }
        float[] t = new float[params.length];
        for (ParamLayout.Tensor tensor : layout.tensors()) {
            int off = tensor.offset();
            for (int r = 0; r < tensor.rows(); r++) {
                for (int col = 0; col < tensor.cols(); col++) {
                    t[off + col * tensor.rows() + r] = params[off + r * tensor.cols() + col];
                }
            }
        }
        return new Weights(params, t);
    }

    /** What the backward pass needs from one block's forward pass. */
    private static final class BlockState {
        float[] in;      // [n, dim] block input
        float[] inv1;    // [n] RMSNorm scale before attention
        float[] xn1;     // [n, dim]
        float[] q;       // [n, heads * headDim] after RoPE
        float[] k;       // [n, kvHeads * headDim] after RoPE
        float[] v;       // [n, kvHeads * headDim]
        float[] probs;   // [heads, n, n] causal attention weights, upper triangle zero (the products rely on it)
        float[] att;     // [n, heads * headDim] attention output
        float[] h;       // [n, dim] residual after attention
        float[] inv2;    // [n]
        float[] xn2;     // [n, dim]
        float[] gate;    // [n, ffnDim] before SiLU
        float[] up;      // [n, ffnDim]
        float[] sig;     // [n, ffnDim] sigmoid(gate), kept so the backward pass needs no exp
        float[] act;     // [n, ffnDim] silu(gate) * up
    }

    private static final class State {
        int n;
        BlockState[] blocks;
        float[] out;     // [n, dim] residual after the last block
        float[] invF;    // [n]
        float[] xnF;     // [n, dim] final normalized stream
    }

    /**
     * Logits of every position.
     *
     * @param tokens {@code [n]} input ids
     * @return {@code [n, vocab]}
     */
    public float[] logits(Weights w, int[] tokens) {
        State s = forward(w, tokens, tokens.length);
        float[] logits = new float[s.n * c.vocabSize()];
        matmul(s.xnF, 0, s.n, c.dim(), w.transposed(), layout.output().offset(), c.vocabSize(), logits);
        return logits;
    }

    /** Logits of the last position only, {@code [vocab]}, for greedy decoding. */
    public float[] lastLogits(Weights w, int[] tokens, int n) {
        State s = forward(w, tokens, n);
        float[] logits = new float[c.vocabSize()];
        matmul(s.xnF, (n - 1) * c.dim(), 1, c.dim(), w.transposed(), layout.output().offset(), c.vocabSize(), logits);
        return logits;
    }

    /**
     * Cross-entropy of {@code tokens[lossFrom..]} given their prefixes, and its gradient.
     *
     * @param tokens    {@code [T]} the whole sequence; positions {@code 0..T-2} are the inputs
     * @param lossFrom  first token that is a target (the first response token)
     * @param grad      {@code [layout.size()]} receives {@code gradScale * d(loss)/d(params)}
     * @param gradScale factor on the gradient, e.g. 1 / (target tokens in the batch)
     * @return summed negative log-likelihood (nats) and the number of targets whose argmax was right
     */
    public Loss lossAndGradient(Weights w, int[] tokens, int lossFrom, float[] grad, float gradScale) {
        int n = tokens.length - 1;
        if (lossFrom < 1 || lossFrom > n) {
            throw new IllegalArgumentException("lossFrom must be in [1, " + n + "], was " + lossFrom);
        }
        State s = forward(w, tokens, n);
        int dim = c.dim();
        int vocab = c.vocabSize();
        float[] p = w.params();
        ParamLayout.Tensor out = layout.output();
        int first = lossFrom - 1;
        float[] logits = new float[(n - first) * vocab];
        matmul(s.xnF, first * dim, n - first, dim, w.transposed(), out.offset(), vocab, logits);
        float[] dLogits = new float[n * vocab];  // rows before the first target stay zero
        double nll = 0;
        int right = 0;
        for (int i = first; i < n; i++) {
            int row = (i - first) * vocab;
            int target = tokens[i + 1];
            float max = Float.NEGATIVE_INFINITY;
            int best = 0;
            for (int v = 0; v < vocab; v++) {
                if (logits[row + v] > max) {
                    max = logits[row + v];
                    best = v;
                }
            }
            right += best == target ? 1 : 0;
            double sum = 0;
            for (int v = 0; v < vocab; v++) {
                logits[row + v] = (float) Math.exp(logits[row + v] - max);
                sum += logits[row + v];
            }
            nll += Math.log(sum) - (Math.log(logits[row + target]));
            for (int v = 0; v < vocab; v++) {
                dLogits[i * vocab + v] = (float) (logits[row + v] / sum) * gradScale;
            }
            dLogits[i * vocab + target] -= gradScale;
        }
        float[] dxn = new float[n * dim];
        inputGrad(dLogits, n, vocab, p, out.offset(), dim, dxn);
        weightGrad(dLogits, n, vocab, s.xnF, dim, grad, out.offset());
        float[] dx = new float[n * dim];
        rmsNormBackward(s.out, s.invF, p, layout.outputNorm().offset(), dxn, n, grad, dx);
        for (int l = c.layers() - 1; l >= 0; l--) {
            dx = blockBackward(layout.block(l), s.blocks[l], p, grad, dx, n);
        }
        int emb = layout.embedding().offset();
        for (int i = 0; i < n; i++) {
            int e = emb + tokens[i] * dim;
            for (int d = 0; d < dim; d++) {
                grad[e + d] += dx[i * dim + d];
            }
        }
        return new Loss(nll, right, n - lossFrom + 1);
    }

    /**
     * @param nll     summed negative log-likelihood in nats
     * @param right   targets predicted correctly by argmax (teacher forcing)
     * @param targets targets scored
     */
    public record Loss(double nll, int right, int targets) {
    }

    private State forward(Weights w, int[] tokens, int n) {
        if (n < 1 || n > c.contextLength()) {
            throw new IllegalArgumentException("sequence length must be in [1, " + c.contextLength() + "], was " + n);
        }
        int dim = c.dim();
        float[] p = w.params();
        float[] x = new float[n * dim];
        int emb = layout.embedding().offset();
        for (int i = 0; i < n; i++) {
            if (tokens[i] < 0 || tokens[i] >= c.vocabSize()) {
                throw new IllegalArgumentException("token id " + tokens[i] + " is outside the vocabulary [0, " + c.vocabSize() + ")");
            }
            System.arraycopy(p, emb + tokens[i] * dim, x, i * dim, dim);
        }
        State s = new State();
        s.n = n;
        s.blocks = new BlockState[c.layers()];
        for (int l = 0; l < c.layers(); l++) {
            s.blocks[l] = new BlockState();
            x = blockForward(layout.block(l), w, x, n, s.blocks[l]);
        }
        s.out = x;
        s.invF = new float[n];
        s.xnF = new float[n * dim];
        rmsNorm(x, n, p, layout.outputNorm().offset(), s.invF, s.xnF);
        return s;
    }

    private float[] blockForward(ParamLayout.Block b, Weights w, float[] x, int n, BlockState s) {
        int dim = c.dim();
        int hd = c.headDim();
        int qd = c.heads() * hd;
        int kvd = c.kvHeads() * hd;
        int ffn = c.ffnDim();
        float[] p = w.params();
        float[] t = w.transposed();
        s.in = x;
        s.inv1 = new float[n];
        s.xn1 = new float[n * dim];
        rmsNorm(x, n, p, b.attnNorm().offset(), s.inv1, s.xn1);
        s.q = new float[n * qd];
        s.k = new float[n * kvd];
        s.v = new float[n * kvd];
        matmul(s.xn1, 0, n, dim, t, b.wq().offset(), qd, s.q);
        matmul(s.xn1, 0, n, dim, t, b.wk().offset(), kvd, s.k);
        matmul(s.xn1, 0, n, dim, t, b.wv().offset(), kvd, s.v);
        rope(s.q, n, c.heads(), 1f);
        rope(s.k, n, c.kvHeads(), 1f);
        s.probs = new float[c.heads() * n * n];
        s.att = new float[n * qd];
        attention(s, n);
        s.h = x.clone();
        float[] proj = new float[n * dim];
        matmul(s.att, 0, n, qd, t, b.wo().offset(), dim, proj);
        add(s.h, proj);
        s.inv2 = new float[n];
        s.xn2 = new float[n * dim];
        rmsNorm(s.h, n, p, b.ffnNorm().offset(), s.inv2, s.xn2);
        s.gate = new float[n * ffn];
        s.up = new float[n * ffn];
        matmul(s.xn2, 0, n, dim, t, b.wGate().offset(), ffn, s.gate);
        matmul(s.xn2, 0, n, dim, t, b.wUp().offset(), ffn, s.up);
        s.sig = new float[n * ffn];
        s.act = new float[n * ffn];
        for (int i = 0; i < s.act.length; i++) {
            float g = s.gate[i];
            s.sig[i] = 1f / (1f + (float) Math.exp(-g));
            s.act[i] = g * s.sig[i] * s.up[i];
        }
        float[] out = s.h.clone();
        Arrays.fill(proj, 0f);
        matmul(s.act, 0, n, ffn, t, b.wDown().offset(), dim, proj);
        add(out, proj);
        return out;
    }

    /**
     * Causal attention of every position. Per head the work is three products with the causal
     * {@code [n, n]} matrix, each arranged so that its inner loop runs along a sequence-long row:
     * scores from keys transposed to {@code [headDim, n]}, and the output transposed,
     * {@code att^T = V^T · P^T}, from the transposed probabilities.
     */
    private void attention(BlockState s, int n) {
        int hd = c.headDim();
        int qd = c.heads() * hd;
        int kvd = c.kvHeads() * hd;
        float[] kT = new float[hd * n];
        float[] vT = new float[hd * n];
        float[] qs = new float[hd];
        float[] pT = new float[n * n];
        float[] attT = new float[hd * n];
        for (int g = 0; g < c.kvHeads(); g++) {
            transposeHead(s.k, n, kvd, g * hd, kT);
            transposeHead(s.v, n, kvd, g * hd, vT);
            for (int head = g * c.group(); head < (g + 1) * c.group(); head++) {
                int pHead = head * n * n;
                for (int i = 0; i < n; i++) {
                    int pRow = pHead + i * n;
                    int qOff = i * qd + head * hd;
                    for (int d = 0; d < hd; d++) {
                        qs[d] = s.q[qOff + d] * scale;
                    }
                    KERNEL.addRows(qs, 0, 1, kT, 0, n, hd, s.probs, pRow, i + 1);
                    float max = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j <= i; j++) {
                        max = Math.max(max, s.probs[pRow + j]);
                    }
                    float sum = 0;
                    for (int j = 0; j <= i; j++) {
                        float e = (float) Math.exp(s.probs[pRow + j] - max);
                        s.probs[pRow + j] = e;
                        sum += e;
                    }
                    float inv = 1f / sum;
                    for (int j = 0; j <= i; j++) {
                        s.probs[pRow + j] *= inv;
                    }
                }
                transposeCausal(s.probs, pHead, n, pT);
                Arrays.fill(attT, 0f);
                upperProduct(vT, pT, n, attT);
                for (int i = 0; i < n; i++) {
                    for (int d = 0; d < hd; d++) {
                        s.att[i * qd + head * hd + d] = attT[d * n + i];
                    }
                }
            }
        }
    }

    /**
     * {@code out[j, i] = m[i, j]} for the lower triangle of the {@code [n, n]} matrix at {@code mOff};
     * the strict lower triangle of {@code out} is left as it was (zero).
     */
    private static void transposeCausal(float[] m, int mOff, int n, float[] out) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                out[j * n + i] = m[mOff + i * n + j];
            }
        }
    }

    /**
     * {@code y += x · u} for {@code x [headDim, n]} and an upper-triangular {@code u [n, n]} whose
     * strict lower triangle is zero, so a block of rows from {@code j} is summed from column
     * {@code j} on.
     */
    private void upperProduct(float[] x, float[] u, int n, float[] y) {
        int hd = c.headDim();
        for (int d = 0; d < hd; d++) {
            for (int j = 0; j < n; j += ROW_BLOCK) {
                int rows = Math.min(ROW_BLOCK, n - j);
                KERNEL.addRows(x, d * n + j, 1, u, j * n + j, n, rows, y, d * n + j, n - j);
            }
        }
    }

    /**
     * {@code y += a^T · l} for {@code a [n, headDim]} read with row stride {@code aStride} from
     * {@code aOff}, and a lower-triangular {@code l [n, n]} at {@code lOff} whose upper triangle is
     * zero, so a block of rows ending at row {@code e} is summed up to column {@code e}.
     */
    private void lowerProduct(float[] a, int aOff, int aStride, float[] l, int lOff, int n, float[] y) {
        int hd = c.headDim();
        for (int d = 0; d < hd; d++) {
            for (int i = 0; i < n; i += ROW_BLOCK) {
                int rows = Math.min(ROW_BLOCK, n - i);
                KERNEL.addRows(a, aOff + i * aStride + d, aStride, l, lOff + i * n, n, rows, y, d * n, i + rows);
            }
        }
    }

    /** Copies one head of {@code [n, width]} rows, columns {@code [off, off + headDim)}, to {@code [headDim, n]}. */
    private void transposeHead(float[] rows, int n, int width, int off, float[] out) {
        int hd = c.headDim();
        for (int j = 0; j < n; j++) {
            for (int d = 0; d < hd; d++) {
                out[d * n + j] = rows[j * width + off + d];
            }
        }
    }

    /**
     * Backward through one block.
     *
     * @param dOut {@code [n, dim]} gradient of the block output
     * @return {@code [n, dim]} gradient of the block input
     */
    private float[] blockBackward(ParamLayout.Block b, BlockState s, float[] p, float[] grad, float[] dOut, int n) {
        int dim = c.dim();
        int hd = c.headDim();
        int qd = c.heads() * hd;
        int kvd = c.kvHeads() * hd;
        int ffn = c.ffnDim();
        // feed-forward: out = h + Wdown · act
        float[] dAct = new float[n * ffn];
        inputGrad(dOut, n, dim, p, b.wDown().offset(), ffn, dAct);
        weightGrad(dOut, n, dim, s.act, ffn, grad, b.wDown().offset());
        float[] dGate = new float[n * ffn];
        float[] dUp = new float[n * ffn];
        for (int i = 0; i < dAct.length; i++) {
            float g = s.gate[i];
            float sig = s.sig[i];
            dUp[i] = dAct[i] * g * sig;
            dGate[i] = dAct[i] * s.up[i] * sig * (1f + g * (1f - sig));
        }
        float[] dxn2 = new float[n * dim];
        inputGrad(dGate, n, ffn, p, b.wGate().offset(), dim, dxn2);
        inputGrad(dUp, n, ffn, p, b.wUp().offset(), dim, dxn2);
        weightGrad(dGate, n, ffn, s.xn2, dim, grad, b.wGate().offset());
        weightGrad(dUp, n, ffn, s.xn2, dim, grad, b.wUp().offset());
        float[] dh = dOut.clone();
        rmsNormBackward(s.h, s.inv2, p, b.ffnNorm().offset(), dxn2, n, grad, dh);
        // attention: h = in + Wo · att
        float[] dAtt = new float[n * qd];
        inputGrad(dh, n, dim, p, b.wo().offset(), qd, dAtt);
        weightGrad(dh, n, dim, s.att, qd, grad, b.wo().offset());
        float[] dq = new float[n * qd];
        float[] dk = new float[n * kvd];
        float[] dv = new float[n * kvd];
        // per KV head, in the transposed [headDim, n] layout (see attention)
        float[] kT = new float[hd * n];
        float[] vT = new float[hd * n];
        float[] dkT = new float[hd * n];
        float[] dvT = new float[hd * n];
        float[] dqT = new float[hd * n];
        float[] dp = new float[n];
        float[] dS = new float[n * n];      // [n, n] gradient of the scaled scores, upper triangle zero
        float[] dST = new float[n * n];
        for (int g = 0; g < c.kvHeads(); g++) {
            int kvOff = g * hd;
            transposeHead(s.k, n, kvd, kvOff, kT);
            transposeHead(s.v, n, kvd, kvOff, vT);
            Arrays.fill(dkT, 0f);
            Arrays.fill(dvT, 0f);
            for (int head = g * c.group(); head < (g + 1) * c.group(); head++) {
                int pHead = head * n * n;
                int hOff = head * hd;
                for (int i = 0; i < n; i++) {
                    int pRow = pHead + i * n;
                    Arrays.fill(dp, 0, i + 1, 0f);
                    KERNEL.addRows(dAtt, i * qd + hOff, 1, vT, 0, n, hd, dp, 0, i + 1);
                    float weighted = 0;
                    for (int j = 0; j <= i; j++) {
                        weighted += s.probs[pRow + j] * dp[j];
                    }
                    for (int j = 0; j <= i; j++) {
                        dS[i * n + j] = s.probs[pRow + j] * (dp[j] - weighted) * scale;
                    }
                }
                lowerProduct(dAtt, hOff, qd, s.probs, pHead, n, dvT);
                lowerProduct(s.q, hOff, qd, dS, 0, n, dkT);
                transposeCausal(dS, 0, n, dST);
                Arrays.fill(dqT, 0f);
                upperProduct(kT, dST, n, dqT);
                for (int i = 0; i < n; i++) {
                    for (int d = 0; d < hd; d++) {
                        dq[i * qd + hOff + d] = dqT[d * n + i];
                    }
                }
            }
            for (int j = 0; j < n; j++) {
                for (int d = 0; d < hd; d++) {
                    dk[j * kvd + kvOff + d] = dkT[d * n + j];
                    dv[j * kvd + kvOff + d] = dvT[d * n + j];
                }
            }
        }
        rope(dq, n, c.heads(), -1f);
        rope(dk, n, c.kvHeads(), -1f);
        float[] dxn1 = new float[n * dim];
        inputGrad(dq, n, qd, p, b.wq().offset(), dim, dxn1);
        inputGrad(dk, n, kvd, p, b.wk().offset(), dim, dxn1);
        inputGrad(dv, n, kvd, p, b.wv().offset(), dim, dxn1);
        weightGrad(dq, n, qd, s.xn1, dim, grad, b.wq().offset());
        weightGrad(dk, n, kvd, s.xn1, dim, grad, b.wk().offset());
        weightGrad(dv, n, kvd, s.xn1, dim, grad, b.wv().offset());
        rmsNormBackward(s.in, s.inv1, p, b.attnNorm().offset(), dxn1, n, grad, dh);
        return dh;
    }

    /**
     * Rotates every head vector of {@code [n, heads * headDim]} rows by its position's angles;
     * {@code direction} -1 applies the inverse (transposed) rotation, which is RoPE's backward.
     */
    private void rope(float[] vec, int n, int heads, float direction) {
        int hd = c.headDim();
        int half = hd / 2;
        for (int i = 0; i < n; i++) {
            for (int h = 0; h < heads; h++) {
                int base = (i * heads + h) * hd;
                for (int f = 0; f < half; f++) {
                    float cs = cos[i * half + f];
                    float sn = sin[i * half + f] * direction;
                    int a = base + 2 * f;
                    float x0 = vec[a];
                    float x1 = vec[a + 1];
                    vec[a] = x0 * cs - x1 * sn;
                    vec[a + 1] = x0 * sn + x1 * cs;
                }
            }
        }
    }

    /** {@code out[r] = x[r] / sqrt(mean(x[r]^2) + eps) * weight}, keeping the scale per row. */
    private void rmsNorm(float[] x, int n, float[] p, int wOff, float[] inv, float[] out) {
        int dim = c.dim();
        for (int r = 0; r < n; r++) {
            double ss = 0;
            int o = r * dim;
            for (int i = 0; i < dim; i++) {
                ss += x[o + i] * x[o + i];
            }
            inv[r] = (float) (1.0 / Math.sqrt(ss / dim + c.rmsEps()));
            for (int i = 0; i < dim; i++) {
                out[o + i] = x[o + i] * inv[r] * p[wOff + i];
            }
        }
    }

    /**
     * Adds the gradient of RMSNorm's input to {@code dx} and of its weight to {@code grad}:
     * {@code dx = inv * w * dy - x * inv^3 / dim * sum(dy * w * x)}.
     */
    private void rmsNormBackward(float[] x, float[] inv, float[] p, int wOff, float[] dy, int n, float[] grad, float[] dx) {
        int dim = c.dim();
        for (int r = 0; r < n; r++) {
            int o = r * dim;
            float s = inv[r];
            double dot = 0;
            for (int i = 0; i < dim; i++) {
                grad[wOff + i] += dy[o + i] * x[o + i] * s;
                dot += dy[o + i] * p[wOff + i] * x[o + i];
            }
            float k = (float) (dot * s * s * s / dim);
            for (int i = 0; i < dim; i++) {
                dx[o + i] += s * p[wOff + i] * dy[o + i] - x[o + i] * k;
            }
        }
    }

    /**
     * {@code y[r] += x[r] · W^T} for {@code n} rows from row offset {@code xOff}, with {@code W}
     * {@code [out, in]} read transposed ({@code [in, out]}) from {@code t} at {@code tOff}.
     */
    private static void matmul(float[] x, int xOff, int n, int in, float[] t, int tOff, int out, float[] y) {
        for (int r = 0; r < n; r++) {
            KERNEL.addRows(x, xOff + r * in, 1, t, tOff, out, in, y, r * out, out);
        }
    }

    /** {@code dx[r] += dy[r] · W} for {@code W [out, in]}: the gradient of a projection's input. */
    private static void inputGrad(float[] dy, int n, int out, float[] p, int wOff, int in, float[] dx) {
        for (int r = 0; r < n; r++) {
            KERNEL.addRows(dy, r * out, 1, p, wOff, in, out, dx, r * in, in);
        }
    }

    /** {@code dW[o] += sum_r dy[r, o] * x[r]}: the gradient of a projection's weight. */
    private static void weightGrad(float[] dy, int n, int out, float[] x, int in, float[] grad, int wOff) {
        for (int o = 0; o < out; o++) {
            KERNEL.addRows(dy, o, out, x, 0, in, n, grad, wOff + o * in, in);
        }
    }

    private static void add(float[] y, float[] x) {
        for (int i = 0; i < y.length; i++) {
            y[i] += x[i];
        }
    }
}
