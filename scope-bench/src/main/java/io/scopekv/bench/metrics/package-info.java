/**
 * What a sweep reports per policy: the task proxy ({@link io.scopekv.bench.metrics.TaskProxy},
 * whether each answer's needed tokens survived) and the per-policy summary of fidelity, memory and
 * time ({@link io.scopekv.bench.metrics.PolicySummary}).
 */
package io.scopekv.bench.metrics;
