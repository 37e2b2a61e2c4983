package io.scopekv.extension;

import io.scopekv.policy.DecodingScorer;
import io.scopekv.policy.DecodingStrategy;
import io.scopekv.policy.Occupancy;
import io.scopekv.policy.Selection;
import io.scopekv.policy.decoding.CurrentAttention;

/**
 * A decoding strategy written as an outside user would, against the public SPI only: Slide with a
 * budget per layer, {@code W_l = R + (W - R) * (l + 1) / L}, so deeper layers keep more decoding
 * tokens (a decoding-phase take on PyramidKV's layer schedule). The R most recent tokens stay.
 */
record LayerBudgetSlide(int window, int recent, DecodingScorer scorer) implements DecodingStrategy {

    LayerBudgetSlide(int window, int recent) {
        this(window, recent, new CurrentAttention());
    }

    int budget(int layer, int layers) {
        return recent + (window - recent) * (layer + 1) / layers;
    }

    @Override
    public String describe() {
        return "layer-slide(W=" + window + ",R=" + recent + ")";
    }

    @Override
    public DecodingStrategy withScorer(DecodingScorer newScorer) {
        return new LayerBudgetSlide(window, recent, newScorer);
    }

    @Override
    public State newState(int layer, int layers, int heads) {
        int budget = budget(layer, layers);
        return new State() {
            private final int[] last = new int[recent];
            private long appended;

            @Override
            public void onAppend(int position, float[] keys, float[] values) {
                last[(int) (appended++ % recent)] = position;
            }

            @Override
            public Selection decide(long step, Occupancy cache) {
                for (int h = 0; h < cache.heads(); h++) {
                    if (cache.decoding(h) > budget) {
                        int newestProtected = last[(int) ((appended - recent) % recent)];
                        return Selection.uniform(cache.promptEnd(), newestProtected, budget - recent, cache.heads());
                    }
                }
                return null;
            }
        };
    }
}
