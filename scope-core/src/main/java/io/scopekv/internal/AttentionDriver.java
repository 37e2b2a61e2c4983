package io.scopekv.internal;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * The attention of one decode step over one layer's slot storage: scores, softmax and the
 * weighted sum of values, split over storage heads when more than one thread is allowed. Holds
 * only heap scratch; a cache owns one and uses it from one thread at a time.
 */
final class AttentionDriver {
    private static final int BLOCK_ROWS = 64;

    private final int heads;
    private final int queriesPerHead;
    private final int headDim;
    private final float scale;
    private final AttentionKernel kernel;
    private final int threads;
    private final float[][] blocks;

    AttentionDriver(int heads, int queriesPerHead, int headDim, float scale, AttentionKernel kernel, int threads) {
        this.heads = heads;
        this.queriesPerHead = queriesPerHead;
        this.headDim = headDim;
        this.scale = scale;
        this.kernel = kernel;
        this.threads = threads;
        this.blocks = new float[threads][BLOCK_ROWS * headDim];
    }

    /**
     * Softmax attention of every query head over its storage head's slots into {@code out}
     * ({@code [queryHeads, headDim]}), leaving the probabilities in {@code probs}
     * ({@code [queryHeads, slots]}, at least that long) with zero for empty slots. Keys and values are
     * streamed once per storage head in blocks, serving all of the head's queries. With more than
     * one attention thread, storage heads are split into contiguous ranges: the caller takes the
     * first, the common fork-join pool the rest; the ranges write disjoint parts of the scratch.
     */
    void attend(LayerStore store, float[] query, float[] out, float[] probs) {
        int slots = store.slots();
        Arrays.fill(out, 0f);
        int parts = Math.min(threads, heads);
        if (parts == 1) {
            attendHeads(store, slots, query, 0, heads, blocks[0], out, probs);
            return;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[parts - 1];
        for (int part = 1; part < parts; part++) {
            int from = heads * part / parts;
            int to = heads * (part + 1) / parts;
            float[] block = blocks[part];
            tasks[part - 1] = ForkJoinPool.commonPool().submit(() -> attendHeads(store, slots, query, from, to, block, out, probs));
        }
        attendHeads(store, slots, query, 0, heads / parts, blocks[0], out, probs);
        for (ForkJoinTask<?> task : tasks) {
            task.join();
        }
    }

    private void attendHeads(LayerStore store, int slots, float[] query, int fromHead, int toHead, float[] block,
                             float[] out, float[] probs) {
        int d = headDim;
        for (int h = fromHead; h < toHead; h++) {
            int firstQuery = h * queriesPerHead;
            int probBase = firstQuery * slots;
            for (LayerStore.Segment segment : store.segments()) {
                int end = Math.min(slots, segment.start + segment.size);
                for (int s0 = segment.start; s0 < end; s0 += BLOCK_ROWS) {
                    int rows = Math.min(BLOCK_ROWS, end - s0);
                    segment.keyBuffer.get(segment.offset(h, s0, d), block, 0, rows * d);
                    kernel.scoreRows(query, firstQuery * d, queriesPerHead, block, rows, d, probs, probBase + s0, slots);
                }
            }
            for (int q = 0; q < queriesPerHead; q++) {
                int row = probBase + q * slots;
                for (int s = 0; s < slots; s++) {
                    probs[row + s] = store.position(h, s) < 0 ? Float.NEGATIVE_INFINITY : probs[row + s] * scale;
                }
                softmax(probs, row, slots);
            }
            for (LayerStore.Segment segment : store.segments()) {
                int end = Math.min(slots, segment.start + segment.size);
                for (int s0 = segment.start; s0 < end; s0 += BLOCK_ROWS) {
                    int rows = Math.min(BLOCK_ROWS, end - s0);
                    segment.valueBuffer.get(segment.offset(h, s0, d), block, 0, rows * d);
                    kernel.accumulateRows(probs, probBase + s0, slots, queriesPerHead, block, rows, d, out, firstQuery * d);
                }
            }
        }
    }

    private static void softmax(float[] x, int from, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = from; i < from + n; i++) {
            max = Math.max(max, x[i]);
        }
        float sum = 0f;
        for (int i = from; i < from + n; i++) {
            float e = x[i] == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp(x[i] - max);
            x[i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int i = from; i < from + n; i++) {
            x[i] *= inv;
        }
    }
}
