/**
 * The {@code scope-bench} command line: {@link io.scopekv.bench.Main} dispatches to one class per
 * subcommand (demo, mini, sweep, replay, export-trace, longgenbench, fidelity, train), all parsed by {@link
 * io.scopekv.bench.Options}, each with {@code --help}.
 */
package io.scopekv.bench;
