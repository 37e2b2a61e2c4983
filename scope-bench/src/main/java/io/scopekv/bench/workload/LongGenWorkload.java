package io.scopekv.bench.workload;

import io.scopekv.CacheLayout;
import io.scopekv.bench.sim.TokenSource;

/**
 * The synthetic LongGenBench-style stream of a {@link WorkloadConfig}: prompt tokens
 * {@code 0..M-1} then {@code T} decode tokens, generated on demand per layer.
 */
public final class LongGenWorkload implements TokenSource {
    private final WorkloadConfig config;
    private final TaskPlan plan;
    private final LayerStream[] streams;

    public LongGenWorkload(WorkloadConfig config) {
        this.config = config;
        this.plan = new TaskPlan(config);
        this.streams = new LayerStream[config.layers()];
        for (int l = 0; l < streams.length; l++) {
            streams[l] = new LayerStream(config, plan, l);
        }
    }

    public WorkloadConfig config() {
        return config;
    }

    public TaskPlan plan() {
        return plan;
    }

    @Override
    public CacheLayout layout() {
        return config.layout();
    }

    @Override
    public int promptTokens() {
        return config.promptTokens();
    }

    @Override
    public int decodeSteps() {
        return config.maxNewTokens();
    }

    @Override
    public int maxNewTokens() {
        return config.maxNewTokens();
    }

    /**
     * @throws IllegalStateException past the last decode token of the layer
     */
    @Override
    public void next(int layer, float[] query, float[] key, float[] value) {
        LayerStream stream = streams[layer];
        if (stream.position() >= config.promptTokens() + config.maxNewTokens()) {
            throw new IllegalStateException("layer " + layer + " has no token after position "
                    + (stream.position() - 1) + " (M + T = " + (config.promptTokens() + config.maxNewTokens()) + ")");
        }
        stream.next(query, key, value);
    }

    @Override
    public void close() {
        // generated on the heap; nothing to release
    }
}
