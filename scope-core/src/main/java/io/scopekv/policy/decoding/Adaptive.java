package io.scopekv.policy.decoding;

import io.scopekv.policy.DecodingScorer;
import io.scopekv.policy.DecodingStrategy;
import io.scopekv.policy.Occupancy;
import io.scopekv.policy.Selection;
import io.scopekv.policy.SpecForm;

/**
 * SCOPE Adaptive: Slide under a budget that grows with the step,
 * {@code B(j) = R + floor((j - 1) / delta)} with {@code delta = (T - R) / (W - R)} (integer
 * division), so it reaches about W at j = T. This is the reference code's rule, not the paper's
 * formula, and it is not capped at W. Selects on every step where a head holds at least B(j)
 * decoding tokens. Spec {@code adaptive(W,R,T)}.
 *
 * @param window       W, the budget reached near the end of generation; above R
 * @param recent       R, the most recent tokens, never evicted
 * @param maxNewTokens T, tokens the generation is configured for; at least W
 * @param scorer       ranks the older decoding tokens
 */
public record Adaptive(int window, int recent, int maxNewTokens, DecodingScorer scorer) implements DecodingStrategy {

    /** Spec name, parameters and factory. */
    public static final SpecForm<Adaptive> SPEC = SpecForm.<Adaptive>named("adaptive")
            .required("W", Adaptive::window)
            .optional("R", 256, Adaptive::recent)
            .required("T", Adaptive::maxNewTokens)
            .build(args -> new Adaptive(args.integer("W"), args.integer("R"), args.integer("T")));

    /** Checks the components, naming the value and the rule it breaks. */
    public Adaptive {
        Windows.require(window, recent, scorer);
        Windows.requireHorizon(window, maxNewTokens);
    }

    /** Adaptive ranked by the current step's attention. */
    public Adaptive(int window, int recent, int maxNewTokens) {
        this(window, recent, maxNewTokens, new CurrentAttention());
    }

    /** delta = (T - R) / (W - R), integer division: the steps per budget increment. */
    public int delta() {
        return delta(window, recent, maxNewTokens);
    }

    /** B(j) = R + floor((j - 1) / delta), the decoding tokens allowed after step j. */
    public int budget(long step) {
        return budget(recent, delta(), step);
    }

    static int delta(int window, int recent, int maxNewTokens) {
        return (maxNewTokens - recent) / (window - recent);
    }

    static int budget(int recent, int delta, long step) {
        return (int) Math.min(Integer.MAX_VALUE, recent + Math.max(0, step - 1) / delta);
    }

    @Override
    public String describe() {
        return SPEC.describe(this);
    }

    @Override
    public DecodingStrategy withScorer(DecodingScorer newScorer) {
        return new Adaptive(window, recent, maxNewTokens, newScorer);
    }

    /** The first budget is R; the storage grows in chunks as B(j) does. */
    @Override
    public int initialDecodingSlots() {
        return recent + 1;
    }

    @Override
    public int growthChunk(int currentDecodingSlots) {
        return 64;
    }

    @Override
    public State newState(int layer, int layers, int heads) {
        RecentWindow last = new RecentWindow(recent);
        return new State() {
            @Override
            public void onAppend(int position, float[] keys, float[] values) {
                last.add(position);
            }

            @Override
            public Selection decide(long step, Occupancy cache) {
                int budget = budget(step);
                for (int h = 0; h < cache.heads(); h++) {
                    if (cache.decoding(h) >= budget) {
                        return Selection.uniform(cache.promptEnd(), last.start(cache.promptEnd()), budget - recent,
                                cache.heads());
                    }
                }
                return null;
            }
        };
    }
}
