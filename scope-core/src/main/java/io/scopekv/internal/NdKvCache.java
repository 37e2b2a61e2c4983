package io.scopekv.internal;

import io.scopekv.CacheLayout;
import io.scopekv.CacheStats;
import io.scopekv.KvCache;
import io.scopekv.LayerView;
import io.scopekv.policy.CachePolicy;
import io.scopekv.policy.Candidates;
import io.scopekv.policy.DecodingScorer;
import io.scopekv.policy.DecodingStrategy;
import io.scopekv.policy.GqaMode;
import io.scopekv.policy.PositionCompressor;
import io.scopekv.policy.PrefillCompressor;
import io.scopekv.policy.PrefillInput;
import io.scopekv.policy.ScoringCompressor;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link KvCache} on ND4J arrays: per-layer slot storage ({@link LayerStore}), attention in
 * plain Java over the storage's float buffers, and the policy's selection. Not API: build it with
 * {@link KvCache#builder}.
 */
public final class NdKvCache implements KvCache {
    private static final Logger LOG = LoggerFactory.getLogger(NdKvCache.class);
    private static final int BLOCK_ROWS = 64;

    private final CacheLayout layout;
    private final CachePolicy policy;
    private final float scale;
    /** Heads the storage holds: KV heads, or query heads when K/V are replicated. */
    private final int heads;
    /** Query heads per storage head. */
    private final int queriesPerHead;
    private final Layer[] layers;
    private boolean closed;

    private long liveTokens;
    private long peakLiveBytes;
    private long allocatedBytes;
    private long peakAllocatedBytes;
    private long tokensEvicted;

    // Heap scratch shared by the layers of this sequence (a cache is used by one thread at a time).
    private final float[] keyRow;
    private final float[] valueRow;
    private final float[] queryRow;
    private final float[] outRow;
    private final float[][] blocks;
    private final AttentionKernel kernel;
    private final int threads;
    private float[] probs = new float[0];
    private float[] aggregated = new float[0];
    private long[] selectionKeys = new long[0];
    private int[] selectionSlots = new int[0];

    private enum Phase { EMPTY, READY, APPENDED }

    private final class Layer {
        Phase phase = Phase.EMPTY;
        LayerStore store;
        DecodingScorer.State scores;
        int promptEnd;
        int lastPosition = -1;
        /** Tokens each head kept at prefill (the P of a unified P + W budget); never decremented. */
        int[] prefillKept;
        /**
         * First slot the policy reads scores for: under SCOPE the prefill tokens fill slots
         * [0, prefillKept) and are never candidates, so their probabilities are never read.
         */
        int scoredFrom;
        /** Decoding-phase tokens each head holds now. */
        int[] decodingCount;
        /** Ring of the last R appended positions. */
        int[] recent;
        long steps;
        int cadenceCounter;
        long selections;
    }

    /**
     * @param threads threads that share one attend() call (the caller plus threads - 1 tasks in
     *                the common fork-join pool)
     */
    public NdKvCache(CacheLayout layout, CachePolicy policy, float scale, AttentionKernel kernel, int threads) {
        this.layout = layout;
        this.policy = policy;
        this.scale = scale;
        boolean replicate = policy.gqa() == GqaMode.REPLICATE;
        this.heads = replicate ? layout.queryHeads() : layout.kvHeads();
        this.queriesPerHead = replicate ? 1 : layout.groupSize();
        this.layers = new Layer[layout.layers()];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = new Layer();
        }
        int d = layout.headDim();
        this.keyRow = new float[layout.kvHeads() * d];
        this.valueRow = new float[layout.kvHeads() * d];
        this.queryRow = new float[layout.queryHeads() * d];
        this.outRow = new float[layout.queryHeads() * d];
        this.kernel = kernel;
        this.threads = threads;
        this.blocks = new float[threads][BLOCK_ROWS * d];
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

    // ---------------------------------------------------------------- prefill

    @Override
    public void prefill(int layer, INDArray keys, INDArray values, int[] positions, INDArray queries) {
        Layer state = layer(layer);
        if (state.phase != Phase.EMPTY) {
            throw new IllegalStateException("layer " + layer + " was already prefilled; prefill runs once per layer per sequence");
        }
        if (positions == null || positions.length == 0) {
            throw new IllegalArgumentException("positions must hold one entry per prompt token (M >= 1), was "
                    + (positions == null ? "null" : "empty"));
        }
        int m = positions.length;
        int d = layout.headDim();
        int kvHeads = layout.kvHeads();
        Tensors.requireShape("keys", keys, kvHeads, m, d);
        Tensors.requireShape("values", values, kvHeads, m, d);
        for (int t = 0; t < m; t++) {
            if (positions[t] < 0 || (t > 0 && positions[t] <= positions[t - 1])) {
                throw new IllegalArgumentException("positions must be non-negative and strictly ascending; positions["
                        + t + "]=" + positions[t] + (t > 0 ? " after " + positions[t - 1] : ""));
            }
        }
        if (queries != null) {
            if (queries.rank() != 3 || queries.size(0) != layout.queryHeads() || queries.size(2) != d
                    || queries.size(1) < 1 || queries.size(1) > m) {
                throw new IllegalArgumentException("queries must have shape [queryHeads=" + layout.queryHeads()
                        + ", nq in 1.." + m + ", headDim=" + d + "], was " + Arrays.toString(queries.shape()));
            }
            Tensors.requireShape("queries", queries, queries.shape());
            Tensors.requireFinite("queries", Tensors.rowMajor(queries), 0, (int) queries.length());
        }
        float[] k = Tensors.rowMajor(keys);
        float[] v = Tensors.rowMajor(values);
        Tensors.requireFinite("keys", k, 0, k.length);
        Tensors.requireFinite("values", v, 0, v.length);

        PrefillInput input = new PrefillInput(layer, layout, positions.clone(), keys, queries);
        DecodingStrategy decoding = policy.decoding();
        boolean seedPrompt = decoding.evicts() && decoding.scorer().needsPromptQueries();
        if (seedPrompt && input.queryCount() < m) {
            throw new IllegalArgumentException("scorer " + decoding.scorer().describe() + " reads all M=" + m
                    + " prompt queries [queryHeads, M, headDim]; got " + input.queryCount());
        }
        int[][] kept = keptIndices(input);

        int maxKept = Arrays.stream(kept).mapToInt(a -> a.length).max().orElse(0);
        LayerStore store = new LayerStore(heads, d, maxKept + decoding.initialDecodingSlots());
        state.store = store;
        state.prefillKept = new int[heads];
        state.decodingCount = new int[heads];
        // grown up to R as steps arrive, so a large R costs nothing until it is used
        state.recent = new int[Math.max(1, Math.min(decoding.recent(), 1024))];
        for (int h = 0; h < heads; h++) {
            int source = sourceHead(h);
            for (int index : kept[h]) {
                int offset = (source * m + index) * d;
                store.put(h, k, offset, v, offset, positions[index]);
            }
            state.prefillKept[h] = kept[h].length;
            liveTokens += kept[h].length;
        }
        state.scores = decoding.scorer().newState(heads, store.capacity());
        if (seedPrompt) {
            seedPromptScores(state, input, kept);
        }
        state.scoredFrom = decoding.candidates() == Candidates.WHOLE_CACHE ? 0
                : Arrays.stream(state.prefillKept).min().orElse(0);
        state.promptEnd = positions[m - 1] + 1;
        state.lastPosition = positions[m - 1];
        state.phase = Phase.READY;
        addAllocated(store.allocatedBytes());
        updatePeakLive();
        LOG.debug("layer {} prefill kept {} of {} tokens per head", layer, maxKept, m);
    }

    /** Hands the scorer each kept prompt token's starting score, slot by slot. */
    private void seedPromptScores(Layer state, PrefillInput input, int[][] kept) {
        DecodingScorer scorer = policy.decoding().scorer();
        float[][] scores = scorer.promptScores(input);
        if (scores == null) {
            return;
        }
        int m = input.promptLength();
        for (int h = 0; h < heads; h++) {
            float[] perToken = headScores(scores, h, m, "scorer " + scorer.describe());
            float[] perSlot = new float[kept[h].length];
            for (int s = 0; s < perSlot.length; s++) {
                perSlot[s] = perToken[kept[h][s]];
            }
            state.scores.onPrompt(h, perSlot, perSlot.length);
        }
    }

    /** Kept prompt indices per storage head, ascending, validated. */
    private int[][] keptIndices(PrefillInput input) {
        PrefillCompressor compressor = policy.prefill();
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
            int window = Math.min(scoring.window(), budget);
            for (int h = 0; h < heads; h++) {
                kept[h] = topPrefix(headScores(scores, h, m, compressor.describe()), m, window, budget);
            }
        } else {
            int[][] chosen = ((PositionCompressor) compressor).keep(input);
            int[][] perKv = validatePositions(chosen, input.positions(), budget, compressor);
            for (int h = 0; h < heads; h++) {
                kept[h] = perKv[sourceHead(h)];
            }
        }
        return kept;
    }

    /** The scores a storage head ranks by: its own row, or its query group's aggregated rows. */
    private float[] headScores(float[][] scores, int head, int m, String source) {
        boolean perQuery = scores.length == layout.queryHeads();
        if (!perQuery && scores.length != layout.kvHeads()) {
            throw new IllegalStateException(source + " returned scores for " + scores.length
                    + " heads; expected queryHeads=" + layout.queryHeads() + " or kvHeads=" + layout.kvHeads());
        }
        for (float[] row : scores) {
            if (row == null || row.length != m) {
                throw new IllegalStateException(source + " returned a score row of length "
                        + (row == null ? "null" : row.length) + "; expected M=" + m);
            }
        }
        if (!perQuery || layout.queryHeads() == layout.kvHeads()) {
            return scores[perQuery ? head : sourceHead(head)];
        }
        if (queriesPerHead == 1) {
            return scores[head];
        }
        float[] out = new float[m];
        boolean max = policy.gqa() == GqaMode.MAX;
        for (int q = head * queriesPerHead; q < (head + 1) * queriesPerHead; q++) {
            for (int t = 0; t < m; t++) {
                out[t] = q == head * queriesPerHead ? scores[q][t] : max ? Math.max(out[t], scores[q][t]) : out[t] + scores[q][t];
            }
        }
        return out;
    }

    /** The last {@code window} indices plus the top {@code budget - window} of the rest, ascending. */
    private int[] topPrefix(float[] scores, int m, int window, int budget) {
        int prefix = m - window;
        ensureSelection(prefix);
        for (int t = 0; t < prefix; t++) {
            if (!Float.isFinite(scores[t])) {
                throw new IllegalStateException(policy.prefill().describe() + " returned a non-finite score " + scores[t]
                        + " for prompt index " + t);
            }
            selectionKeys[t] = TopK.key(scores[t], t);
            selectionSlots[t] = t;
        }
        int evict = m - budget;
        TopK.selectSmallest(selectionKeys, selectionSlots, prefix, evict);
        int[] kept = new int[budget];
        int n = 0;
        for (int i = evict; i < prefix; i++) {
            kept[n++] = selectionSlots[i];
        }
        for (int t = prefix; t < m; t++) {
            kept[n++] = t;
        }
        Arrays.sort(kept);
        return kept;
    }

    private int[][] validatePositions(int[][] chosen, int[] positions, int budget, PrefillCompressor compressor) {
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

    // ---------------------------------------------------------------- decode

    @Override
    public void append(int layer, INDArray key, INDArray value, int position) {
        Layer state = readyLayer(layer);
        Tensors.requireShape("key", key, layout.kvHeads(), layout.headDim());
        Tensors.requireShape("value", value, layout.kvHeads(), layout.headDim());
        Tensors.copy(key, keyRow, 0);
        Tensors.copy(value, valueRow, 0);
        appendRows(layer, state, position);
    }

    @Override
    public void append(int layer, float[] key, float[] value, int position) {
        Layer state = readyLayer(layer);
        requireLength("key", key, keyRow.length);
        requireLength("value", value, valueRow.length);
        System.arraycopy(key, 0, keyRow, 0, keyRow.length);
        System.arraycopy(value, 0, valueRow, 0, valueRow.length);
        appendRows(layer, state, position);
    }

    private void appendRows(int layer, Layer state, int position) {
        Tensors.requireFinite("key", keyRow, 0, keyRow.length);
        Tensors.requireFinite("value", valueRow, 0, valueRow.length);
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
            int offset = sourceHead(h) * d;
            int slot = store.put(h, keyRow, offset, valueRow, offset, position);
            state.scores.onAppend(h, slot);
            state.decodingCount[h]++;
        }
        liveTokens += heads;
        if (state.steps == state.recent.length && state.recent.length < policy.decoding().recent()) {
            // nothing has wrapped yet (steps == length), so the ring keeps its order when it grows
            state.recent = Arrays.copyOf(state.recent, (int) Math.min(policy.decoding().recent(), 2L * state.recent.length));
        }
        state.recent[(int) (state.steps % state.recent.length)] = position;
        state.steps++;
        state.lastPosition = position;
        state.phase = Phase.APPENDED;
        updatePeakLive();
    }

    private void grow(int layer, Layer state) {
        LayerStore store = state.store;
        int prefillMax = Arrays.stream(state.prefillKept).max().orElse(0);
        int decodingSlots = store.capacity() - prefillMax;
        long before = store.allocatedBytes();
        store.grow(policy.decoding().growthChunk(decodingSlots));
        state.scores.grow(store.capacity());
        addAllocated(store.allocatedBytes() - before);
        LOG.debug("layer {} storage grew to {} slots per head in {} segments", layer, store.capacity(),
                store.segments().size());
    }

    @Override
    public void attend(int layer, INDArray query, INDArray out) {
        Layer state = appendedLayer(layer);
        Tensors.requireShape("query", query, layout.queryHeads(), layout.headDim());
        Tensors.requireShape("out", out, layout.queryHeads(), layout.headDim());
        Tensors.copy(query, queryRow, 0);
        Tensors.requireFinite("query", queryRow, 0, queryRow.length);
        attention(state, queryRow);
        Tensors.write(outRow, out);
        afterAttention(state, true);
    }

    @Override
    public void attend(int layer, float[] query, float[] out) {
        Layer state = appendedLayer(layer);
        requireLength("query", query, queryRow.length);
        requireLength("out", out, outRow.length);
        System.arraycopy(query, 0, queryRow, 0, queryRow.length);
        Tensors.requireFinite("query", queryRow, 0, queryRow.length);
        attention(state, queryRow);
        System.arraycopy(outRow, 0, out, 0, outRow.length);
        afterAttention(state, true);
    }

    /**
     * Softmax attention of every query head over its storage head's slots into {@link #outRow},
     * leaving the probabilities in {@link #probs} ({@code [queryHeads, slots]}). Keys and values are
     * streamed once per storage head in blocks, serving all of the head's queries. With more than
     * one attention thread, storage heads are split into contiguous ranges: the caller takes the
     * first, the common fork-join pool the rest; the ranges write disjoint parts of the scratch.
     */
    private void attention(Layer state, float[] query) {
        LayerStore store = state.store;
        int slots = store.slots();
        ensureProbs(slots);
        Arrays.fill(outRow, 0f);
        int parts = Math.min(threads, heads);
        if (parts == 1) {
            attendHeads(store, slots, query, 0, heads, blocks[0]);
            return;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[parts - 1];
        for (int part = 1; part < parts; part++) {
            int from = heads * part / parts;
            int to = heads * (part + 1) / parts;
            float[] block = blocks[part];
            tasks[part - 1] = ForkJoinPool.commonPool().submit(() -> attendHeads(store, slots, query, from, to, block));
        }
        attendHeads(store, slots, query, 0, heads / parts, blocks[0]);
        for (ForkJoinTask<?> task : tasks) {
            task.join();
        }
    }

    private void attendHeads(LayerStore store, int slots, float[] query, int fromHead, int toHead, float[] block) {
        int d = layout.headDim();
        for (int h = fromHead; h < toHead; h++) {
            int firstQuery = h * queriesPerHead;
            int probBase = firstQuery * slots;
            for (LayerStore.Segment segment : store.segments()) {
                int end = Math.min(slots, segment.start + segment.size);
                for (int s0 = segment.start; s0 < end; s0 += BLOCK_ROWS) {
                    int rows = Math.min(BLOCK_ROWS, end - s0);
                    segment.keyBuffer.get(segment.offset(h, s0, d), block, 0, rows * d);
                    kernel.scoreRows(query, firstQuery * d, queriesPerHead, block, rows, d, probs, probBase + s0, slots);
                }
            }
            for (int q = 0; q < queriesPerHead; q++) {
                int row = probBase + q * slots;
                for (int s = 0; s < slots; s++) {
                    probs[row + s] = store.position(h, s) < 0 ? Float.NEGATIVE_INFINITY : probs[row + s] * scale;
                }
                softmax(probs, row, slots);
            }
            for (LayerStore.Segment segment : store.segments()) {
                int end = Math.min(slots, segment.start + segment.size);
                for (int s0 = segment.start; s0 < end; s0 += BLOCK_ROWS) {
                    int rows = Math.min(BLOCK_ROWS, end - s0);
                    segment.valueBuffer.get(segment.offset(h, s0, d), block, 0, rows * d);
                    kernel.accumulateRows(probs, probBase + s0, slots, queriesPerHead, block, rows, d, outRow, firstQuery * d);
                }
            }
        }
    }

    private static void softmax(float[] x, int from, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = from; i < from + n; i++) {
            max = Math.max(max, x[i]);
        }
        float sum = 0f;
        for (int i = from; i < from + n; i++) {
            float e = x[i] == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp(x[i] - max);
            x[i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int i = from; i < from + n; i++) {
            x[i] *= inv;
        }
    }

    @Override
    public void observe(int layer, INDArray probabilities) {
        Layer state = appendedLayer(layer);
        int slots = state.store.slots();
        Tensors.requireShape("probs", probabilities, layout.queryHeads(), slots);
        ensureProbs(slots);
        Tensors.copy(probabilities, probs, 0);
        requireProbabilities(state, slots);
        afterAttention(state, true);
    }

    @Override
    public void observe(int layer, float[] probabilities, int rowStride) {
        Layer state = appendedLayer(layer);
        int slots = state.store.slots();
        if (probabilities == null) {
            throw new IllegalArgumentException("probs must not be null");
        }
        if (rowStride < slots) {
            throw new IllegalArgumentException("rowStride " + rowStride + " must be at least the view's slots " + slots);
        }
        long needed = (long) (layout.queryHeads() - 1) * rowStride + slots;
        if (probabilities.length < needed) {
            throw new IllegalArgumentException("probs must hold queryHeads=" + layout.queryHeads() + " rows of "
                    + slots + " slots at stride " + rowStride + " (" + needed + " floats), was " + probabilities.length);
        }
        ensureProbs(slots);
        int from = policyReadsProbabilities() ? state.scoredFrom : slots;
        for (int q = 0; q < layout.queryHeads(); q++) {
            System.arraycopy(probabilities, q * rowStride + from, probs, q * slots + from, slots - from);
        }
        requireProbabilities(state, slots);
        afterAttention(state, true);
    }

    /**
     * Validates the columns the policy reads (all from {@code scoredFrom}; none when the policy
     * never scores by attention) and zeroes those of empty slots. Columns the policy never reads
     * cannot affect the cache and are not scanned, which keeps observe() cheap next to attention.
     */
    private void requireProbabilities(Layer state, int slots) {
        if (!policyReadsProbabilities()) {
            return;
        }
        LayerStore store = state.store;
        for (int q = 0; q < layout.queryHeads(); q++) {
            int h = q / queriesPerHead;
            int row = q * slots;
            for (int s = state.scoredFrom; s < slots; s++) {
                float p = probs[row + s];
                if (!(p >= 0f && p <= 1.0001f)) {
                    if (store.position(h, s) >= 0) {
                        throw new IllegalArgumentException("probs[" + q + ", " + s + "] = " + p
                                + " is not a probability in [0, 1]");
                    }
                }
            }
            for (int s = state.scoredFrom; s < slots; s++) {
                if (store.position(h, s) < 0) {
                    probs[row + s] = 0f;
                }
            }
        }
    }

    private boolean policyReadsProbabilities() {
        return policy.decoding().needsAttention();
    }

    @Override
    public void advance(int layer) {
        Layer state = appendedLayer(layer);
        if (policy.decoding().needsAttention()) {
            throw new IllegalStateException("advance() without probabilities is not allowed: policy "
                    + policy.describe() + " scores by attention; call attend() or observe()");
        }
        afterAttention(state, false);
    }

    private void afterAttention(Layer state, boolean haveProbs) {
        DecodingStrategy decoding = policy.decoding();
        if (decoding.evicts()) {
            if (haveProbs && decoding.scorer().needsAttention()) {
                aggregate(state);
            }
            select(state, decoding);
        }
        state.phase = Phase.READY;
    }

    /** Per storage head, the sum (or max) of its query heads' probabilities, fed to the scorer. */
    private void aggregate(Layer state) {
        int slots = state.store.slots();
        int from = state.scoredFrom;
        boolean max = policy.gqa() == GqaMode.MAX;
        for (int h = 0; h < heads; h++) {
            int first = h * queriesPerHead;
            System.arraycopy(probs, first * slots + from, aggregated, from, slots - from);
            for (int q = first + 1; q < first + queriesPerHead; q++) {
                int off = q * slots;
                if (max) {
                    for (int s = from; s < slots; s++) {
                        aggregated[s] = Math.max(aggregated[s], probs[off + s]);
                    }
                } else {
                    for (int s = from; s < slots; s++) {
                        aggregated[s] += probs[off + s];
                    }
                }
            }
            state.scores.onObserve(h, aggregated, from, slots, state.steps);
        }
    }

    /** Runs the memory manager for this step and, when due, the selection. */
    private void select(Layer state, DecodingStrategy decoding) {
        long step = state.steps;
        int budget = decoding.budget().budget(step);
        boolean wholeCache = decoding.candidates() == Candidates.WHOLE_CACHE;
        boolean over = false;
        for (int h = 0; h < heads; h++) {
            over |= count(state, h, wholeCache) >= limit(state, h, budget, wholeCache);
        }
        int next = decoding.cadence().next(over, state.cadenceCounter);
        if (next >= 0) {
            state.cadenceCounter = next;
            return;
        }
        state.cadenceCounter = 0;
        state.selections++;
        int recent = decoding.recent();
        int threshold = recent == 0 ? Integer.MAX_VALUE
                : state.steps >= recent ? state.recent[(int) ((state.steps - recent) % state.recent.length)]
                : state.promptEnd;
        LayerStore store = state.store;
        int slots = store.slots();
        ensureSelection(slots);
        for (int h = 0; h < heads; h++) {
            int keep = limit(state, h, budget, wholeCache) - recent;
            int n = 0;
            for (int s = 0; s < slots; s++) {
                int position = store.position(h, s);
                if (position >= 0 && position < threshold && (wholeCache || position >= state.promptEnd)) {
                    selectionKeys[n] = TopK.key(state.scores.score(h, s, position, step), position);
                    selectionSlots[n] = s;
                    n++;
                }
            }
            int evict = n - keep;
            if (evict <= 0) {
                continue;
            }
            TopK.selectSmallest(selectionKeys, selectionSlots, n, evict);
            for (int i = 0; i < evict; i++) {
                int slot = selectionSlots[i];
                if (store.position(h, slot) >= state.promptEnd) {
                    state.decodingCount[h]--;
                }
                store.evict(h, slot);
            }
            liveTokens -= evict;
            tokensEvicted += evict;
        }
    }

    private static int count(Layer state, int head, boolean wholeCache) {
        return wholeCache ? state.store.live(head) : state.decodingCount[head];
    }

    private static int limit(Layer state, int head, int budget, boolean wholeCache) {
        return wholeCache ? (int) Math.min(Integer.MAX_VALUE, (long) state.prefillKept[head] + budget) : budget;
    }

    // ---------------------------------------------------------------- inspection

    @Override
    public LayerView view(int layer) {
        Layer state = layer(layer);
        requirePrefilled(layer, state);
        LayerStore store = state.store;
        int slots = store.slots();
        int d = layout.headDim();
        return new LayerView() {
            @Override
            public int layer() {
                return layer;
            }

            @Override
            public int heads() {
                return heads;
            }

            @Override
            public int storageHead(int queryHead) {
                if (queryHead < 0 || queryHead >= layout.queryHeads()) {
                    throw new IllegalArgumentException("query head " + queryHead + " out of range [0, "
                            + layout.queryHeads() + ")");
                }
                return queryHead / queriesPerHead;
            }

            @Override
            public int slots() {
                return slots;
            }

            @Override
            public int position(int head, int slot) {
                return store.position(head, slot);
            }

            @Override
            public int segments() {
                return store.segments().size();
            }

            @Override
            public int segmentStart(int segment) {
                return store.segments().get(segment).start;
            }

            @Override
            public int segmentSlots(int segment) {
                return store.segments().get(segment).size;
            }

            @Override
            public INDArray keys(int segment) {
                return store.segments().get(segment).keys;
            }

            @Override
            public INDArray values(int segment) {
                return store.segments().get(segment).values;
            }

            @Override
            public FloatBuffer keyBuffer(int segment) {
                return store.segments().get(segment).keyBuffer.asReadOnlyBuffer();
            }

            @Override
            public FloatBuffer valueBuffer(int segment) {
                return store.segments().get(segment).valueBuffer.asReadOnlyBuffer();
            }

            @Override
            public void key(int head, int slot, float[] dst, int offset) {
                LayerStore.Segment segment = store.segmentOf(slot);
                segment.keyBuffer.get(segment.offset(head, slot, d), dst, offset, d);
            }

            @Override
            public void value(int head, int slot, float[] dst, int offset) {
                LayerStore.Segment segment = store.segmentOf(slot);
                segment.valueBuffer.get(segment.offset(head, slot, d), dst, offset, d);
            }
        };
    }

    @Override
    public int[] keptPositions(int layer, int head) {
        Layer state = layer(layer);
        requireHead(head);
        return state.store == null ? new int[0] : state.store.keptPositions(head);
    }

    @Override
    public int size(int layer, int head) {
        Layer state = layer(layer);
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
        // slot storage never relocates a kept token: eviction frees in place, growth adds a segment
        return new CacheStats(kept, allocatedBytes, liveBytes(), peakAllocatedBytes, peakLiveBytes, 0L,
                selections, tokensEvicted, layers[0].steps);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Layer state : layers) {
            if (state.store != null) {
                state.store.close();
                state.store = null;
            }
        }
        allocatedBytes = 0;
        liveTokens = 0;
    }

    // ---------------------------------------------------------------- helpers

    /** The KV head whose K/V a storage head holds: itself, or its group's under REPLICATE. */
    private int sourceHead(int storageHead) {
        return storageHead * queriesPerHead / layout.groupSize();
    }

    private long liveBytes() {
        return liveTokens * layout.headDim() * 2L * layout.storage().bytes();
    }

    private void updatePeakLive() {
        peakLiveBytes = Math.max(peakLiveBytes, liveBytes());
    }

    private void addAllocated(long bytes) {
        allocatedBytes += bytes;
        peakAllocatedBytes = Math.max(peakAllocatedBytes, allocatedBytes);
    }

    private void ensureProbs(int slots) {
        int needed = layout.queryHeads() * slots;
        if (probs.length < needed) {
            probs = new float[Math.max(needed, probs.length * 3 / 2)];
        }
        if (aggregated.length < slots) {
            aggregated = new float[Math.max(slots, aggregated.length * 3 / 2)];
        }
    }

    private void ensureSelection(int n) {
        if (selectionKeys.length < n) {
            int size = Math.max(n, selectionKeys.length * 3 / 2);
            selectionKeys = new long[size];
            selectionSlots = new int[size];
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("cache is closed; create a new cache for a new sequence");
        }
    }

    private Layer layer(int layer) {
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

    private static void requirePrefilled(int layer, Layer state) {
        if (state.phase == Phase.EMPTY) {
            throw new IllegalStateException("layer " + layer + " has not been prefilled; call prefill() first");
        }
    }

    private Layer readyLayer(int layer) {
        Layer state = layer(layer);
        requirePrefilled(layer, state);
        if (state.phase == Phase.APPENDED) {
            throw new IllegalStateException("layer " + layer + " already has this step's token; call attend(), observe() or advance() before the next append");
        }
        return state;
    }

    private Layer appendedLayer(int layer) {
        Layer state = layer(layer);
        requirePrefilled(layer, state);
        if (state.phase != Phase.APPENDED) {
            throw new IllegalStateException("layer " + layer + " has no pending token; append() the step's key and value first");
        }
        return state;
    }

    private static void requireLength(String name, float[] array, int length) {
        if (array == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (array.length != length) {
            throw new IllegalArgumentException(name + " must hold " + length + " floats (heads x headDim), was " + array.length);
        }
    }
}
