/**
 * The built-in decoding strategies, one class each: SCOPE's {@link io.scopekv.policy.decoding.Slide},
 * {@link io.scopekv.policy.decoding.Adaptive} and {@link io.scopekv.policy.decoding.Discontinuous},
 * the unified baselines {@link io.scopekv.policy.decoding.UnifiedH2o} and
 * {@link io.scopekv.policy.decoding.UnifiedStreamingLlm}, and {@link io.scopekv.policy.decoding.NoEviction};
 * and the decoding scorers (current, cumulative and windowed attention, oldest-first, random).
 */
package io.scopekv.policy.decoding;
