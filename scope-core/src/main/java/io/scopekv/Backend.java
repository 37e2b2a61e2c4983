package io.scopekv;

/**
 * How a cache reaches its ND4J storage, chosen with {@link KvCacheBuilder#backend}.
 *
 * <p>{@link #HOST} reads and writes the arrays' memory directly (the Vector API attention
 * kernel), which is the fast path but is only correct where that memory is the array's own: ND4J's
 * CPU backend. {@link #ND4J} uses ND4J operations only (views, {@code assign} of a new row,
 * {@code mmul}, softmax), so ND4J keeps host and device copies in step on any backend, such as
 * CUDA; on the CPU it is slower. Results agree within float32 rounding, not bit for bit.
 */
public enum Backend {
    /**
     * {@link #HOST} on ND4J's CPU backend, {@link #ND4J} on any other. The system property
     * {@value #PROPERTY} ({@code host} or {@code nd4j}) overrides the choice for every cache built
     * with AUTO.
     */
    AUTO,
    /** Direct access to host memory; refused at build time on a backend other than the CPU one. */
    HOST,
    /** ND4J operations only: correct on every backend. */
    ND4J;

    /** The system property that picks the path for {@link #AUTO}: {@code host} or {@code nd4j}. */
    public static final String PROPERTY = "scopekv.backend";
}
