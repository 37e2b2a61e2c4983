package io.scopekv.policy;

/**
 * A prefill compressor that only scores tokens. The shared selection keeps the last
 * {@link #window()} prompt tokens and the {@code budget - window} highest-scoring others,
 * ties going to the lower position.
 */
public non-sealed interface ScoringCompressor extends PrefillCompressor {

    /** The last w prompt tokens, always kept. */
    int window();

    /**
     * Scores every prompt token; higher means keep. Returns {@code [heads][M]} where heads is
     * either the layout's query heads (aggregated over each KV group by the cache's GQA rule) or
     * its KV heads. Scores of the protected window are ignored.
     */
    float[][] score(PrefillInput input);
}
