/**
 * The LongGenBench long-generation benchmark as the SCOPE paper runs it: many questions answered in
 * one long response, scored by position. {@link io.scopekv.bench.LongGenBenchCommand}
 * generates with a GGUF model under one or more cache policies and writes predictions, scores,
 * cache statistics and speed.
 */
package io.scopekv.bench.longgenbench;
