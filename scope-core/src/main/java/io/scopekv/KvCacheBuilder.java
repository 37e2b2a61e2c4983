package io.scopekv;

import io.scopekv.policy.DecodingStrategy;
import io.scopekv.policy.GqaMode;
import io.scopekv.policy.PrefillCompressor;
import java.util.EnumSet;
import java.util.Set;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Configures a {@link KvCache}. The defaults are the full cache (no compression), an engine that
 * can supply everything, and the attention scale {@code 1 / sqrt(headDim)}.
 *
 * <pre>{@code
 * KvCache cache = KvCache.builder(CacheLayout.of(32, 32, 8, 128))
 *     .policy("prefill=snapkv(P=2048,w=8),decoding=slide(W=512,R=256)")
 *     .build();
 * }</pre>
 */
public final class KvCacheBuilder {
    private CacheLayout layout;
    private CachePolicy policy = CachePolicy.full();
    private Set<EngineInput> supplied = EnumSet.allOf(EngineInput.class);
    private float scale = Float.NaN;
    private int threads = 1;
    private Backend backend = Backend.AUTO;
    /** Set by {@link #storage}; otherwise the layout's type, or the system property's over FLOAT32. */
    private boolean storageChosen;

    KvCacheBuilder(CacheLayout layout) {
        if (layout == null) {
            throw new IllegalArgumentException("layout must not be null");
        }
        this.layout = layout;
    }

    /** The whole policy at once. */
    public KvCacheBuilder policy(CachePolicy policy) {
        if (policy == null) {
            throw new IllegalArgumentException("policy must not be null");
        }
        this.policy = policy;
        return this;
    }

    /** The whole policy as a spec string; see {@link PolicySpec}. */
    public KvCacheBuilder policy(String spec) {
        return policy(PolicySpec.parse(spec));
    }

    /** Replaces the prefill compressor, e.g. with your own. */
    public KvCacheBuilder prefill(PrefillCompressor prefill) {
        return policy(new CachePolicy(prefill, policy.decoding(), policy.gqa()));
    }

    /** Replaces the decoding strategy. */
    public KvCacheBuilder decoding(DecodingStrategy decoding) {
        return policy(new CachePolicy(policy.prefill(), decoding, policy.gqa()));
    }

    /** Replaces the grouped-query rule. */
    public KvCacheBuilder gqa(GqaMode gqa) {
        return policy(new CachePolicy(policy.prefill(), policy.decoding(), gqa));
    }

    /**
     * Declares what the engine can supply; {@link #build()} rejects a policy that needs more.
     * An engine with a fused attention kernel supplies neither probabilities nor queries:
     * {@code engineSupplies()} with no arguments.
     */
    public KvCacheBuilder engineSupplies(EngineInput... inputs) {
        Set<EngineInput> set = EnumSet.noneOf(EngineInput.class);
        for (EngineInput input : inputs) {
            set.add(input);
        }
        if (set.contains(EngineInput.ALL_PROMPT_QUERIES)) {
            set.add(EngineInput.PROMPT_QUERY_WINDOW);
        }
        this.supplied = set;
        return this;
    }

    /** The softmax scale of {@link KvCache#attend}; default {@code 1 / sqrt(headDim)}. */
    public KvCacheBuilder attentionScale(float scale) {
        if (!(scale > 0) || !Float.isFinite(scale)) {
            throw new IllegalArgumentException("attention scale must be positive and finite, was " + scale);
        }
        this.scale = scale;
        return this;
    }

    /**
     * How keys and values are stored: {@link StorageType#FLOAT32} (the layout's default),
     * {@link StorageType#BF16} or {@link StorageType#F16}, which halve the resident memory and
     * the bytes each attention step reads. Replaces the layout's storage type. Without this call, a
     * FLOAT32 layout takes the type named by the system property {@value #STORAGE_PROPERTY} if set
     * (so an application's caches can be switched to 16 bits without code changes).
     */
    public KvCacheBuilder storage(StorageType storage) {
        if (storage == null) {
            throw new IllegalArgumentException("storage must not be null");
        }
        this.layout = withStorage(layout, storage);
        this.storageChosen = true;
        return this;
    }

    /**
     * Threads that share each {@link KvCache#attend} call, split over KV heads: the calling thread
     * plus {@code threads - 1} tasks in the common fork-join pool. Default 1, which suits engines
     * that already run sequences or heads in parallel.
     */
    public KvCacheBuilder attentionThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("attention threads must be >= 1, was " + threads);
        }
        this.threads = threads;
        return this;
    }

    /** The system property naming the default storage type of FLOAT32 layouts: FLOAT32, BF16 or F16. */
    public static final String STORAGE_PROPERTY = "scopekv.storage";

    private static CacheLayout withStorage(CacheLayout layout, StorageType storage) {
        return new CacheLayout(layout.layers(), layout.queryHeads(), layout.kvHeads(), layout.headDim(), storage);
    }

    /** The layout a build uses: {@link #storage}'s choice, the layout's, or the system property's. */
    private CacheLayout effectiveLayout() {
        String property = System.getProperty(STORAGE_PROPERTY);
        if (storageChosen || layout.storage() != StorageType.FLOAT32 || property == null || property.isBlank()) {
            return layout;
        }
        for (StorageType type : StorageType.values()) {
            if (type.name().equalsIgnoreCase(property.trim())) {
                return withStorage(layout, type);
            }
        }
        throw new IllegalArgumentException("system property " + STORAGE_PROPERTY + "=" + property
                + " is not a storage type; use FLOAT32, BF16 or F16 (or leave it unset)");
    }

    /** The path a cache takes: AUTO resolved by the system property, then by ND4J's backend. */
    static Backend resolve(Backend requested) {
        boolean cpu = Nd4j.getEnvironment().isCPU();
        Backend chosen = requested;
        if (requested == Backend.AUTO) {
            String property = System.getProperty(Backend.PROPERTY);
            if (property == null || property.isBlank()) {
                chosen = cpu ? Backend.HOST : Backend.ND4J;
            } else if (property.trim().equalsIgnoreCase("host")) {
                chosen = Backend.HOST;
            } else if (property.trim().equalsIgnoreCase("nd4j")) {
                chosen = Backend.ND4J;
            } else {
                throw new IllegalArgumentException("system property " + Backend.PROPERTY + "=" + property
                        + " is not a backend; use host or nd4j (or leave it unset)");
            }
        }
        if (chosen == Backend.HOST && !cpu) {
            throw new IllegalArgumentException("Backend.HOST reads the storage's host memory directly, which is only "
                    + "correct on ND4J's CPU backend; this one is " + Nd4j.getBackend().getClass().getSimpleName()
                    + ": use Backend.ND4J or AUTO");
        }
        return chosen;
    }

    /**
     * How the cache reaches its storage: {@link Backend#AUTO} (the default), {@link Backend#HOST}
     * or {@link Backend#ND4J}.
     */
    public KvCacheBuilder backend(Backend backend) {
        if (backend == null) {
            throw new IllegalArgumentException("backend must not be null");
        }
        this.backend = backend;
        return this;
    }

    /**
     * Builds the cache. Off-heap storage is allocated per layer at its prefill.
     *
     * @throws IllegalArgumentException if the policy needs an input the engine cannot supply
     */
    public KvCache build() {
        Set<EngineInput> missing = EnumSet.noneOf(EngineInput.class);
        missing.addAll(policy.needs());
        missing.removeAll(supplied);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("policy " + policy.describe() + " needs " + missing
                    + " from the engine, which supplies only " + supplied
                    + "; choose a policy that needs none of " + missing + " (e.g. prefill=keynorm, scorer=oldest)");
        }
        float effectiveScale = Float.isNaN(scale) ? (float) (1.0 / Math.sqrt(layout.headDim())) : scale;
        return NdKvCache.create(effectiveLayout(), policy, effectiveScale, resolve(backend), threads);
    }
}
