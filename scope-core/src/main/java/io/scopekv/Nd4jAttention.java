package io.scopekv;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Attention through ND4J operations only, so that it is correct on any ND4J backend (ND4J keeps
 * host and device copies in step for its own operations; reading the host memory directly, as the
 * Vector API kernel does, would bypass that on a GPU). Per storage head: the group's queries
 * {@code [group, headDim]} times each segment's key view {@code [slots, headDim]} transposed
 * ({@code mmul}), scaled, masked with a {@code -inf} row for empty slots, softmax, then the
 * probabilities times each segment's value view. 16-bit storage is widened with {@code castTo}.
 * The probabilities and output are copied to the host arrays the policy reads. Every temporary is
 * closed at once, so a step leaves no off-heap garbage behind.
 *
 * <p>Scores that overflow float32 (finite inputs) are recomputed in double precision, as the host
 * path does, so finite inputs give a finite result here too.
 */
final class Nd4jAttention implements Attention {
    private final int heads;
    private final int group;
    private final int headDim;
    private final float scale;

    Nd4jAttention(int heads, int group, int headDim, float scale) {
        this.heads = heads;
        this.group = group;
        this.headDim = headDim;
        this.scale = scale;
    }

    @Override
    public void attend(LayerStore store, float[] query, float[] out, float[] probs) {
        int slots = store.slots();
        int d = headDim;
        float[] scores = new float[group * slots];
        for (int h = 0; h < heads; h++) {
            float[] bias = mask(store.positions(h), slots);
            boolean finite = headAttention(store, h, slots, query, bias, DataType.FLOAT, scores, out);
            if (!finite) {
                headAttention(store, h, slots, query, bias, DataType.DOUBLE, scores, out);
            }
            System.arraycopy(scores, 0, probs, h * group * slots, group * slots);
        }
    }

    /** 0 for occupied slots, {@code -inf} for empty ones. */
    private static float[] mask(int[] positions, int slots) {
        float[] bias = new float[slots];
        for (int s = 0; s < slots; s++) {
            bias[s] = positions[s] < 0 ? Float.NEGATIVE_INFINITY : 0f;
        }
        return bias;
    }

    /**
     * One storage head in {@code type} (FLOAT, or DOUBLE for the rescue): probabilities into
     * {@code probs [group, slots]}, output into the head's rows of {@code out}.
     *
     * @return false when a logit of an occupied slot is not finite (only possible in FLOAT)
     */
    private boolean headAttention(LayerStore store, int h, int slots, float[] query, float[] bias, DataType type,
                                  float[] probs, float[] out) {
        int d = headDim;
        float[] q = java.util.Arrays.copyOfRange(query, h * group * d, (h + 1) * group * d);
        try (INDArray queries = typed(Nd4j.create(q, new long[] {group, d}, 'c'), type);
             INDArray logits = Nd4j.create(type, group, slots);
             INDArray mask = typed(Nd4j.create(bias, new long[] {1, slots}, 'c'), type);
             INDArray output = Nd4j.create(type, group, d)) {
            for (LayerStore.Segment segment : store.segments()) {
                int end = Math.min(slots, segment.start + segment.size);
                if (end <= segment.start) {
                    continue;
                }
                try (INDArray keys = rows(segment.keys, h, end - segment.start, type);
                     INDArray part = queries.mmul(keys.transpose())) {
                    logits.get(NDArrayIndex.all(), NDArrayIndex.interval(segment.start, end)).assign(part);
                }
            }
            logits.muli(scale).addiRowVector(mask);
            float[] host = hostFloats(logits);
            for (int i = 0; i < host.length; i++) {
                if (bias[i % slots] == 0f && !Float.isFinite(host[i]) && type == DataType.FLOAT) {
                    return false;
                }
            }
            Transforms.softmax(logits, false);
            for (LayerStore.Segment segment : store.segments()) {
                int end = Math.min(slots, segment.start + segment.size);
                if (end <= segment.start) {
                    continue;
                }
                try (INDArray values = rows(segment.values, h, end - segment.start, type);
                     INDArray part = logits.get(NDArrayIndex.all(), NDArrayIndex.interval(segment.start, end)).mmul(values)) {
                    output.addi(part);
                }
            }
            System.arraycopy(hostFloats(logits), 0, probs, 0, group * slots);
            System.arraycopy(hostFloats(output), 0, out, h * group * d, group * d);
            return true;
        }
    }

    /** A head's first {@code n} rows of a segment {@code [n, headDim]}, as a contiguous {@code type} copy. */
    private static INDArray rows(INDArray array, int head, int n, DataType type) {
        INDArray view = array.get(NDArrayIndex.point(head), NDArrayIndex.interval(0, n), NDArrayIndex.all());
        return view.dataType() == type ? view.dup('c') : view.castTo(type);
    }

    /** {@code floats} in {@code type}: itself, or a cast copy (closing the float array). */
    private static INDArray typed(INDArray floats, DataType type) {
        if (floats.dataType() == type) {
            return floats;
        }
        try (floats) {
            return floats.castTo(type);
        }
    }

    /** The array's elements in row-major order on the heap, read through ND4J (which syncs a device copy). */
    private static float[] hostFloats(INDArray array) {
        if (array.dataType() == DataType.FLOAT) {
            return array.ravel().toFloatVector();
        }
        try (INDArray floats = array.castTo(DataType.FLOAT)) {
            return floats.ravel().toFloatVector();
        }
    }
}
