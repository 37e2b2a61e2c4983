package io.scopekv.policy;

/** Which cached tokens a decoding strategy may evict. */
public enum Candidates {
    /** None: the strategy never evicts (prefill-only compression, or the full cache). */
    NONE,
    /**
     * SCOPE: decoding-phase tokens only (positions after the prompt), except the R most recent.
     * The prefill set never changes.
     */
    DECODING,
    /**
     * Unified baselines: every cached token, prompt included, except the R most recent; the
     * budget covers the whole cache (prefill kept + W).
     */
    WHOLE_CACHE
}
