package io.scopekv;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inner loops of attention for the query heads that share one storage head, reading keys and
 * values in place from a storage segment (no copy) at the storage's width. The Vector API
 * implementation is used when the JVM has {@code jdk.incubator.vector} (run with
 * {@code --add-modules jdk.incubator.vector}); the scalar one otherwise. Both are deterministic:
 * every sum runs in a fixed order that depends on neither threads nor JIT tier. Not API.
 */
interface AttentionKernel {

    /**
     * {@code scores[scoreOff + g * stride + r] = dot(query_g, K[head, slot0 + r])} for query heads
     * {@code g < queries} (query g starts at {@code queryOff + g * headDim}) and rows
     * {@code r < rows}, all inside {@code segment}.
     */
    void scores(LayerStore store, LayerStore.Segment segment, int head, int slot0, int rows,
                float[] query, int queryOff, int queries, float[] scores, int scoreOff, int stride, float[] scratch);

    /**
     * In place over {@code x[off, off + n)}: logits {@code x * scale}, {@code -inf} where
     * {@code positions[s] < 0} (an empty slot), then softmax; empty slots get exactly 0.
     *
     * @return false, leaving x unspecified, when an occupied slot's logit is not finite (the
     *         scores overflowed float32); the caller then recomputes the head in double precision
     */
    boolean softmax(float[] x, int off, int n, int[] positions, float scale);

    /**
     * {@code out_g += sum_r probs[probOff + g * stride + r] * V[head, slot0 + r]} for query heads
     * {@code g < queries}, where {@code out_g} starts at {@code outOff + g * headDim}.
     * {@code scratch} (both methods) holds at least {@code queries * headDim} floats and belongs to
     * the calling thread.
     */
    void accumulate(LayerStore store, LayerStore.Segment segment, int head, int slot0, int rows,
                    float[] probs, int probOff, int stride, int queries, float[] out, int outOff, float[] scratch);

    /** The fastest kernel this JVM can run. */
    static AttentionKernel best() {
        return Holder.BEST;
    }

    /** The plain Java kernel. */
    static AttentionKernel scalar() {
        return ScalarKernel.INSTANCE;
    }

    /** Picks the kernel once per JVM; the choice is immutable. */
    final class Holder {
        private static final Logger LOG = LoggerFactory.getLogger(AttentionKernel.class);
        static final AttentionKernel BEST = choose();

        private Holder() {
        }

        private static AttentionKernel choose() {
            if (vectorApiReadable()) {
                try {
                    // by name: a class literal would link VectorKernel, and with it the Vector API,
                    // on JVMs that lack the module
                    AttentionKernel vector = (AttentionKernel) Class.forName(
                                    AttentionKernel.class.getPackageName() + ".VectorKernel")
                            .getDeclaredConstructor().newInstance();
                    LOG.debug("attention kernel: Vector API");
                    return vector;
                } catch (ReflectiveOperationException | LinkageError e) {
                    LOG.warn("Vector API present but unusable ({}); using the scalar attention kernel", e.toString());
                }
            } else {
                LOG.info("jdk.incubator.vector not enabled: using the scalar attention kernel "
                        + "(run with --add-modules jdk.incubator.vector for the faster one)");
            }
            return ScalarKernel.INSTANCE;
        }

        /**
         * Whether this class can use {@code jdk.incubator.vector}. On the class path that is whether
         * the module was resolved (the unnamed module reads every module). In the named module
         * {@code io.scopekv}, whose {@code requires static} does not resolve it, the module must be
         * resolved in this module's layer or a parent ({@code --add-modules}), which makes the
         * static requirement a read edge.
         */
        private static boolean vectorApiReadable() {
            Module self = AttentionKernel.class.getModule();
            ModuleLayer layer = self.getLayer() == null ? ModuleLayer.boot() : self.getLayer();
            return layer.findModule("jdk.incubator.vector").map(self::canRead).orElse(false);
        }
    }
}
