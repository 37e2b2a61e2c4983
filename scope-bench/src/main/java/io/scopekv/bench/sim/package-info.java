/**
 * Runs cache policies side by side on one token stream: a {@link io.scopekv.bench.sim.TokenSource}
 * (synthetic workload or recorded trace) feeds a full reference cache and every policy's cache
 * with identical queries, keys and values; {@link io.scopekv.bench.sim.Simulation} measures each
 * policy against the reference and hands every step to {@link io.scopekv.bench.sim.StepListener}s.
 */
package io.scopekv.bench.sim;
