package io.scopekv.bench.workload;

import java.util.SplittableRandom;

/**
 * The token stream of one layer: generates query, key and value rows one token at a time from
 * O(questions x kvHeads x headDim) state, so sequences of any length stream in constant memory.
 */
final class LayerStream {
    private final WorkloadConfig c;
    private final TaskPlan plan;
    private final SplittableRandom random;
    private final int d;
    private final float sqrtD;
    /** {@code [kvHeads][headDim]} unit directions. */
    private final float[][] sink;
    private final float[][] context;
    /** {@code [kvHeads][questions][headDim]} question and planted-answer directions. */
    private final float[][][] question;
    private final float[][][] answer;
    private final float[] scratch;
    private int next;

    LayerStream(WorkloadConfig config, TaskPlan plan, int layer) {
        this.c = config;
        this.plan = plan;
        // a distinct, reproducible stream per layer, independent of the plan's choices
        this.random = new SplittableRandom(config.seed() ^ (0x9E3779B97F4A7C15L * (layer + 1L)));
        this.d = config.headDim();
        this.sqrtD = (float) Math.sqrt(d);
        int kv = config.kvHeads();
        sink = new float[kv][];
        context = new float[kv][];
        question = new float[kv][config.questions()][];
        answer = new float[kv][config.questions()][];
        for (int h = 0; h < kv; h++) {
            sink[h] = unit();
            context[h] = unit();
            for (int i = 0; i < config.questions(); i++) {
                question[h][i] = unit();
                answer[h][i] = unit();
            }
        }
        scratch = new float[d];
    }

    private float[] unit() {
        float[] v = new float[d];
        for (int i = 0; i < d; i++) {
            v[i] = (float) random.nextGaussian();
        }
        normalize(v);
        return v;
    }

    private static void normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        float inv = (float) (1 / Math.sqrt(sum));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
    }

    /** Position of the token {@link #next} generates. */
    int position() {
        return next;
    }

    /**
     * Generates the next token.
     *
     * @param query {@code [queryHeads * headDim]}
     * @param key   {@code [kvHeads * headDim]}
     * @param value {@code [kvHeads * headDim]}
     */
    void next(float[] query, float[] key, float[] value) {
        int t = next++;
        int m = plan.promptTokens();
        int group = c.queryHeads() / c.kvHeads();
        boolean prompt = t < m;
        int span = plan.questionAt(t);
        int plantedBy = plan.plantedAnswerAt(t);
        int answering = prompt ? -1 : plan.answerAt(t - m + 1);
        boolean tail = prompt && t >= m - c.tailTokens();
        double rho = c.locality();
        double drift = Math.sqrt(1 - rho * rho) / Math.sqrt(d);
        for (int h = 0; h < c.kvHeads(); h++) {
            float[] ctx = context[h];
            if (t > 0) {
                for (int i = 0; i < d; i++) {
                    ctx[i] = (float) (rho * ctx[i] + drift * random.nextGaussian());
                }
                normalize(ctx);
            }
            int k0 = h * d;
            for (int i = 0; i < d; i++) {
                key[k0 + i] = (float) (c.localityKey() * ctx[i] + c.keyNoise() * random.nextGaussian());
                value[k0 + i] = (float) random.nextGaussian();
            }
            if (t < c.sinks()) {
                add(key, k0, sink[h], c.sinkKey());
            }
            if (span >= 0) {
                add(key, k0, question[h][span], plan.isPlantedQuestionToken(t) ? c.questionKey() : c.spanKey());
            }
            if (plantedBy >= 0) {
                add(key, k0, answer[h][plantedBy], c.plantedKey());
            }
            for (int q = h * group; q < (h + 1) * group; q++) {
                for (int i = 0; i < d; i++) {
                    scratch[i] = (float) (c.localityQuery() * ctx[i] + c.sinkQuery() * sink[h][i]
                            + c.queryNoise() * random.nextGaussian());
                }
                if (span >= 0) {
                    add(scratch, 0, question[h][span], c.promptQuestionQuery());
                }
                if (tail) {
                    add(scratch, 0, question[h][0], c.tailQuery());
                }
                if (answering >= 0) {
                    add(scratch, 0, question[h][answering], c.answerQuery());
                    add(scratch, 0, answer[h][answering], c.plantedQuery());
                    if (answering > 0) {
                        add(scratch, 0, answer[h][answering - 1], c.plantedQuery());
                    }
                }
                // the cache divides logits by sqrt(headDim); scaling the query undoes it so the
                // amplitudes multiply straight into logits
                for (int i = 0; i < d; i++) {
                    query[q * d + i] = scratch[i] * sqrtD;
                }
            }
        }
    }

    private void add(float[] target, int offset, float[] direction, double amplitude) {
        for (int i = 0; i < d; i++) {
            target[offset + i] += (float) (amplitude * direction[i]);
        }
    }
}
