package io.scopekv.policy;

/**
 * Decides which prompt tokens stay in the cache after prefill. Each keeps at most
 * {@link #budget(int, int, int)} of the M prompt tokens per head; when M does not exceed the
 * budget every token stays.
 *
 * <p>Two kinds: a {@link ScoringCompressor} returns per-head scores and the shared code keeps the
 * protected window plus the top-scoring rest (ties to the lower position); a
 * {@link PositionCompressor} returns the kept positions directly.
 */
public sealed interface PrefillCompressor permits ScoringCompressor, PositionCompressor {

    /** Short name used in logs and spec strings, e.g. {@code snapkv(P=2048,w=8)}. */
    String describe();

    /**
     * Tokens kept per head in the given layer when the prompt is longer than that.
     *
     * @param layer        0-based layer
     * @param layers       layers in the model
     * @param promptLength M
     */
    int budget(int layer, int layers, int promptLength);

    /**
     * How many of the last prompt queries the compressor reads: 0 for none,
     * {@link Integer#MAX_VALUE} for all of them.
     */
    default int queriesNeeded() {
        return 0;
    }
}
