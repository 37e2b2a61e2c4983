/**
 * File formats the bench reads and writes without extra dependencies: NumPy {@code .npy} arrays
 * ({@link io.scopekv.bench.io.NpyReader}, {@link io.scopekv.bench.io.NpyWriter}) and a small JSON
 * subset ({@link io.scopekv.bench.io.Json}); and how results reach the disk: whole or not at all,
 * a run's directory through {@link io.scopekv.bench.io.OutputDirectory}, a file rewritten during
 * a run through {@link io.scopekv.bench.io.AtomicFile}.
 */
package io.scopekv.bench.io;
