package io.scopekv.policy.decoding;

import io.scopekv.policy.DecodingScorer;
import io.scopekv.policy.DecodingStrategy;
import io.scopekv.policy.SpecForm;

/**
 * Unified H2O: a whole-cache budget of P + W per head, where P is the head's prefill kept count.
 * Once a head holds P + W tokens, every token except the R most recent competes, prompt
 * included, and the selection keeps the top-scoring tokens plus the last R. Spec {@code h2o(W,R)}.
 *
 * @param window W, the tokens allowed on top of the prefill set; above R
 * @param recent R, the most recent tokens, never evicted
 * @param scorer ranks every older token; by default the current step's attention (H2O's heavy hitters)
 */
public record UnifiedH2o(int window, int recent, DecodingScorer scorer) implements DecodingStrategy {

    /** Spec name, parameters and factory. */
    public static final SpecForm<UnifiedH2o> SPEC = SpecForm.<UnifiedH2o>named("h2o")
            .required("W", UnifiedH2o::window)
            .optional("R", 256, UnifiedH2o::recent)
            .build(args -> new UnifiedH2o(args.integer("W"), args.integer("R")));

    /** Checks the components, naming the value and the rule it breaks. */
    public UnifiedH2o {
        Windows.require(window, recent, scorer);
    }

    /** Unified H2O with its own scorer. */
    public UnifiedH2o(int window, int recent) {
        this(window, recent, new CurrentAttention());
    }

    @Override
    public String describe() {
        return SPEC.describe(this);
    }

    @Override
    public DecodingStrategy withScorer(DecodingScorer newScorer) {
        return new UnifiedH2o(window, recent, newScorer);
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
