package io.scopekv.policy;

/** How grouped-query attention heads share eviction decisions. */
public enum GqaMode {
    /** K/V stored once per KV head; a token's score is the sum over the group's query heads. */
    SUM,
    /** K/V stored once per KV head; a token's score is the maximum over the group's query heads. */
    MAX,
    /**
     * The reference implementation's behaviour: K/V replicated to every query head and selection
     * run per query head. Costs queryHeads / kvHeads times the memory (4x on Llama-3.1-8B); for
     * comparisons only.
     */
    REPLICATE
}
