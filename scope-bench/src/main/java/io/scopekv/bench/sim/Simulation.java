package io.scopekv.bench.sim;

import io.scopekv.CacheLayout;
import io.scopekv.CachePolicy;
import io.scopekv.KvCache;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Feeds one {@link TokenSource} to a full reference cache and to one cache per policy, in lockstep,
 * and measures every policy against the reference on the identical stream: relative error of the
 * attention output, attention mass kept, wall time, resident bytes and kept tokens per step.
 *
 * <p>Per layer and decode step the order is: reference append + attend, then for each policy
 * append + attend (timed). Attention mass kept is read from the reference's probabilities over the
 * tokens the policy attended to (its cache before this step's eviction, plus the new token).
 */
public final class Simulation implements AutoCloseable {

    /** A policy to run: its display name and spec. */
    public record Entry(String label, CachePolicy policy) {
        public Entry {
            if (label == null || label.isBlank() || policy == null) {
                throw new IllegalArgumentException("entry needs a label and a policy, was " + label + ", " + policy);
            }
        }
    }

    private final TokenSource source;
    private final CacheLayout layout;
    private final int promptTokens;
    private final int steps;
    private final KvCache reference;
    private final List<PolicyRun> runs = new ArrayList<>();
    private final List<StepListener> listeners = new ArrayList<>();
    private final float scale;

    // reused every step so a long run does not churn the heap; only keptPositions allocates
    private final float[] query;
    private final float[] key;
    private final float[] value;
    private final float[] referenceOut;
    private final float[] policyOut;
    /** {@code [queryHeads][positions]} the reference's attention probabilities of the current layer. */
    private final float[][] referenceProbs;
    private final float[] logits;
    /**
     * {@code [layers][kvHeads][positions * headDim]} every key so far, kept here so the reference
     * probabilities do not depend on how the cache lays out its storage.
     */
    private final float[][][] allKeys;

    /**
     * @param source  the stream, read by this simulation and closed with it
     * @param entries the policies; each gets its own cache
     */
    public Simulation(TokenSource source, List<Entry> entries) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a simulation needs at least one policy");
        }
        this.source = source;
        this.layout = source.layout();
        this.promptTokens = source.promptTokens();
        this.steps = source.decodeSteps();
        this.reference = KvCache.builder(layout).build();
        for (Entry entry : entries) {
            KvCache cache;
            try {
                cache = KvCache.builder(layout).policy(entry.policy()).build();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(entry.label() + ": " + e.getMessage(), e);
            }
            runs.add(new PolicyRun(entry.label(), entry.policy(), cache, new StepMetrics(steps)));
        }
        int d = layout.headDim();
        this.scale = (float) (1.0 / Math.sqrt(d));
        this.query = new float[layout.queryHeads() * d];
        this.key = new float[layout.kvHeads() * d];
        this.value = new float[layout.kvHeads() * d];
        this.referenceOut = new float[layout.queryHeads() * d];
        this.policyOut = new float[layout.queryHeads() * d];
        int total = promptTokens + steps;
        this.referenceProbs = new float[layout.queryHeads()][total];
        this.logits = new float[total];
        this.allKeys = new float[layout.layers()][layout.kvHeads()][total * d];
    }

    public void addListener(StepListener listener) {
        listeners.add(listener);
    }

    public List<PolicyRun> runs() {
        return Collections.unmodifiableList(runs);
    }

    public KvCache reference() {
        return reference;
    }

    public CacheLayout layout() {
        return layout;
    }

    public int promptTokens() {
        return promptTokens;
    }

    public int decodeSteps() {
        return steps;
    }

    /** Prefills every layer and runs all decode steps, notifying listeners after each. */
    public void run() throws IOException {
        prefill();
        for (int step = 1; step <= steps; step++) {
            step(step);
        }
    }

    private void prefill() throws IOException {
        int m = promptTokens;
        int d = layout.headDim();
        int qh = layout.queryHeads();
        int kvh = layout.kvHeads();
        int[] positions = new int[m];
        for (int t = 0; t < m; t++) {
            positions[t] = t;
        }
        // [heads, M, headDim] per layer, filled token by token from the row-major stream
        float[] q = new float[qh * m * d];
        float[] k = new float[kvh * m * d];
        float[] v = new float[kvh * m * d];
        for (int layer = 0; layer < layout.layers(); layer++) {
            for (int t = 0; t < m; t++) {
                source.next(layer, query, key, value);
                requireFiniteInput(t, 0, layer);
                for (int h = 0; h < qh; h++) {
                    System.arraycopy(query, h * d, q, (h * m + t) * d, d);
                }
                for (int h = 0; h < kvh; h++) {
                    System.arraycopy(key, h * d, k, (h * m + t) * d, d);
                    System.arraycopy(value, h * d, v, (h * m + t) * d, d);
                    System.arraycopy(key, h * d, allKeys[layer][h], t * d, d);
                }
            }
            try (INDArray keys = Nd4j.create(k, new long[] {kvh, m, d});
                 INDArray values = Nd4j.create(v, new long[] {kvh, m, d});
                 INDArray queries = Nd4j.create(q, new long[] {qh, m, d})) {
                reference.prefill(layer, keys, values, positions, null);
                for (PolicyRun run : runs) {
                    try {
                        run.cache().prefill(layer, keys, values, positions, queries);
                    } catch (RuntimeException e) {
                        throw new IllegalStateException(run.label() + ": prefill of layer " + layer + " failed: " + e.getMessage(), e);
                    }
                }
            }
        }
        for (PolicyRun run : runs) {
            recordMemory(run, 0);
        }
        notifyListeners(0);
    }

    private void step(int step) throws IOException {
        int position = promptTokens + step - 1;
        int layers = layout.layers();
        double[] error = new double[runs.size()];
        double[] mass = new double[runs.size()];
        long[] nanos = new long[runs.size()];
        for (int layer = 0; layer < layers; layer++) {
            source.next(layer, query, key, value);
            requireFiniteInput(position, step, layer);
            for (int h = 0; h < layout.kvHeads(); h++) {
                System.arraycopy(key, h * layout.headDim(), allKeys[layer][h], position * layout.headDim(), layout.headDim());
            }
            reference.append(layer, key, value, position);
            reference.attend(layer, query, referenceOut);
            requireFiniteOutput(referenceOut, "the full cache", position, step, layer);
            referenceProbabilities(layer, position);
            double refNorm = norm(referenceOut, null);
            for (int i = 0; i < runs.size(); i++) {
                PolicyRun run = runs.get(i);
                KvCache cache = run.cache();
                mass[i] += massKept(run, layer, position);
                long start = System.nanoTime();
                try {
                    cache.append(layer, key, value, position);
                    cache.attend(layer, query, policyOut);
                } catch (RuntimeException e) {
                    throw new IllegalStateException(where(position, step, layer) + ", " + run.label() + ": " + e.getMessage(), e);
                }
                nanos[i] += System.nanoTime() - start;
                requireFiniteOutput(policyOut, run.label(), position, step, layer);
                error[i] += refNorm == 0 ? 0 : norm(policyOut, referenceOut) / refNorm;
            }
        }
        for (int i = 0; i < runs.size(); i++) {
            PolicyRun run = runs.get(i);
            run.metrics().record(step, error[i] / layers, mass[i] / layers, nanos[i] / 1e6);
            recordMemory(run, step);
        }
        notifyListeners(step);
    }

    private static String where(int token, int step, int layer) {
        return "token " + token + (step == 0 ? " (prompt)" : " (decode step " + step + ")") + ", layer " + layer;
    }

    /** A NaN in a trace would otherwise surface as a cache error without its token; name token, step and layer. */
    private void requireFiniteInput(int token, int step, int layer) {
        for (float[] row : new float[][] {query, key, value}) {
            for (int i = 0; i < row.length; i++) {
                if (!Float.isFinite(row[i])) {
                    String name = row == query ? "query" : row == key ? "key" : "value";
                    throw new IllegalArgumentException(where(token, step, layer) + ": the " + name + " holds " + row[i]
                            + " at element " + i + "; every query, key and value must be finite");
                }
            }
        }
    }

    private static void requireFiniteOutput(float[] out, String who, int token, int step, int layer) {
        for (int i = 0; i < out.length; i++) {
            if (!Float.isFinite(out[i])) {
                throw new IllegalStateException(where(token, step, layer) + ": attention through " + who + " gave "
                        + out[i] + " at element " + i + " from finite inputs");
            }
        }
    }

    private void recordMemory(PolicyRun run, int step) {
        var stats = run.cache().stats();
        double perHead = (double) stats.totalKeptTokens() / (layout.layers() * (long) run.storageHeads());
        run.metrics().recordMemory(step, stats.liveBytes(), perHead, stats.selectionSteps());
    }

    /** Softmax of every query head over all tokens up to {@code lastPosition}, stored by position. */
    private void referenceProbabilities(int layer, int lastPosition) {
        int d = layout.headDim();
        int group = layout.groupSize();
        for (int qHead = 0; qHead < layout.queryHeads(); qHead++) {
            float[] keys = allKeys[layer][qHead / group];
            float[] probs = referenceProbs[qHead];
            float max = Float.NEGATIVE_INFINITY;
            for (int p = 0; p <= lastPosition; p++) {
                float dot = 0f;
                for (int i = 0; i < d; i++) {
                    dot += query[qHead * d + i] * keys[p * d + i];
                }
                logits[p] = dot * scale;
                max = Math.max(max, logits[p]);
            }
            double sum = 0;
            for (int p = 0; p <= lastPosition; p++) {
                sum += Math.exp(logits[p] - max);
            }
            for (int p = 0; p <= lastPosition; p++) {
                probs[p] = (float) (Math.exp(logits[p] - max) / sum);
            }
        }
    }

    /** Mean over query heads of the reference probability on the policy's tokens plus the new one. */
    private double massKept(PolicyRun run, int layer, int newPosition) {
        int heads = run.storageHeads();
        int perHead = layout.queryHeads() / heads;
        double total = 0;
        for (int h = 0; h < heads; h++) {
            int[] kept = run.cache().keptPositions(layer, h);
            for (int qHead = h * perHead; qHead < (h + 1) * perHead; qHead++) {
                float[] probs = referenceProbs[qHead];
                double sum = probs[newPosition];
                for (int p : kept) {
                    sum += probs[p];
                }
                total += sum;
            }
        }
        return total / layout.queryHeads();
    }

    private static double norm(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double x = b == null ? a[i] : a[i] - b[i];
            sum += x * x;
        }
        return Math.sqrt(sum);
    }

    private void notifyListeners(int step) throws IOException {
        for (StepListener listener : listeners) {
            listener.afterStep(step, this);
        }
    }

    /** Closes every cache and the source. */
    @Override
    public void close() throws IOException {
        reference.close();
        for (PolicyRun run : runs) {
            run.cache().close();
        }
        source.close();
    }
}
