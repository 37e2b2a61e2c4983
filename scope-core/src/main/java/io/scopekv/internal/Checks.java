package io.scopekv.internal;

import io.scopekv.CacheLayout;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Argument rules of the cache's calls, each failing with the value and the rule it breaks. */
final class Checks {

    private Checks() {
    }

    static void positions(int[] positions) {
        if (positions == null || positions.length == 0) {
            throw new IllegalArgumentException("positions must hold one entry per prompt token (M >= 1), was "
                    + (positions == null ? "null" : "empty"));
        }
        for (int t = 0; t < positions.length; t++) {
            if (positions[t] < 0 || (t > 0 && positions[t] <= positions[t - 1])) {
                throw new IllegalArgumentException("positions must be non-negative and strictly ascending; positions["
                        + t + "]=" + positions[t] + (t > 0 ? " after " + positions[t - 1] : ""));
            }
        }
    }

    /** {@code queries} is null or {@code [queryHeads, nq, headDim]} with {@code 1 <= nq <= m}, finite. */
    static void promptQueries(INDArray queries, CacheLayout layout, int m) {
        if (queries == null) {
            return;
        }
        if (queries.rank() != 3 || queries.size(0) != layout.queryHeads() || queries.size(2) != layout.headDim()
                || queries.size(1) < 1 || queries.size(1) > m) {
            throw new IllegalArgumentException("queries must have shape [queryHeads=" + layout.queryHeads()
                    + ", nq in 1.." + m + ", headDim=" + layout.headDim() + "], was " + Arrays.toString(queries.shape()));
        }
        Tensors.requireShape("queries", queries, queries.shape());
        Tensors.requireFinite("queries", Tensors.rowMajor(queries), 0, (int) queries.length());
    }

    static void length(String name, float[] array, int length) {
        if (array == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (array.length != length) {
            throw new IllegalArgumentException(name + " must hold " + length + " floats (heads x headDim), was " + array.length);
        }
    }

    static void probabilityRows(float[] probs, int rowStride, int slots, int queryHeads) {
        if (probs == null) {
            throw new IllegalArgumentException("probs must not be null");
        }
        if (rowStride < slots) {
            throw new IllegalArgumentException("rowStride " + rowStride + " must be at least the view's slots " + slots);
        }
        long needed = (long) (queryHeads - 1) * rowStride + slots;
        if (probs.length < needed) {
            throw new IllegalArgumentException("probs must hold queryHeads=" + queryHeads + " rows of "
                    + slots + " slots at stride " + rowStride + " (" + needed + " floats), was " + probs.length);
        }
    }

    /**
     * Validates the probability columns {@code [from, slots)} of {@code [queryHeads, slots]} rows
     * and zeroes those of empty slots. Columns the policy never reads cannot affect the cache and
     * are not scanned, which keeps observe() cheap next to attention.
     */
    static void probabilities(float[] probs, LayerStore store, int queryHeads, int queriesPerHead, int from, int slots) {
        for (int q = 0; q < queryHeads; q++) {
            int h = q / queriesPerHead;
            int row = q * slots;
            for (int s = from; s < slots; s++) {
                float p = probs[row + s];
                if (!(p >= 0f && p <= 1.0001f) && store.position(h, s) >= 0) {
                    throw new IllegalArgumentException("probs[" + q + ", " + s + "] = " + p + " is not a probability in [0, 1]");
                }
            }
            for (int s = from; s < slots; s++) {
                if (store.position(h, s) < 0) {
                    probs[row + s] = 0f;
                }
            }
        }
    }
}
