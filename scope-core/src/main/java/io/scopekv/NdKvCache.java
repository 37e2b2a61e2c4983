package io.scopekv;

import io.scopekv.LayerState.Phase;
import io.scopekv.policy.DecodingStrategy;
import io.scopekv.policy.GqaMode;
import io.scopekv.policy.Selection;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link KvCache} step protocol: validate, store, attend, observe, evict. Prefill compression,
 * attention, the grouped-query fold and the shared top-k live in their own classes; the policy's
 * decoding strategy decides when to select and how much stays. Not API: build it with
 * {@link KvCache#builder}.
 */
final class NdKvCache implements KvCache {
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
    private final PrefillStep prefillStep;
    private final Evictor evictor;
    private final Attention attention;
    private boolean closed;

    // Heap scratch shared by the layers of this sequence (a cache is used by one thread at a time).
    private final float[] keyRow;
    private final float[] valueRow;
    private final float[] queryRow;
    private final float[] outRow;
    private float[] probs = new float[0];
    private float[] folded = new float[0];

    /**
     * A cache on the given path: the fastest host kernel this JVM can run, or ND4J operations.
     * {@link KvCacheBuilder#build} is the only caller.
     *
     * @param layout  the cache layout
     * @param policy  the policy to run
     * @param scale   the attention softmax scale
     * @param backend HOST (host memory, the Vector API kernel) or ND4J (ND4J operations only), resolved
     * @param threads threads that share one attend() call (the caller plus threads - 1 tasks in
     *                the common fork-join pool)
     * @return a new, empty cache
     */
    static KvCache create(CacheLayout layout, CachePolicy policy, float scale, Backend backend, int threads) {
        return new NdKvCache(layout, policy, scale, backend, threads);
    }

    private NdKvCache(CacheLayout layout, CachePolicy policy, float scale, Backend backend, int threads) {
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
        PrefillSelector prefillSelector = new PrefillSelector(layout, policy.prefill(), policy.gqa(), heads, selector);
        this.prefillStep = new PrefillStep(layout, policy.prefill().queriesNeeded(), decoding, prefillSelector, heads, usage,
                backend == Backend.ND4J);
        this.evictor = new Evictor(selector);
        this.attention = backend == Backend.ND4J ? new Nd4jAttention(heads, queriesPerHead, d, scale)
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
        layer(layer).empty(layer);
        Checks.positions(positions, -1);
        int m = positions.length;
        Tensors.requireShape("keys", keys, layout.kvHeads(), m, layout.headDim());
        Tensors.requireShape("values", values, layout.kvHeads(), m, layout.headDim());
        Checks.promptQueries(queries, layout, m);
        prefill(layer, Tensors.rowMajor(keys), Tensors.rowMajor(values), positions,
                queries == null ? null : Tensors.rowMajor(queries));
    }

    @Override
    public void prefill(int layer, FloatBuffer keys, FloatBuffer values, int[] positions, FloatBuffer queries) {
        prefill(layer, Checks.remaining("keys", keys), Checks.remaining("values", values), positions,
                queries == null ? null : Checks.remaining("queries", queries));
    }

    @Override
    public void prefill(int layer, float[] keys, float[] values, int[] positions, float[] queries) {
        LayerState state = layer(layer).empty(layer);
        PromptBuffer prompt = prefillStep.newPrompt();
        Checks.chunk(layout, keys, values, positions, queries, -1);
        prompt.add(positions, keys, values, queries);
        prefillStep.run(layer, state, prompt);
        state.phase = Phase.READY;
    }

    @Override
    public void prefillChunk(int layer, float[] keys, float[] values, int[] positions, float[] queries) {
        LayerState state = layer(layer);
        PromptBuffer prompt = state.phase == Phase.PREFILLING ? state.prompt : prefillStep.newPrompt();
        if (state.phase != Phase.PREFILLING) {
            state.empty(layer);
        }
        Checks.chunk(layout, keys, values, positions, queries, prompt.lastPosition());
        prompt.add(positions, keys, values, queries);
        state.prompt = prompt;
        state.phase = Phase.PREFILLING;
    }

    @Override
    public void endPrefill(int layer) {
        LayerState state = layer(layer);
        if (state.phase != Phase.PREFILLING) {
            throw new IllegalStateException("layer " + layer + " has no chunked prefill to end; call prefillChunk() first");
        }
        prefillStep.run(layer, state, state.prompt);
        state.prompt = null;
        state.phase = Phase.READY;
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
        int current = store.capacity() - prefillMax;
        int chunk = decoding.growthChunk(current);
        int wanted = decoding.initialDecodingSlots();
        if (current < wanted) {
            // the initial allocation was capped: grow geometrically towards what the strategy asked for
            chunk = Math.max(chunk, Math.min(current, wanted - current));
        }
        store.grow(chunk);
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
        return usage.snapshot(layout, layers, heads);
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
