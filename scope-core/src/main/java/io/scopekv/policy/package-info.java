/**
 * The policy SPI. Scoring, selection and storage are separate: a
 * {@link io.scopekv.policy.PrefillCompressor} or {@link io.scopekv.policy.DecodingScorer} says what
 * matters; a {@link io.scopekv.policy.DecodingStrategy} decides when a selection is due, which
 * tokens compete and how many stay (a {@link io.scopekv.policy.Selection}); the cache's shared
 * top-k picks (ties to the lower position) and the storage frees slots in place.
 * {@link io.scopekv.policy.CachePolicy} combines them and {@link io.scopekv.policy.PolicySpec}
 * parses the shared spec strings.
 */
package io.scopekv.policy;
