package io.scopekv.bench.engine;

/** How a decode step computes attention over the cache. */
public enum AttentionPath {
    /**
     * The engine's own loop over {@link io.scopekv.KvCache#view}, handing the probabilities back with
     * {@link io.scopekv.KvCache#observe}: the integration an engine with its own kernel uses.
     */
    ENGINE,
    /** {@link io.scopekv.KvCache#attend}: the cache computes attention and keeps the probabilities. */
    CACHE
}
