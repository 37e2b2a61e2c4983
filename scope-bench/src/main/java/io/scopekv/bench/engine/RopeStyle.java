package io.scopekv.bench.engine;

/**
 * Which elements of a head vector RoPE rotates together.
 *
 * <p>GGUF files of the {@code llama} architecture store Q and K weights in the original Meta
 * layout: the Hugging Face checkpoints permute the rows of {@code q_proj}/{@code k_proj} so that
 * their {@code rotate_half} pairs element i with i + d/2, and the GGUF converter undoes that
 * permutation. Rotating adjacent pairs (2i, 2i + 1) on GGUF weights is therefore the same
 * computation as Hugging Face's half-split rotation on its own weights. {@code qwen2} GGUF files
 * are not permuted and use the half-split pairing directly.
 */
public enum RopeStyle {
    /** Pairs (2i, 2i + 1): GGUF {@code llama}. */
    INTERLEAVED,
    /** Pairs (i, i + headDim / 2): GGUF {@code qwen2} (GPT-NeoX convention). */
    HALF_SPLIT
}
