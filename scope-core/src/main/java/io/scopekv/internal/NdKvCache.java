package io.scopekv.internal;

import io.scopekv.Backend;
import io.scopekv.CacheLayout;
import io.scopekv.CacheStats;
import io.scopekv.KvCache;
import io.scopekv.LayerView;
import io.scopekv.internal.LayerState.Phase;
import io.scopekv.policy.CachePolicy;
import io.scopekv.policy.DecodingStrategy;
import io.scopekv.policy.GqaMode;
import io.scopekv.policy.PrefillInput;
import io.scopekv.policy.Selection;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link KvCache} step protocol: validate, store, attend, observe, evict. Prefill selection,
 * attention, the grouped-query fold and the shared top-k live in their own classes; the policy's
 * decoding strategy decides when to select and how much stays. Not API: build it with
 * {@link KvCache#builder}.
 */
public final class NdKvCache implements KvCache {
    private static final Logger LOG = LoggerFactory.getLogger(NdKvCache.class);

    private final CacheLayout layout;
    private final CachePolicy policy;
    private final DecodingStrategy decoding;
    /** Heads the storage holds: KV heads, or query heads when K/V are replicated. */
    private final int heads;
    /** Query heads per storage head. */
    private final int queriesPerHead;
    private final LayerState[] layers;
    private final Usage usage = new Usage();
    private final PrefillSelector prefillSelector;
    private final Evictor evictor;
    private final Attention attention;
    /** Whether storage is written and read through ND4J operations rather than host memory. */
    private final boolean nd4jOps;
    private boolean closed;

    // Heap scratch shared by the layers of this sequence (a cache is used by one thread at a time).
    private final float[] keyRow;
    private final float[] valueRow;
    private final float[] queryRow;
    private final float[] outRow;
    private float[] probs = new float[0];
    private float[] folded = new float[0];

    /**
     * @param threads threads that share one attend() call (the caller plus threads - 1 tasks in
     *                the common fork-join pool)
     */
    public NdKvCache(CacheLayout layout, CachePolicy policy, float scale, Backend backend, int threads) {
        this.layout = layout;
        this.policy = policy;
        this.decoding = policy.decoding();
        boolean replicate = policy.gqa() == GqaMode.REPLICATE;
        this.heads = replicate ? layout.queryHeads() : layout.kvHeads();
        this.queriesPerHead = replicate ? 1 : layout.groupSize();
        this.layers = new LayerState[layout.layers()];
        Arrays.setAll(layers, l -> new LayerState());
        int d = layout.headDim();
        this.keyRow = new float[layout.kvHeads() * d];
        this.valueRow = new float[layout.kvHeads() * d];
        this.queryRow = new float[layout.queryHeads() * d];
        this.outRow = new float[layout.queryHeads() * d];
        Selector selector = new Selector();
        this.prefillSelector = new PrefillSelector(layout, policy.prefill(), policy.gqa(), heads, selector);
        this.evictor = new Evictor(selector);
        this.nd4jOps = backend == Backend.ND4J;
        this.attention = nd4jOps ? new Nd4jAttention(heads, queriesPerHead, d, scale)
                : new AttentionDriver(heads, queriesPerHead, d, scale, AttentionKernel.best(), threads);
        LOG.debug("cache {} with policy {}", layout, policy.describe());
    }

    @Override
    public CacheLayout layout() {
        return layout;
    }

    @Override
    public CachePolicy policy() {
        return policy;
    }

    @Override
    public void prefill(int layer, INDArray keys, INDArray values, int[] positions, INDArray queries) {
        LayerState state = layer(layer);
        if (state.phase != Phase.EMPTY) {
            throw new IllegalStateException("layer " + layer + " was already prefilled; prefill runs once per layer per sequence");
        }
        Checks.positions(positions);
        int m = positions.length;
        int d = layout.headDim();
        Tensors.requireShape("keys", keys, layout.kvHeads(), m, d);
        Tensors.requireShape("values", values, layout.kvHeads(), m, d);
        Checks.promptQueries(queries, layout, m);
        float[] k = Tensors.rowMajor(keys);
        float[] v = Tensors.rowMajor(values);
        Tensors.requireFinite("keys", k, 0, k.length);
        Tensors.requireFinite("values", v, 0, v.length);
        LayerStore.requireStorable(layout.storage(), "key", k, 0, k.length);
        LayerStore.requireStorable(layout.storage(), "value", v, 0, v.length);

        PrefillInput input = new PrefillInput(layer, layout, positions.clone(), keys, queries);
        boolean seedPrompt = decoding.evicts() && decoding.scorer().needsPromptQueries();
        if (seedPrompt && input.queryCount() < m) {
            throw new IllegalArgumentException("scorer " + decoding.scorer().describe() + " reads all M=" + m
                    + " prompt queries [queryHeads, M, headDim]; got " + input.queryCount());
        }
        int[][] kept = prefillSelector.keptIndices(input);
        int maxKept = Arrays.stream(kept).mapToInt(a -> a.length).max().orElse(0);
        LayerStore store = new LayerStore(heads, d, maxKept + decoding.initialDecodingSlots(), layout.storage(), nd4jOps);
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
            prefillSelector.seedPromptScores(decoding.scorer(), state.scores, input, kept);
        }
        state.scoredFrom = decoding.promptCompetes() ? 0 : Arrays.stream(state.prefillKept).min().orElse(0);
        state.promptEnd = positions[m - 1] + 1;
        state.lastPosition = positions[m - 1];
        state.phase = Phase.READY;
        usage.addAllocated(store.allocatedBytes());
        usage.updatePeakLive(layout);
        LOG.debug("layer {} prefill kept {} of {} tokens per head", layer, maxKept, m);
    }

    @Override
    public void append(int layer, INDArray key, INDArray value, int position) {
        LayerState state = layer(layer).ready(layer);
        Tensors.requireShape("key", key, layout.kvHeads(), layout.headDim());
        Tensors.requireShape("value", value, layout.kvHeads(), layout.headDim());
        Tensors.copy(key, keyRow, 0);
        Tensors.copy(value, valueRow, 0);
        appendRows(layer, state, position);
    }

    @Override
    public void append(int layer, float[] key, float[] value, int position) {
        LayerState state = layer(layer).ready(layer);
        Checks.length("key", key, keyRow.length);
        Checks.length("value", value, valueRow.length);
        System.arraycopy(key, 0, keyRow, 0, keyRow.length);
        System.arraycopy(value, 0, valueRow, 0, valueRow.length);
        appendRows(layer, state, position);
    }

    private void appendRows(int layer, LayerState state, int position) {
        Tensors.requireFinite("key", keyRow, 0, keyRow.length);
        Tensors.requireFinite("value", valueRow, 0, valueRow.length);
        LayerStore.requireStorable(layout.storage(), "key", keyRow, 0, keyRow.length);
        LayerStore.requireStorable(layout.storage(), "value", valueRow, 0, valueRow.length);
        if (position <= state.lastPosition) {
            throw new IllegalArgumentException("position " + position + " must exceed the layer's last position "
                    + state.lastPosition + " (positions never repeat or go backwards)");
        }
        LayerStore store = state.store;
        for (int h = 0; h < heads; h++) {
            if (!store.hasFreeSlot(h)) {
                grow(layer, state);
                break;
            }
        }
        int d = layout.headDim();
        for (int h = 0; h < heads; h++) {
            int offset = h * queriesPerHead / layout.groupSize() * d;
            int slot = store.put(h, keyRow, offset, valueRow, offset, position);
            state.scores.onAppend(h, slot, keyRow, offset);
            state.decodingCount[h]++;
        }
        state.strategy.onAppend(position, keyRow, valueRow);
        usage.addLive(heads);
        state.steps++;
        state.lastPosition = position;
        state.phase = Phase.APPENDED;
        usage.updatePeakLive(layout);
    }

    private void grow(int layer, LayerState state) {
        LayerStore store = state.store;
        int prefillMax = Arrays.stream(state.prefillKept).max().orElse(0);
        long before = store.allocatedBytes();
        store.grow(decoding.growthChunk(store.capacity() - prefillMax));
        state.scores.grow(store.capacity());
        usage.addAllocated(store.allocatedBytes() - before);
        LOG.debug("layer {} storage grew to {} slots per head in {} segments", layer, store.capacity(),
                store.segments().size());
    }

    @Override
    public void attend(int layer, INDArray query, INDArray out) {
        LayerState state = layer(layer).appended(layer);
        Tensors.requireShape("query", query, layout.queryHeads(), layout.headDim());
        Tensors.requireShape("out", out, layout.queryHeads(), layout.headDim());
        Tensors.copy(query, queryRow, 0);
        Tensors.requireFinite("query", queryRow, 0, queryRow.length);
        attention.attend(state.store, queryRow, outRow, ensureProbs(state.store.slots()));
        Tensors.write(outRow, out);
        afterAttention(state, true);
    }

    @Override
    public void attend(int layer, float[] query, float[] out) {
        LayerState state = layer(layer).appended(layer);
        Checks.length("query", query, queryRow.length);
        Checks.length("out", out, outRow.length);
        System.arraycopy(query, 0, queryRow, 0, queryRow.length);
        Tensors.requireFinite("query", queryRow, 0, queryRow.length);
        attention.attend(state.store, queryRow, outRow, ensureProbs(state.store.slots()));
        System.arraycopy(outRow, 0, out, 0, outRow.length);
        afterAttention(state, true);
    }

    @Override
    public void observe(int layer, INDArray probabilities) {
        LayerState state = layer(layer).appended(layer);
        int slots = state.store.slots();
        Tensors.requireShape("probs", probabilities, layout.queryHeads(), slots);
        Tensors.copy(probabilities, ensureProbs(slots), 0);
        requireProbabilities(state, slots);
        afterAttention(state, true);
    }

    @Override
    public void observe(int layer, float[] probabilities, int rowStride) {
        LayerState state = layer(layer).appended(layer);
        int slots = state.store.slots();
        Checks.probabilityRows(probabilities, rowStride, slots, layout.queryHeads());
        ensureProbs(slots);
        int from = decoding.needsAttention() ? state.scoredFrom : slots;
        for (int q = 0; q < layout.queryHeads(); q++) {
            System.arraycopy(probabilities, q * rowStride + from, probs, q * slots + from, slots - from);
        }
        requireProbabilities(state, slots);
        afterAttention(state, true);
    }

    /** Validates the probability columns the policy reads (none when it never scores by attention). */
    private void requireProbabilities(LayerState state, int slots) {
        if (decoding.needsAttention()) {
            Checks.probabilities(probs, state.store, layout.queryHeads(), queriesPerHead, state.scoredFrom, slots);
        }
    }

    @Override
    public void advance(int layer) {
        LayerState state = layer(layer).appended(layer);
        if (decoding.needsAttention()) {
            throw new IllegalStateException("advance() without probabilities is not allowed: policy "
                    + policy.describe() + " scores by attention; call attend() or observe()");
        }
        afterAttention(state, false);
    }

    private void afterAttention(LayerState state, boolean haveProbs) {
        if (decoding.evicts()) {
            if (haveProbs && decoding.scorer().needsAttention()) {
                foldGroups(state);
            }
            Selection selection = state.strategy.decide(state.steps, state);
            if (selection != null) {
                if (selection.heads() != heads) {
                    throw new IllegalStateException(decoding.describe() + " returned a selection for "
                            + selection.heads() + " heads; the layer has " + heads + " storage heads");
                }
                state.selections++;
                usage.evicted(evictor.run(state, selection));
            }
        }
        state.phase = Phase.READY;
    }

    /** Feeds the scorer each storage head's probabilities, folded over its query heads. */
    private void foldGroups(LayerState state) {
        int slots = state.store.slots();
        int from = state.scoredFrom;
        for (int h = 0; h < heads; h++) {
            int first = h * queriesPerHead;
            for (int q = first; q < first + queriesPerHead; q++) {
                GroupScores.fold(policy.gqa(), q == first, probs, q * slots, folded, from, slots);
            }
            state.scores.onObserve(h, folded, from, slots, state.steps);
        }
    }

    @Override
    public LayerView view(int layer) {
        LayerState state = layer(layer).prefilled(layer);
        return new StorageView(layer, state.store, layout.queryHeads(), queriesPerHead);
    }

    @Override
    public int[] keptPositions(int layer, int head) {
        LayerState state = layer(layer);
        requireHead(head);
        return state.store == null ? new int[0] : state.store.keptPositions(head);
    }

    @Override
    public int size(int layer, int head) {
        LayerState state = layer(layer);
        requireHead(head);
        return state.store == null ? 0 : state.store.live(head);
    }

    @Override
    public long decodeSteps(int layer) {
        return layer(layer).steps;
    }

    @Override
    public CacheStats stats() {
        requireOpen();
        int[][] kept = new int[layers.length][heads];
        long[] selections = new long[layers.length];
        for (int l = 0; l < layers.length; l++) {
            for (int h = 0; h < heads; h++) {
                kept[l][h] = layers[l].store == null ? 0 : layers[l].store.live(h);
            }
            selections[l] = layers[l].selections;
        }
        return usage.snapshot(layout, kept, selections, layers[0].steps);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (LayerState state : layers) {
            if (state.store != null) {
                state.store.close();
                state.store = null;
            }
        }
        usage.closed();
    }

    private float[] ensureProbs(int slots) {
        int needed = layout.queryHeads() * slots;
        if (probs.length < needed) {
            probs = new float[Math.max(needed, probs.length * 3 / 2)];
        }
        if (folded.length < slots) {
            folded = new float[Math.max(slots, folded.length * 3 / 2)];
        }
        return probs;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("cache is closed; create a new cache for a new sequence");
        }
    }

    private LayerState layer(int layer) {
        requireOpen();
        if (layer < 0 || layer >= layers.length) {
            throw new IllegalArgumentException("layer " + layer + " out of range [0, " + layers.length + ")");
        }
        return layers[layer];
    }

    private void requireHead(int head) {
        if (head < 0 || head >= heads) {
            throw new IllegalArgumentException("head " + head + " out of range [0, " + heads + ") storage heads");
        }
    }
}
