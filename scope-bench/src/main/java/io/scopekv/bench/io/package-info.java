/**
 * File formats the bench reads and writes without extra dependencies: NumPy {@code .npy} arrays
 * ({@link io.scopekv.bench.io.NpyReader}, {@link io.scopekv.bench.io.NpyWriter}) and a small JSON
 * subset ({@link io.scopekv.bench.io.Json}).
 */
package io.scopekv.bench.io;
