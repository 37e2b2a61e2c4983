/**
 * A compact Llama-architecture decoder (Llama 2/3, Mistral-style GQA, Qwen2 with q/k/v biases) that
 * runs on GGUF weights kept in their file encoding ({@link io.scopekv.bench.engine.WeightMatrix},
 * memory-mapped, multiplied block by block) and keeps its keys and values only in a
 * scope-core {@link io.scopekv.KvCache}, so every cache policy can be measured on a real model.
 *
 * <p>{@link io.scopekv.bench.engine.LlamaModel} loads the weights,
 * {@link io.scopekv.bench.engine.LlamaSession} runs one sequence (batched prefill, then one token
 * per step), {@link io.scopekv.bench.engine.Generator} drives greedy or sampled decoding.
 */
package io.scopekv.bench.engine;
