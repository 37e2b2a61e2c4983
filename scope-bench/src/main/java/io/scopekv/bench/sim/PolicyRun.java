package io.scopekv.bench.sim;

import io.scopekv.CachePolicy;
import io.scopekv.KvCache;
import io.scopekv.policy.GqaMode;

/**
 * One policy's cache in a {@link Simulation} and the per-step measurements taken on it.
 *
 * @param label   display name, e.g. {@code SCOPE Slide W=128}
 * @param policy  the parsed policy
 * @param cache   its cache, owned by the simulation
 * @param metrics its measurements against the reference
 */
public record PolicyRun(String label, CachePolicy policy, KvCache cache, StepMetrics metrics) {

    public PolicyRun {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("label must not be blank");
        }
    }

    /** Heads {@link KvCache#keptPositions} indexes: query heads when K/V are replicated, else KV heads. */
    public int storageHeads() {
        return policy.gqa() == GqaMode.REPLICATE ? cache.layout().queryHeads() : cache.layout().kvHeads();
    }
}
