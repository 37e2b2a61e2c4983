package io.scopekv;

import io.scopekv.policy.Selection;

/**
 * Carries out a decoding strategy's {@link Selection} on one layer: gathers each head's
 * candidates with their scores, lets the shared {@link Selector} choose, and frees the slots.
 */
final class Evictor {
    private final Selector selector;
    private int[] positions = new int[0];
    private int[] slots = new int[0];
    private float[] scores = new float[0];

    Evictor(Selector selector) {
        this.selector = selector;
    }

    /** Evicts on every head of {@code state}; returns the tokens evicted, summed over heads. */
    long run(LayerState state, Selection selection) {
        LayerStore store = state.store;
        int used = store.slots();
        ensure(used);
        long evictedTokens = 0;
        for (int h = 0; h < store.heads; h++) {
            int n = 0;
            for (int s = 0; s < used; s++) {
                int position = store.position(h, s);
                if (position >= selection.from() && position < selection.before()) {
                    positions[n] = position;
                    slots[n] = s;
                    scores[n] = state.scores.score(h, s, position, state.steps);
                    n++;
                }
            }
            int evict = selector.evict(positions, scores, n, selection.keep(h));
            for (int i = 0; i < evict; i++) {
                int slot = slots[selector.evicted(i)];
                if (store.position(h, slot) >= state.promptEnd) {
                    state.decodingCount[h]--;
                }
                store.evict(h, slot);
            }
            evictedTokens += evict;
        }
        return evictedTokens;
    }

    private void ensure(int n) {
        if (slots.length < n) {
            int size = Math.max(n, slots.length * 3 / 2);
            positions = new int[size];
            slots = new int[size];
            scores = new float[size];
        }
    }
}
