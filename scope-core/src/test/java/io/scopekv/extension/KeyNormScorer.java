package io.scopekv.extension;

import io.scopekv.policy.DecodingScorer;
import java.util.Arrays;

/**
 * A decoding scorer that reads keys, written against the public SPI only: tokens whose keys have
 * a small L2 norm tend to draw attention, so the score is minus the key's norm. Needs no
 * attention probabilities, so it works with engines whose kernels never materialise them.
 */
record KeyNormScorer() implements DecodingScorer {

    @Override
    public String describe() {
        return "keynorm";
    }

    @Override
    public boolean needsAttention() {
        return false;
    }

    @Override
    public State newState(int heads, int headDim, int capacity) {
        float[][] norms = new float[heads][capacity];
        return new State() {
            @Override
            public void grow(int newCapacity) {
                for (int h = 0; h < heads; h++) {
                    norms[h] = Arrays.copyOf(norms[h], newCapacity);
                }
            }

            @Override
            public void onAppend(int head, int slot, float[] key, int offset) {
                double sum = 0;
                for (int i = offset; i < offset + headDim; i++) {
                    sum += (double) key[i] * key[i];
                }
                norms[head][slot] = (float) Math.sqrt(sum);
            }

            @Override
            public void onObserve(int head, float[] probs, int fromSlot, int toSlot, long step) {
            }

            @Override
            public float score(int head, int slot, int position, long step) {
                return -norms[head][slot];
            }
        };
    }
}
