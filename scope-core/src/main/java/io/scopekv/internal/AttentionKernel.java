package io.scopekv.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two inner loops of attention over a block of cached rows, for the query heads that share
 * one KV head. The Vector API implementation is used when the JVM has {@code jdk.incubator.vector}
 * (run with {@code --add-modules jdk.incubator.vector}); the scalar one otherwise. Not API.
 */
public interface AttentionKernel {

    /**
     * {@code scores[scoreOff + g * scoreStride + r] = dot(query_g, block_r)} for query heads
     * {@code g < queries} (query g starts at {@code queryOff + g * d}) and rows {@code r < rows}.
     */
    void scoreRows(float[] query, int queryOff, int queries, float[] block, int rows, int d,
                   float[] scores, int scoreOff, int scoreStride);

    /**
     * {@code out_g += sum_r probs[probOff + g * probStride + r] * block_r} for query heads
     * {@code g < queries}, where {@code out_g} starts at {@code outOff + g * d}.
     */
    void accumulateRows(float[] probs, int probOff, int probStride, int queries, float[] block, int rows, int d,
                        float[] out, int outOff);

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
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
                try {
                    AttentionKernel vector = (AttentionKernel) Class.forName("io.scopekv.internal.VectorKernel")
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
    }
}
