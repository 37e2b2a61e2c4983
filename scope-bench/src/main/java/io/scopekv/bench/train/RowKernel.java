package io.scopekv.bench.train;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one inner loop of {@link Transformer}: a weighted sum of rows added to a row,
 * <pre>
 *   y[yOff + m] += sum_k a[aOff + k * aStep] * x[xOff + k * xStep + m]   for m &lt; len, k &lt; rows
 * </pre>
 * The Vector API implementation is used when the JVM has {@code jdk.incubator.vector} (run with
 * {@code --add-modules jdk.incubator.vector}); the scalar one otherwise. Both round the same way on
 * every call, in every thread and compilation tier, so a run is reproducible on a given JVM setup;
 * the two implementations differ from each other in the last bits.
 */
interface RowKernel {

    void addRows(float[] a, int aOff, int aStep, float[] x, int xOff, int xStep, int rows,
                 float[] y, int yOff, int len);

    /** The fastest kernel this JVM can run. */
    static RowKernel best() {
        return Holder.BEST;
    }

    /** Picks the kernel once per JVM; the choice is immutable. */
    final class Holder {
        private static final Logger LOG = LoggerFactory.getLogger(RowKernel.class);
        static final RowKernel BEST = choose();

        private Holder() {
        }

        private static RowKernel choose() {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
                try {
                    return (RowKernel) Class.forName("io.scopekv.bench.train.VectorRowKernel")
                            .getDeclaredConstructor().newInstance();
                } catch (ReflectiveOperationException | LinkageError e) {
                    LOG.warn("Vector API present but unusable ({}); training with the scalar kernel", e.toString());
                }
            } else {
                LOG.info("jdk.incubator.vector not enabled: training with the scalar kernel, several times slower "
                        + "(run with --add-modules jdk.incubator.vector)");
            }
            return new ScalarRowKernel();
        }
    }
}
