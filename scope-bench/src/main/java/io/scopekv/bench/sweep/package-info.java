/**
 * Sweeps: every registered policy at every budget on one seeded workload
 * ({@link io.scopekv.bench.sweep.SweepConfig}), run in lockstep against the full cache
 * ({@link io.scopekv.bench.sweep.Sweep}), reported by {@link io.scopekv.bench.sweep.SweepReport}.
 */
package io.scopekv.bench.sweep;
