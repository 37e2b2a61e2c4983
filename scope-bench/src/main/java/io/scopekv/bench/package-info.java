/**
 * The {@code scope-bench} command line on picocli: {@link io.scopekv.bench.Main} holds one
 * subcommand class per experiment (demo, mini, sweep, replay, export-trace, longgenbench,
 * fidelity, train), plus {@code generate-completion} and {@code help}; every level answers
 * {@code --help} and {@code --version}. Usage errors exit 2, failures 1, each with one line.
 */
package io.scopekv.bench;
