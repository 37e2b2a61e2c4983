/**
 * The policy SPI. Scoring, selection and storage are separate: a
 * {@link io.scopekv.policy.PrefillCompressor} or {@link io.scopekv.policy.DecodingScorer} says what
 * matters; a {@link io.scopekv.policy.DecodingStrategy} decides when a selection is due, which
 * tokens compete and how many stay (a {@link io.scopekv.policy.Selection}); the cache's shared
 * top-k picks (ties to the lower position) and the storage frees slots in place.
 * {@link io.scopekv.CachePolicy} combines them and {@link io.scopekv.PolicySpec} parses the shared
 * spec strings.
 *
 * <p>This package depends on nothing else in scope-core: the built-ins in
 * {@link io.scopekv.policy.prefill} and {@link io.scopekv.policy.decoding}, and the cache in
 * {@code io.scopekv}, are written against it, never the other way round.
 */
package io.scopekv.policy;
