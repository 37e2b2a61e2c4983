/**
 * The {@code scope-bench} command line: {@link io.scopekv.bench.Main} dispatches to one class per
 * subcommand (demo, sweep, replay, export-trace), each with {@code --help}.
 */
package io.scopekv.bench;
