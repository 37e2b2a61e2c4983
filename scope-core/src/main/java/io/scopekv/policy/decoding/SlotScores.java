package io.scopekv.policy.decoding;

import io.scopekv.policy.DecodingScorer;
import java.util.Arrays;

/**
 * Attention-derived slot scores kept in a ring of {@code depth} steps per slot: depth 1 keeps the
 * latest step (or, cumulative, their running sum), depth k the last k steps.
 */
final class SlotScores implements DecodingScorer.State {
    private final int depth;
    private final boolean cumulative;
    private final float[][] rings;

    SlotScores(int heads, int capacity, int depth, boolean cumulative) {
        this.depth = depth;
        this.cumulative = cumulative;
        this.rings = new float[heads][capacity * depth];
    }

    @Override
    public void grow(int newCapacity) {
        for (int h = 0; h < rings.length; h++) {
            rings[h] = Arrays.copyOf(rings[h], newCapacity * depth);
        }
    }

    @Override
    public void onAppend(int head, int slot, float[] key, int offset) {
        Arrays.fill(rings[head], slot * depth, slot * depth + depth, 0f);
    }

    @Override
    public void onPrompt(int head, float[] scores, int slots) {
        float[] ring = rings[head];
        for (int s = 0; s < slots; s++) {
            ring[s * depth] = scores[s];
        }
    }

    @Override
    public void onObserve(int head, float[] probs, int fromSlot, int toSlot, long step) {
        float[] ring = rings[head];
        int column = (int) (step % depth);
        for (int s = fromSlot; s < toSlot; s++) {
            int i = s * depth + column;
            ring[i] = cumulative ? ring[i] + probs[s] : probs[s];
        }
    }

    @Override
    public float score(int head, int slot, int position, long step) {
        float[] ring = rings[head];
        float sum = 0f;
        for (int i = slot * depth, end = i + depth; i < end; i++) {
            sum += ring[i];
        }
        return sum;
    }
}
