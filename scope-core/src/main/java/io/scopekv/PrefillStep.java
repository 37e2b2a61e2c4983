package io.scopekv;

import io.scopekv.policy.DecodingStrategy;
import io.scopekv.policy.PrefillInput;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a layer's prefill: the prefill compressor picks from the whole prompt, the kept
 * tokens are stored, and the decoding scorer and strategy get their per-layer state.
 */
final class PrefillStep {
    private static final Logger LOG = LoggerFactory.getLogger(PrefillStep.class);
    /**
     * The most decoding slots allocated per head at prefill, whatever the strategy asks for: a
     * budget larger than any sequence (W = 2^31 - 1) then costs what the sequence uses.
     */
    private static final int MAX_INITIAL_SLOTS = 4096;

    private final CacheLayout layout;
    private final DecodingStrategy decoding;
    private final PrefillSelector selector;
    private final int heads;
    private final int queriesPerHead;
    private final Usage usage;
    /** Whether storage goes through ND4J operations (Backend.ND4J). */
    private final boolean nd4jOps;
    /** Prompt query rows the policy reads: the compressor's window, or all of them. */
    private final int queryLimit;
    /** Whether the scorer seeds prompt scores from every prompt query. */
    private final boolean seedPrompt;

    PrefillStep(CacheLayout layout, int prefillQueries, DecodingStrategy decoding, PrefillSelector selector, int heads,
                Usage usage, boolean nd4jOps) {
        this.layout = layout;
        this.decoding = decoding;
        this.selector = selector;
        this.heads = heads;
        this.queriesPerHead = layout.queryHeads() / heads;
        this.usage = usage;
        this.nd4jOps = nd4jOps;
        this.seedPrompt = decoding.evicts() && decoding.scorer().needsPromptQueries();
        this.queryLimit = seedPrompt ? Integer.MAX_VALUE : prefillQueries;
    }

    PromptBuffer newPrompt() {
        return new PromptBuffer(layout, queryLimit);
    }

    /**
     * Compresses and stores the prompt. Throws before touching {@code state} when the prompt lacks
     * queries the policy reads or the compressor breaks its contract.
     */
    void run(int layer, LayerState state, PromptBuffer prompt) {
        int m = prompt.tokens();
        int d = layout.headDim();
        float[] k = prompt.keys();
        PrefillInput input = new PrefillInput(layer, layout.queryHeads(), layout.kvHeads(), d, prompt.positions(), k,
                prompt.queries());
        if (seedPrompt && input.queryCount() < m) {
            throw new IllegalArgumentException("scorer " + decoding.scorer().describe() + " reads all M=" + m
                    + " prompt queries [queryHeads, M, headDim]; got " + input.queryCount());
        }
        int[][] kept = selector.keptIndices(input);
        float[] v = prompt.values();
        int[] positions = input.positions();
        int maxKept = Arrays.stream(kept).mapToInt(a -> a.length).max().orElse(0);
        LayerStore store = new LayerStore(heads, d, maxKept + Math.min(decoding.initialDecodingSlots(), MAX_INITIAL_SLOTS),
                layout.storage(), nd4jOps);
        state.store = store;
        state.scores = decoding.scorer().newState(heads, d, store.capacity());
        state.strategy = decoding.newState(layer, layout.layers(), heads);
        state.prefillKept = new int[heads];
        state.decodingCount = new int[heads];
        for (int h = 0; h < heads; h++) {
            int source = h * queriesPerHead / layout.groupSize();
            for (int index : kept[h]) {
                int offset = (source * m + index) * d;
                int slot = store.put(h, k, offset, v, offset, positions[index]);
                state.scores.onAppend(h, slot, k, offset);
            }
            state.prefillKept[h] = kept[h].length;
            usage.addLive(kept[h].length);
        }
        if (seedPrompt) {
            selector.seedPromptScores(decoding.scorer(), state.scores, input, kept);
        }
        state.scoredFrom = decoding.promptCompetes() ? 0 : Arrays.stream(state.prefillKept).min().orElse(0);
        state.promptEnd = positions[m - 1] + 1;
        state.lastPosition = positions[m - 1];
        usage.addAllocated(store.allocatedBytes());
        usage.updatePeakLive(layout);
        LOG.debug("layer {} prefill kept {} of {} tokens per head", layer, maxKept, m);
    }
}
