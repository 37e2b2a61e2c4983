package io.scopekv.policy.decoding;

import io.scopekv.policy.DecodingScorer;
import io.scopekv.policy.DecodingStrategy;
import io.scopekv.policy.SpecForm;

/**
 * Unified StreamingLLM: a whole-cache budget of P + W per head, where P is the head's prefill kept count.
 * Once a head holds P + W tokens, every token except the R most recent competes, prompt
 * included, and the selection keeps the earliest tokens (attention sinks) plus the last R. Spec {@code streamingllm(W,R)}.
 *
 * @param window W, the tokens allowed on top of the prefill set; above R
 * @param recent R, the most recent tokens, never evicted
 * @param scorer ranks every older token; by default oldest first, so it keeps the earliest tokens (attention sinks)
 */
public record UnifiedStreamingLlm(int window, int recent, DecodingScorer scorer) implements DecodingStrategy {

    /** Spec name, parameters and factory. */
    public static final SpecForm<UnifiedStreamingLlm> SPEC = SpecForm.<UnifiedStreamingLlm>named("streamingllm")
            .required("W", UnifiedStreamingLlm::window)
            .optional("R", 256, UnifiedStreamingLlm::recent)
            .build(args -> new UnifiedStreamingLlm(args.integer("W"), args.integer("R")));

    /** Checks the components, naming the value and the rule it breaks. */
    public UnifiedStreamingLlm {
        Windows.require(window, recent, scorer);
    }

    /** Unified StreamingLLM with its own scorer. */
    public UnifiedStreamingLlm(int window, int recent) {
        this(window, recent, new OldestFirst());
    }

    @Override
    public String describe() {
        return SPEC.describe(this);
    }

    @Override
    public DecodingStrategy withScorer(DecodingScorer newScorer) {
        return new UnifiedStreamingLlm(window, recent, newScorer);
    }

    @Override
    public boolean promptCompetes() {
        return true;
    }

    /** W + 1 on top of the prefill set: the token attended before the selection. */
    @Override
    public int initialDecodingSlots() {
        return (int) Math.min(window + 1L, Integer.MAX_VALUE);
    }

    @Override
    public int growthChunk(int currentDecodingSlots) {
        return 64;
    }

    @Override
    public State newState(int layer, int layers, int heads) {
        return new WholeCacheState(window, recent);
    }
}
