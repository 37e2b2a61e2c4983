/**
 * scope-core: a KV cache for one sequence that compresses what decoding adds (SCOPE) and runs the
 * classic prefill and unified compressors behind the same API.
 *
 * <p>Exports the API ({@code io.scopekv}), the policy SPI ({@code io.scopekv.policy}) and the
 * built-in policies. ND4J's {@code INDArray} appears in the API, so readers of this module read
 * {@code nd4j.api} too. The Vector API attention kernel is optional: it runs when the application
 * adds {@code jdk.incubator.vector} ({@code --add-modules jdk.incubator.vector}); without it a
 * plain Java kernel gives the same results.
 */
module io.scopekv {
    requires transitive nd4j.api;
    requires org.slf4j;
    requires static jdk.incubator.vector;

    exports io.scopekv;
    exports io.scopekv.policy;
    exports io.scopekv.policy.prefill;
    exports io.scopekv.policy.decoding;
}
