package io.scopekv;

import io.scopekv.policy.DecodingScorer;
import io.scopekv.policy.GqaMode;
import io.scopekv.policy.PositionCompressor;
import io.scopekv.policy.PrefillCompressor;
import io.scopekv.policy.PrefillInput;
import io.scopekv.policy.ScoringCompressor;
import java.util.Arrays;

/**
 * Turns a prefill compressor's answer into the kept prompt indices of every storage head: the
 * protected window plus the top-scoring rest for a {@link ScoringCompressor}, the validated
 * positions of a {@link PositionCompressor}. A compressor that breaks its contract is named in
 * the exception.
 */
final class PrefillSelector {
    private final CacheLayout layout;
    private final PrefillCompressor compressor;
    private final GqaMode gqa;
    private final int heads;
    private final int queriesPerHead;
    private final Selector selector;

    PrefillSelector(CacheLayout layout, PrefillCompressor compressor, GqaMode gqa, int heads, Selector selector) {
        this.layout = layout;
        this.compressor = compressor;
        this.gqa = gqa;
        this.heads = heads;
        this.queriesPerHead = layout.queryHeads() / heads;
        this.selector = selector;
    }

    /** Kept prompt indices per storage head, ascending. */
    int[][] keptIndices(PrefillInput input) {
        int m = input.promptLength();
        int budget = compressor.budget(input.layer(), layout.layers(), m);
        if (budget < 1) {
            throw new IllegalStateException(compressor.describe() + " gave layer " + input.layer()
                    + " a budget of " + budget + " tokens; budgets must be positive");
        }
        int[][] kept = new int[heads][];
        if (m <= budget) {
            int[] all = new int[m];
            Arrays.setAll(all, i -> i);
            Arrays.fill(kept, all);
            return kept;
        }
        int needed = compressor.queriesNeeded();
        if (needed > 0 && input.queryCount() < Math.min(needed, m)) {
            throw new IllegalArgumentException(compressor.describe() + " reads the last " + (needed == Integer.MAX_VALUE ? "M=" + m : needed)
                    + " prompt queries [queryHeads, nq, headDim]; got " + input.queryCount());
        }
        if (compressor instanceof ScoringCompressor scoring) {
            float[][] scores = scoring.score(input);
            requireScoreShape(scores, m, compressor.describe());
            int window = Math.min(scoring.window(), budget);
            for (int h = 0; h < heads; h++) {
                kept[h] = windowPlusTop(headScores(scores, h, m), m, window, budget);
            }
        } else {
            int[][] perKv = validatePositions(((PositionCompressor) compressor).keep(input), input.positions(), budget);
            for (int h = 0; h < heads; h++) {
                kept[h] = perKv[sourceHead(h)];
            }
        }
        return kept;
    }

    /**
     * Hands a decoding scorer the starting score of each head's kept prompt tokens, slot by slot:
     * prefill stores them in slots {@code [0, kept[h].length)} in position order.
     */
    void seedPromptScores(DecodingScorer scorer, DecodingScorer.State state, PrefillInput input, int[][] kept) {
        float[][] scores = scorer.promptScores(input);
        if (scores == null) {
            return;
        }
        int m = input.promptLength();
        requireScoreShape(scores, m, "scorer " + scorer.describe());
        for (int h = 0; h < heads; h++) {
            float[] perToken = headScores(scores, h, m);
            float[] perSlot = new float[kept[h].length];
            for (int s = 0; s < perSlot.length; s++) {
                perSlot[s] = perToken[kept[h][s]];
            }
            state.onPrompt(h, perSlot, perSlot.length);
        }
    }

    private void requireScoreShape(float[][] scores, int m, String source) {
        if (scores == null || (scores.length != layout.queryHeads() && scores.length != layout.kvHeads())) {
            throw new IllegalStateException(source + " returned scores for "
                    + (scores == null ? "null" : scores.length) + " heads; expected queryHeads="
                    + layout.queryHeads() + " or kvHeads=" + layout.kvHeads());
        }
        for (float[] row : scores) {
            if (row == null || row.length != m) {
                throw new IllegalStateException(source + " returned a score row of length "
                        + (row == null ? "null" : row.length) + "; expected M=" + m);
            }
        }
    }

    /** The scores a storage head ranks by: its own row, or its query group's folded rows. */
    private float[] headScores(float[][] scores, int head, int m) {
        if (scores.length != layout.queryHeads() || layout.queryHeads() == layout.kvHeads()) {
            return scores[scores.length == layout.queryHeads() ? head : sourceHead(head)];
        }
        float[] out = new float[m];
        for (int q = head * queriesPerHead; q < (head + 1) * queriesPerHead; q++) {
            GroupScores.fold(gqa, q == head * queriesPerHead, scores[q], 0, out, 0, m);
        }
        return out;
    }

    /** The last {@code window} indices plus the top {@code budget - window} of the rest, ascending. */
    private int[] windowPlusTop(float[] scores, int m, int window, int budget) {
        int prefix = m - window;
        int[] indices = new int[prefix];
        for (int t = 0; t < prefix; t++) {
            if (!Float.isFinite(scores[t])) {
                throw new IllegalStateException(compressor.describe() + " returned a non-finite score " + scores[t]
                        + " for prompt index " + t);
            }
            indices[t] = t;
        }
        boolean[] evicted = new boolean[prefix];
        int evict = selector.evict(indices, scores, prefix, budget - window);
        for (int i = 0; i < evict; i++) {
            evicted[selector.evicted(i)] = true;
        }
        int[] kept = new int[budget];
        int n = 0;
        for (int t = 0; t < m; t++) {
            if (t >= prefix || !evicted[t]) {
                kept[n++] = t;
            }
        }
        return kept;
    }

    private int[][] validatePositions(int[][] chosen, int[] positions, int budget) {
        if (chosen == null || chosen.length != layout.kvHeads()) {
            throw new IllegalStateException(compressor.describe() + " must return kept positions for kvHeads="
                    + layout.kvHeads() + " heads, returned " + (chosen == null ? "null" : chosen.length));
        }
        int[][] indices = new int[chosen.length][];
        for (int h = 0; h < chosen.length; h++) {
            if (chosen[h] == null || chosen[h].length == 0 || chosen[h].length > budget) {
                throw new IllegalStateException(compressor.describe() + " kept " + (chosen[h] == null ? "null" : chosen[h].length)
                        + " positions for head " + h + "; must keep 1.." + budget);
            }
            int[] idx = new int[chosen[h].length];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = Arrays.binarySearch(positions, chosen[h][i]);
                if (idx[i] < 0) {
                    throw new IllegalStateException(compressor.describe() + " kept position " + chosen[h][i]
                            + " for head " + h + ", which is not a prompt position");
                }
            }
            Arrays.sort(idx);
            for (int i = 1; i < idx.length; i++) {
                if (idx[i] == idx[i - 1]) {
                    throw new IllegalStateException(compressor.describe() + " kept position " + positions[idx[i]]
                            + " twice for head " + h);
                }
            }
            indices[h] = idx;
        }
        return indices;
    }

    /** The KV head whose K/V a storage head holds: itself, or its group's under REPLICATE. */
    private int sourceHead(int storageHead) {
        return storageHead * queriesPerHead / layout.groupSize();
    }
}
