package io.scopekv.policy;

/** A prefill compressor that names the kept positions itself. */
public non-sealed interface PositionCompressor extends PrefillCompressor {

    /**
     * Returns the kept prompt positions {@code [kvHeads][k]}, each a subset of the input's
     * positions with at most {@code budget} entries, in any order. The cache validates them.
     */
    int[][] keep(PrefillInput input);
}
