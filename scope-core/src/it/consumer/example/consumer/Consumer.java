package example.consumer;

import io.scopekv.CacheLayout;
import io.scopekv.KvCache;
import java.util.SplittableRandom;

/**
 * Builds a cache with a SCOPE policy (full prefill, Slide decoding), prefills one layer, then
 * appends and attends for a few decode steps. Each step's output is checked against softmax
 * attention computed here over the tokens the cache reports it kept, and Slide must have evicted.
 * Prints one line saying which module scope-core ran in; exits with 1 on a mismatch.
 */
public final class Consumer {
    private static final int QUERY_HEADS = 2;
    private static final int HEAD_DIM = 8;
    private static final int PROMPT = 6;
    private static final int STEPS = 10;

    private Consumer() {
    }

    public static void main(String[] args) {
        SplittableRandom random = new SplittableRandom(7);
        int tokens = PROMPT + STEPS;
        float[][] keys = new float[tokens][HEAD_DIM];     // [position][headDim], the one KV head
        float[][] values = new float[tokens][HEAD_DIM];
        for (int t = 0; t < tokens; t++) {
            for (int i = 0; i < HEAD_DIM; i++) {
                keys[t][i] = (float) random.nextDouble(-1, 1);
                values[t][i] = (float) random.nextDouble(-1, 1);
            }
        }
        CacheLayout layout = CacheLayout.of(1, QUERY_HEADS, 1, HEAD_DIM);
        double worst = 0;
        try (KvCache cache = KvCache.builder(layout).policy("prefill=full,decoding=slide(W=4,R=2)").build()) {
            int[] positions = new int[PROMPT];
            float[] promptKeys = new float[PROMPT * HEAD_DIM];
            float[] promptValues = new float[PROMPT * HEAD_DIM];
            for (int t = 0; t < PROMPT; t++) {
                positions[t] = t;
                System.arraycopy(keys[t], 0, promptKeys, t * HEAD_DIM, HEAD_DIM);
                System.arraycopy(values[t], 0, promptValues, t * HEAD_DIM, HEAD_DIM);
            }
            cache.prefill(0, promptKeys, promptValues, positions, null);
            float[] query = new float[QUERY_HEADS * HEAD_DIM];
            float[] out = new float[QUERY_HEADS * HEAD_DIM];
            for (int pos = PROMPT; pos < tokens; pos++) {
                for (int i = 0; i < query.length; i++) {
                    query[i] = (float) random.nextDouble(-1, 1);
                }
                cache.append(0, keys[pos], values[pos], pos);
                int[] kept = cache.keptPositions(0, 0);    // what this step attends over
                cache.attend(0, query, out);
                float[] expected = attention(query, kept, keys, values);
                for (int i = 0; i < out.length; i++) {
                    worst = Math.max(worst, Math.abs(out[i] - expected[i]));
                }
            }
            long evicted = cache.stats().tokensEvicted();
            String module = String.valueOf(KvCache.class.getModule().getName());
            if (worst > 1e-5 || evicted == 0) {
                System.err.println("consumer failed: max |out - expected| = " + worst + ", tokens evicted = " + evicted);
                System.exit(1);
            }
            System.out.println("consumer ok: module " + module + ", max |out - expected| = " + worst
                    + ", tokens evicted = " + evicted);
        }
    }

    /** Softmax attention of each query head over the kept positions, scale 1/sqrt(headDim). */
    private static float[] attention(float[] query, int[] kept, float[][] keys, float[][] values) {
        float[] out = new float[QUERY_HEADS * HEAD_DIM];
        for (int h = 0; h < QUERY_HEADS; h++) {
            double[] logits = new double[kept.length];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < kept.length; j++) {
                double dot = 0;
                for (int i = 0; i < HEAD_DIM; i++) {
                    dot += (double) query[h * HEAD_DIM + i] * keys[kept[j]][i];
                }
                logits[j] = dot / Math.sqrt(HEAD_DIM);
                max = Math.max(max, logits[j]);
            }
            double sum = 0;
            for (int j = 0; j < kept.length; j++) {
                logits[j] = Math.exp(logits[j] - max);
                sum += logits[j];
            }
            for (int j = 0; j < kept.length; j++) {
                for (int i = 0; i < HEAD_DIM; i++) {
                    out[h * HEAD_DIM + i] += (float) (logits[j] / sum * values[kept[j]][i]);
                }
            }
        }
        return out;
    }
}
