package io.scopekv.policy.decoding;

import io.scopekv.policy.DecodingScorer;
import io.scopekv.policy.DecodingStrategy;
import io.scopekv.policy.Occupancy;
import io.scopekv.policy.Selection;
import io.scopekv.policy.SpecForm;

/**
 * SCOPE Discontinuous: {@link Adaptive}'s budget B(j), but selecting only every delta + 1 steps.
 * It counts the steps on which a head holds at least B(j) decoding tokens, starting with the first
 * such step, selects on the (delta + 1)-th and starts counting again: the cadence is phase-locked
 * to the step the budget is first reached, not to {@code j % interval}. Between selections a head
 * may hold up to delta tokens over budget. Spec {@code discontinuous(W,R,T)}.
 *
 * @param window       W, the budget reached near the end of generation; above R
 * @param recent       R, the most recent tokens, never evicted
 * @param maxNewTokens T, tokens the generation is configured for; at least W
 * @param scorer       ranks the older decoding tokens
 */
public record Discontinuous(int window, int recent, int maxNewTokens, DecodingScorer scorer) implements DecodingStrategy {

    /** Spec name, parameters and factory. */
    public static final SpecForm<Discontinuous> SPEC = SpecForm.<Discontinuous>named("discontinuous")
            .required("W", Discontinuous::window)
            .optional("R", 256, Discontinuous::recent)
            .required("T", Discontinuous::maxNewTokens)
            .build(args -> new Discontinuous(args.integer("W"), args.integer("R"), args.integer("T")));

    /** Checks the components, naming the value and the rule it breaks. */
    public Discontinuous {
        Windows.require(window, recent, scorer);
        Windows.requireHorizon(window, maxNewTokens);
    }

    /** Discontinuous ranked by the current step's attention. */
    public Discontinuous(int window, int recent, int maxNewTokens) {
        this(window, recent, maxNewTokens, new CurrentAttention());
    }

    /** delta = (T - R) / (W - R): both the budget's growth interval and the selection period - 1. */
    public int delta() {
        return Adaptive.delta(window, recent, maxNewTokens);
    }

    /** B(j) = R + floor((j - 1) / delta), as {@link Adaptive#budget(long)}. */
    public int budget(long step) {
        return Adaptive.budget(recent, delta(), step);
    }

    @Override
    public String describe() {
        return SPEC.describe(this);
    }

    @Override
    public DecodingStrategy withScorer(DecodingScorer newScorer) {
        return new Discontinuous(window, recent, maxNewTokens, newScorer);
    }

    /** R + delta + 1: the first budget plus the delta tokens held over it between selections. */
    @Override
    public int initialDecodingSlots() {
        return (int) Math.min((long) recent + delta() + 1, Integer.MAX_VALUE);
    }

    @Override
    public int growthChunk(int currentDecodingSlots) {
        return Math.max(64, delta() + 1);
    }

    @Override
    public State newState(int layer, int layers, int heads) {
        RecentWindow last = new RecentWindow(recent);
        int delta = delta();
        return new State() {
            /** Steps at or over budget since the last selection. */
            private int counted;

            @Override
            public void onAppend(int position, float[] keys, float[] values) {
                last.add(position);
            }

            @Override
            public Selection decide(long step, Occupancy cache) {
                int budget = budget(step);
                boolean over = false;
                for (int h = 0; h < cache.heads(); h++) {
                    over |= cache.decoding(h) >= budget;
                }
                if (!over || ++counted <= delta) {
                    return null;
                }
                counted = 0;
                return Selection.uniform(cache.promptEnd(), last.start(cache.promptEnd()), budget - recent, cache.heads());
            }
        };
    }
}
