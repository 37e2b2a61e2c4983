/**
 * How far each cache policy moves a real language model's output from the full cache's
 * ({@link io.scopekv.bench.fidelity.FidelityExperiment}): per generated token, the KL divergence of
 * the next-token distribution, the change in the reference token's log-probability and top-1
 * agreement under teacher forcing, and the first step where free-running greedy decoding leaves
 * the full cache's text.
 */
package io.scopekv.bench.fidelity;
