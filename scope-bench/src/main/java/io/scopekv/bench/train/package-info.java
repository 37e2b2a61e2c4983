/**
 * Training a tiny Llama-architecture model on a generated mini-LongGenBench task, in plain Java.
 *
 * <p>{@link io.scopekv.bench.train.MiniTask} generates seeded tasks over the small
 * {@link io.scopekv.bench.train.TaskVocabulary}; {@link io.scopekv.bench.train.Transformer} runs the
 * decoder's forward pass and its hand-derived backward pass on flat float arrays laid out by
 * {@link io.scopekv.bench.train.ParamLayout}; {@link io.scopekv.bench.train.Trainer} optimizes it
 * with {@link io.scopekv.bench.train.AdamW}; {@link io.scopekv.bench.train.GgufExport} writes the
 * weights as a {@code llama} GGUF file the engine loads; {@link io.scopekv.bench.TrainCommand}
 * is the command-line entry point.
 */
package io.scopekv.bench.train;
