/**
 * File formats the bench reads and writes: NumPy {@code .npy} arrays ({@link
 * io.scopekv.bench.io.NpyReader}, with random access, and {@link io.scopekv.bench.io.NpyWriter}) and
 * JSON in one fixed layout ({@link io.scopekv.bench.io.JsonFormat}, on jackson-jr); and how results
 * reach the disk: whole or not at all, a run's directory through {@link
 * io.scopekv.bench.io.OutputDirectory}, a file rewritten during a run through {@link
 * io.scopekv.bench.io.AtomicFile}.
 */
package io.scopekv.bench.io;
