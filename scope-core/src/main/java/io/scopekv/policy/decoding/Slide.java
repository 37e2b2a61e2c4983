package io.scopekv.policy.decoding;

import io.scopekv.policy.DecodingScorer;
import io.scopekv.policy.DecodingStrategy;
import io.scopekv.policy.Occupancy;
import io.scopekv.policy.Selection;
import io.scopekv.policy.SpecForm;

/**
 * SCOPE Slide: a fixed decoding budget W. On every step where a head holds at least W decoding
 * tokens, each head keeps its R most recent decoding tokens plus the W - R highest-scoring older
 * ones (at exactly W nothing is evicted). The prefill set never changes. Spec {@code slide(W,R)}.
 *
 * @param window W, decoding tokens kept; above R
 * @param recent R, the most recent tokens, never evicted
 * @param scorer ranks the older decoding tokens
 */
public record Slide(int window, int recent, DecodingScorer scorer) implements DecodingStrategy {

    /** Spec name, parameters and factory. */
    public static final SpecForm<Slide> SPEC = SpecForm.<Slide>named("slide")
            .required("W", Slide::window)
            .optional("R", 256, Slide::recent)
            .build(args -> new Slide(args.integer("W"), args.integer("R")));

    /** Checks the components, naming the value and the rule it breaks. */
    public Slide {
        Windows.require(window, recent, scorer);
    }

    /** Slide ranked by the current step's attention. */
    public Slide(int window, int recent) {
        this(window, recent, new CurrentAttention());
    }

    @Override
    public String describe() {
        return SPEC.describe(this);
    }

    @Override
    public DecodingStrategy withScorer(DecodingScorer newScorer) {
        return new Slide(window, recent, newScorer);
    }

    /** W + 1: the token attended before the selection that brings the head back to W. */
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
        RecentWindow last = new RecentWindow(recent);
        return new State() {
            @Override
            public void onAppend(int position, float[] keys, float[] values) {
                last.add(position);
            }

            @Override
            public Selection decide(long step, Occupancy cache) {
                for (int h = 0; h < cache.heads(); h++) {
                    if (cache.decoding(h) >= window) {
                        return Selection.uniform(cache.promptEnd(), last.start(cache.promptEnd()), window - recent,
                                cache.heads());
                    }
                }
                return null;
            }
        };
    }
}
