package io.scopekv.bench.engine;

import io.scopekv.bench.gguf.GgufFile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An independent float64 forward pass over the same dequantized weights, recomputing the whole
 * sequence for every call: no cache, no ND4J, straight from the architecture's definition.
 */
final class ReferenceLlama {
    private final String arch;
    private final int dim;
    private final int layers;
    private final int heads;
    private final int kvHeads;
    private final int hd;
    private final int ffn;
    private final int vocab;
    private final double eps;
    private final double theta;
    private final float[] embedding;
    private final float[] output;
    private final float[] outputNorm;
    private final float[][][] w; // per layer: attn_norm, q, k, v, q.bias, k.bias, v.bias, o, ffn_norm, gate, up, down
    private final float[] ropeFactors;

    ReferenceLlama(Path file) throws IOException {
        try (GgufFile g = GgufFile.open(file)) {
            arch = g.getString("general.architecture");
            dim = g.getInt(arch + ".embedding_length");
            layers = g.getInt(arch + ".block_count");
            heads = g.getInt(arch + ".attention.head_count");
            kvHeads = g.getInt(arch + ".attention.head_count_kv");
            ffn = g.getInt(arch + ".feed_forward_length");
            hd = dim / heads;
            eps = g.getFloat(arch + ".attention.layer_norm_rms_epsilon");
            theta = g.getFloat(arch + ".rope.freq_base");
            embedding = g.dequantize("token_embd.weight");
            vocab = embedding.length / dim;
            output = g.tensors().containsKey("output.weight") ? g.dequantize("output.weight") : embedding;
            outputNorm = g.dequantize("output_norm.weight");
            ropeFactors = g.tensors().containsKey("rope_freqs.weight") ? g.dequantize("rope_freqs.weight") : null;
            String[] names = {"attn_norm.weight", "attn_q.weight", "attn_k.weight", "attn_v.weight", "attn_q.bias",
                "attn_k.bias", "attn_v.bias", "attn_output.weight", "ffn_norm.weight", "ffn_gate.weight", "ffn_up.weight",
                "ffn_down.weight"};
            w = new float[layers][names.length][];
            for (int l = 0; l < layers; l++) {
                for (int n = 0; n < names.length; n++) {
                    String name = "blk." + l + "." + names[n];
                    w[l][n] = g.tensors().containsKey(name) ? g.dequantize(name) : null;
                }
            }
        }
    }

    /** Logits {@code [vocab]} after the last of {@code tokens}, positions 0 .. n-1. */
    double[] logits(int[] tokens) {
        int n = tokens.length;
        double[][] x = new double[n][dim];
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < dim; i++) {
                x[t][i] = embedding[tokens[t] * dim + i];
            }
        }
        for (int l = 0; l < layers; l++) {
            float[][] p = w[l];
            double[][] q = new double[n][];
            double[][] k = new double[n][];
            double[][] v = new double[n][];
            for (int t = 0; t < n; t++) {
                double[] xn = rmsNorm(x[t], p[0]);
                q[t] = rotate(plus(matVec(p[1], xn, heads * hd), p[4]), heads, t);
                k[t] = rotate(plus(matVec(p[2], xn, kvHeads * hd), p[5]), kvHeads, t);
                v[t] = plus(matVec(p[3], xn, kvHeads * hd), p[6]);
            }
            double[][] attended = new double[n][heads * hd];
            for (int t = 0; t < n; t++) {
                for (int h = 0; h < heads; h++) {
                    int kvh = h / (heads / kvHeads);
                    double[] scores = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int s = 0; s <= t; s++) {
                        double dot = 0;
                        for (int i = 0; i < hd; i++) {
                            dot += q[t][h * hd + i] * k[s][kvh * hd + i];
                        }
                        scores[s] = dot / Math.sqrt(hd);
                        max = Math.max(max, scores[s]);
                    }
                    double sum = 0;
                    for (int s = 0; s <= t; s++) {
                        scores[s] = Math.exp(scores[s] - max);
                        sum += scores[s];
                    }
                    for (int s = 0; s <= t; s++) {
                        for (int i = 0; i < hd; i++) {
                            attended[t][h * hd + i] += scores[s] / sum * v[s][kvh * hd + i];
                        }
                    }
                }
            }
            for (int t = 0; t < n; t++) {
                double[] o = matVec(p[7], attended[t], dim);
                for (int i = 0; i < dim; i++) {
                    x[t][i] += o[i];
                }
                double[] xn = rmsNorm(x[t], p[8]);
                double[] g = matVec(p[9], xn, ffn);
                double[] u = matVec(p[10], xn, ffn);
                for (int i = 0; i < ffn; i++) {
                    g[i] = g[i] / (1 + Math.exp(-g[i])) * u[i];
                }
                double[] d = matVec(p[11], g, dim);
                for (int i = 0; i < dim; i++) {
                    x[t][i] += d[i];
                }
            }
        }
        return matVec(output, rmsNorm(x[n - 1], outputNorm), vocab);
    }

    private double[] rmsNorm(double[] x, float[] weight) {
        double ss = 0;
        for (double value : x) {
            ss += value * value;
        }
        double inv = 1 / Math.sqrt(ss / x.length + eps);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] * inv * weight[i];
        }
        return out;
    }

    /** Row-major {@code [rows, cols]} matrix times vector. */
    private static double[] matVec(float[] m, double[] x, int rows) {
        int cols = x.length;
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int c = 0; c < cols; c++) {
                s += m[r * cols + c] * x[c];
            }
            out[r] = s;
        }
        return out;
    }

    private static double[] plus(double[] x, float[] bias) {
        if (bias != null) {
            for (int i = 0; i < x.length; i++) {
                x[i] += bias[i];
            }
        }
        return x;
    }

    /** RoPE: llama GGUF rotates adjacent pairs (2i, 2i+1); qwen2 rotates (i, i + hd/2). */
    private double[] rotate(double[] vec, int nHeads, int pos) {
        boolean adjacent = arch.equals("llama");
        for (int h = 0; h < nHeads; h++) {
            for (int i = 0; i < hd / 2; i++) {
                double freq = Math.pow(theta, -2.0 * i / hd) / (ropeFactors == null ? 1 : ropeFactors[i]);
                double c = Math.cos(pos * freq);
                double s = Math.sin(pos * freq);
                int a = h * hd + (adjacent ? 2 * i : i);
                int b = adjacent ? a + 1 : a + hd / 2;
                double x0 = vec[a];
                double x1 = vec[b];
                vec[a] = x0 * c - x1 * s;
                vec[b] = x0 * s + x1 * c;
            }
        }
        return vec;
    }
}
