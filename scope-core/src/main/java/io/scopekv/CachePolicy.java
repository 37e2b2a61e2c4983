package io.scopekv;

import io.scopekv.policy.DecodingStrategy;
import io.scopekv.policy.GqaMode;
import io.scopekv.policy.PrefillCompressor;
import io.scopekv.policy.decoding.NoEviction;
import io.scopekv.policy.prefill.FullPrefill;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A complete cache policy: a prefill compressor plugged into a decoding strategy, and the rule
 * that maps grouped query heads onto shared KV heads. Parse one from a spec string with
 * {@link PolicySpec#parse(String)}; {@link #describe()} gives the spec string back.
 *
 * @param prefill  which prompt tokens stay after prefill
 * @param decoding how decoding-phase tokens are evicted
 * @param gqa      how query-head scores are aggregated per KV head
 */
public record CachePolicy(PrefillCompressor prefill, DecodingStrategy decoding, GqaMode gqa) {

    /** Checks the components, naming the value and the rule it breaks. */
    public CachePolicy {
        if (prefill == null || decoding == null || gqa == null) {
            throw new IllegalArgumentException("policy components must not be null (prefill="
                    + prefill + ", decoding=" + decoding + ", gqa=" + gqa + ")");
        }
    }

    /** A policy with the default grouped-query rule, {@link GqaMode#SUM}. */
    public static CachePolicy of(PrefillCompressor prefill, DecodingStrategy decoding) {
        return new CachePolicy(prefill, decoding, GqaMode.SUM);
    }

    /** No compression at all. */
    public static CachePolicy full() {
        return new CachePolicy(new FullPrefill(), new NoEviction(), GqaMode.SUM);
    }

    /** What the engine must supply for this policy. */
    public Set<EngineInput> needs() {
        Set<EngineInput> needs = EnumSet.noneOf(EngineInput.class);
        if (decoding.needsAttention()) {
            needs.add(EngineInput.ATTENTION_PROBABILITIES);
        }
        if (prefill.queriesNeeded() == Integer.MAX_VALUE || decoding.evicts() && decoding.scorer().needsPromptQueries()) {
            needs.add(EngineInput.ALL_PROMPT_QUERIES);
        } else if (prefill.queriesNeeded() > 0) {
            needs.add(EngineInput.PROMPT_QUERY_WINDOW);
        }
        return needs;
    }

    /**
     * The canonical spec string, every parameter spelled out, e.g.
     * {@code prefill=snapkv(P=2048,w=8,kernel=7),decoding=slide(W=512,R=256),scorer=attn}.
     */
    public String describe() {
        StringBuilder spec = new StringBuilder("prefill=").append(prefill.describe())
                .append(",decoding=").append(decoding.describe());
        if (decoding.evicts()) {
            spec.append(",scorer=").append(decoding.scorer().describe());
        }
        if (gqa != GqaMode.SUM) {
            spec.append(",gqa=").append(gqa.name().toLowerCase(Locale.ROOT));
        }
        return spec.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
