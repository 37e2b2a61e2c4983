package io.scopekv;

/**
 * What a policy may need from the engine beyond keys and values.
 *
 * <p>Engines declare what they can supply with {@link KvCacheBuilder#engineSupplies}; the builder
 * rejects a policy that needs something the engine cannot supply, naming it.
 */
public enum EngineInput {
    /**
     * The decode step's attention probabilities, either computed by
     * {@link KvCache#attend} or handed in through {@link KvCache#observe}. Engines whose fused
     * attention kernel never materialises probabilities cannot supply this.
     */
    ATTENTION_PROBABILITIES,
    /** The queries of the last few prompt tokens (an observation window), passed to prefill. */
    PROMPT_QUERY_WINDOW,
    /** The queries of every prompt token, passed to prefill. */
    ALL_PROMPT_QUERIES
}
