/**
 * Tokenizers built from GGUF metadata: {@code tokenizer.ggml.model = "llama"} (SentencePiece-style
 * score-driven merges with {@code <0xNN>} byte fallback) and {@code "gpt2"} (byte-level BPE with
 * ranked merges, as Llama 3 and Qwen2 use). Control and user-defined tokens that appear literally in
 * the text are matched before either algorithm runs.
 */
package io.scopekv.bench.tokenizer;
