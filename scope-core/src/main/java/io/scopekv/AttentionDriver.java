package io.scopekv;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Runs one decode step's attention over a layer's storage with an {@link AttentionKernel}: per
 * storage head, the scores of all its query heads (each key row read once, in place), a masked
 * softmax per query head, then the values. With more than one thread, storage heads are split
 * into contiguous ranges (the caller takes the first, the common fork-join pool the rest); each
 * head is computed whole by one thread with the same code, so the result does not depend on the
 * thread count.
 *
 * <p>Finite inputs always give a finite result: when a head's scores overflow float32 (or the
 * output does), that head is recomputed in double precision, where no product of two finite
 * floats summed over a head can overflow.
 */
final class AttentionDriver implements Attention {
    private final int heads;
    /** Query heads per storage head. */
    private final int group;
    private final int headDim;
    private final float scale;
    private final AttentionKernel kernel;
    private final int threads;
    /** Per part: the kernel's working copy of a group's queries or outputs. */
    private final float[][] scratch;

    AttentionDriver(int heads, int group, int headDim, float scale, AttentionKernel kernel, int threads) {
        this.heads = heads;
        this.group = group;
        this.headDim = headDim;
        this.scale = scale;
        this.kernel = kernel;
        this.threads = threads;
        this.scratch = new float[threads][group * headDim];
    }

    /**
     * @param query {@code [heads * group, headDim]} row-major
     * @param out   {@code [heads * group, headDim]}, overwritten with the attention output
     * @param probs {@code [heads * group, slots]} at least, receives the probabilities (0 in empty
     *              slots), where slots is {@code store.slots()}
     */
    @Override
    public void attend(LayerStore store, float[] query, float[] out, float[] probs) {
        int slots = store.slots();
        Arrays.fill(out, 0, heads * group * headDim, 0f);
        int parts = Math.min(threads, heads);
        if (parts == 1) {
            attendHeads(store, slots, query, out, probs, 0, heads, scratch[0]);
            return;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[parts - 1];
        for (int part = 1; part < parts; part++) {
            int from = heads * part / parts;
            int to = heads * (part + 1) / parts;
            float[] own = scratch[part];
            tasks[part - 1] = ForkJoinPool.commonPool().submit(() -> attendHeads(store, slots, query, out, probs, from, to, own));
        }
        attendHeads(store, slots, query, out, probs, 0, heads / parts, scratch[0]);
        for (ForkJoinTask<?> task : tasks) {
            task.join();
        }
    }

    private void attendHeads(LayerStore store, int slots, float[] query, float[] out, float[] probs, int fromHead, int toHead,
                             float[] scratch) {
        int d = headDim;
        for (int h = fromHead; h < toHead; h++) {
            int firstQuery = h * group;
            int probBase = firstQuery * slots;
            for (LayerStore.Segment segment : store.segments()) {
                int end = Math.min(slots, segment.start + segment.size);
                if (end > segment.start) {
                    kernel.scores(store, segment, h, segment.start, end - segment.start, query, firstQuery * d, group,
                            probs, probBase + segment.start, slots, scratch);
                }
            }
            boolean finite = true;
            for (int g = 0; g < group && finite; g++) {
                finite = kernel.softmax(probs, probBase + g * slots, slots, store.positions(h), scale);
            }
            if (finite) {
                for (LayerStore.Segment segment : store.segments()) {
                    int end = Math.min(slots, segment.start + segment.size);
                    if (end > segment.start) {
                        kernel.accumulate(store, segment, h, segment.start, end - segment.start, probs,
                                probBase + segment.start, slots, group, out, firstQuery * d, scratch);
                    }
                }
                finite = allFinite(out, firstQuery * d, group * d);
            }
            if (!finite) {
                exactHead(store, slots, h, query, out, probs);
            }
        }
    }

    private static boolean allFinite(float[] x, int from, int n) {
        for (int i = from; i < from + n; i++) {
            if (!Float.isFinite(x[i])) {
                return false;
            }
        }
        return true;
    }

    /** One storage head in double precision: the rare path for scores beyond float32's range. */
    private void exactHead(LayerStore store, int slots, int h, float[] query, float[] out, float[] probs) {
        int d = headDim;
        int[] positions = store.positions(h);
        double[] weights = new double[slots];
        double[] acc = new double[d];
        for (int q = h * group; q < (h + 1) * group; q++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int s = 0; s < slots; s++) {
                if (positions[s] < 0) {
                    continue;
                }
                LayerStore.Segment segment = store.segmentOf(s);
                int at = segment.offset(h, s, d);
                double dot = 0;
                for (int i = 0; i < d; i++) {
                    dot += (double) query[q * d + i] * store.element(segment.keyBytes, at + i);
                }
                weights[s] = dot * scale;
                max = Math.max(max, weights[s]);
            }
            double sum = 0;
            for (int s = 0; s < slots; s++) {
                weights[s] = positions[s] < 0 ? 0 : Math.exp(weights[s] - max);
                sum += weights[s];
            }
            Arrays.fill(acc, 0);
            for (int s = 0; s < slots; s++) {
                double p = weights[s] / sum;
                probs[q * slots + s] = (float) p;
                if (p == 0) {
                    continue;
                }
                LayerStore.Segment segment = store.segmentOf(s);
                int at = segment.offset(h, s, d);
                for (int i = 0; i < d; i++) {
                    acc[i] += p * store.element(segment.valueBytes, at + i);
                }
            }
            for (int i = 0; i < d; i++) {
                out[q * d + i] = (float) acc[i];
            }
        }
    }
}
