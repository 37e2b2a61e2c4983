/**
 * The policy SPI. Scoring, selection and storage are separate: a
 * {@link io.scopekv.policy.PrefillCompressor} or {@link io.scopekv.policy.DecodingScorer} says what
 * matters; the cache's shared top-k selection (ties to the lower position) picks under a budget
 * from a {@link io.scopekv.policy.BudgetSchedule} at the times a {@link io.scopekv.policy.Cadence}
 * allows; the storage frees slots in place. {@link io.scopekv.policy.CachePolicy} combines them and
 * {@link io.scopekv.policy.PolicySpec} parses the shared spec strings.
 */
package io.scopekv.policy;
