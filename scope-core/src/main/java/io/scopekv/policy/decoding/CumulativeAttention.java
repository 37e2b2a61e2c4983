package io.scopekv.policy.decoding;

import io.scopekv.policy.DecodingScorer;
import io.scopekv.policy.PrefillInput;
import io.scopekv.policy.SpecForm;
import io.scopekv.policy.prefill.H2oPrefill;

/**
 * H2O's score: attention summed over every step since the token entered the cache.
 *
 * <p>Prompt tokens enter the cache at prefill. With {@code fromPrefill} false (spec
 * {@code cumulative}) they start from zero, like decoding tokens, and only decode steps' attention
 * counts. With {@code fromPrefill} true (spec {@code cumulative(prefill=1)}) they start from the
 * attention they received from every prompt query under the causal mask, the score H2O's prefill
 * ranks by, so the sum runs over every query since the token entered the cache, as in H2O. Only
 * whole-cache strategies (unified H2O) ever rank prompt tokens, so only there the two differ.
 *
 * @param fromPrefill whether prompt tokens start from their prefill attention (needs every prompt
 *                    query at prefill)
 */
public record CumulativeAttention(boolean fromPrefill) implements DecodingScorer {

    /** Spec name, parameters and factory. */
    public static final SpecForm<CumulativeAttention> SPEC = SpecForm.<CumulativeAttention>named("cumulative")
            .flag("prefill", CumulativeAttention::fromPrefill)
            .build(args -> new CumulativeAttention(args.flag("prefill")));

    /** Prompt tokens start from zero. */
    public CumulativeAttention() {
        this(false);
    }

    @Override
    public String describe() {
        return SPEC.describe(this);
    }

    @Override
    public boolean needsAttention() {
        return true;
    }

    @Override
    public boolean needsPromptQueries() {
        return fromPrefill;
    }

    @Override
    public float[][] promptScores(PrefillInput input) {
        // H2O's prefill score is exactly the attention each prompt token got from the prompt's queries;
        // its budget plays no part in scoring
        return fromPrefill ? new H2oPrefill(1, 0).score(input) : null;
    }

    @Override
    public State newState(int heads, int headDim, int capacity) {
        return new SlotScores(heads, capacity, 1, true);
    }
}
