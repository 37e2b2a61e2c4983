package io.scopekv;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Argument rules of the cache's calls, each failing with the value and the rule it breaks. */
final class Checks {

    private Checks() {
    }

    /** Positions of prompt tokens: at least one, non-negative, strictly ascending, above {@code after}. */
    static void positions(int[] positions, int after) {
        if (positions == null || positions.length == 0) {
            throw new IllegalArgumentException("positions must hold one entry per prompt token (M >= 1), was "
                    + (positions == null ? "null" : "empty"));
        }
        if (after >= 0 && positions[0] <= after) {
            throw new IllegalArgumentException("positions[0]=" + positions[0] + " must exceed the previous chunk's last position "
                    + after);
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

    /** One prompt chunk, row-major: every rule a prefill checks before anything is stored. */
    static void chunk(CacheLayout layout, float[] keys, float[] values, int[] positions, float[] queries, int after) {
        positions(positions, after);
        int m = positions.length;
        rows("keys", keys, layout.kvHeads(), m, layout.headDim());
        rows("values", values, layout.kvHeads(), m, layout.headDim());
        if (queries != null) {
            queryRows(queries, layout, m);
            Tensors.requireFinite("queries", queries, 0, queries.length);
        }
        Tensors.requireFinite("keys", keys, 0, keys.length);
        Tensors.requireFinite("values", values, 0, values.length);
        LayerStore.requireStorable(layout.storage(), "key", keys, 0, keys.length);
        LayerStore.requireStorable(layout.storage(), "value", values, 0, values.length);
    }

    /** {@code array} holds {@code [heads, m, headDim]} floats. */
    static void rows(String name, float[] array, int heads, int m, int headDim) {
        if (array == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (array.length != (long) heads * m * headDim) {
            throw new IllegalArgumentException(name + " must hold [heads=" + heads + ", M=" + m + ", headDim=" + headDim
                    + "] = " + (long) heads * m * headDim + " floats, was " + array.length);
        }
    }

    /** {@code queries} holds {@code [queryHeads, nq, headDim]} floats with {@code 1 <= nq <= m}. */
    static void queryRows(float[] queries, CacheLayout layout, int m) {
        int perRow = layout.queryHeads() * layout.headDim();
        int nq = queries.length / perRow;
        if (queries.length % perRow != 0 || nq < 1 || nq > m) {
            throw new IllegalArgumentException("queries must hold [queryHeads=" + layout.queryHeads() + ", nq in 1.." + m
                    + ", headDim=" + layout.headDim() + "] floats, was " + queries.length);
        }
    }

    /** A heap copy of the buffer's floats from its position to its limit; the buffer is unchanged. */
    static float[] remaining(String name, FloatBuffer buffer) {
        if (buffer == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        float[] out = new float[buffer.remaining()];
        buffer.get(buffer.position(), out);
        return out;
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
