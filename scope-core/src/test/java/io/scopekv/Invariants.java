package io.scopekv;

import static org.assertj.core.api.Assertions.assertThat;

import io.scopekv.policy.DecodingStrategy;
import io.scopekv.policy.GqaMode;
import io.scopekv.policy.decoding.Adaptive;
import io.scopekv.policy.decoding.Discontinuous;
import io.scopekv.policy.decoding.Slide;
import io.scopekv.policy.decoding.UnifiedH2o;
import io.scopekv.policy.decoding.UnifiedStreamingLlm;
import java.util.Arrays;

/** Checks that hold for every policy after every operation. */
final class Invariants {

    private Invariants() {
    }

    /**
     * @param prompt prompt length M (positions 0..M-1)
     * @param seq    the stream the cache was fed
     */
    static void check(KvCache cache, Sequence seq, int prompt, int[][][] prefillSets) {
        CacheLayout layout = cache.layout();
        DecodingStrategy decoding = cache.policy().decoding();
        boolean replicate = cache.policy().gqa() == GqaMode.REPLICATE;
        CacheStats stats = cache.stats();
        long liveTokens = 0;
        for (int l = 0; l < layout.layers(); l++) {
            LayerView view = cache.view(l);
            long step = cache.decodeSteps(l);
            for (int h = 0; h < view.heads(); h++) {
                int[] kept = cache.keptPositions(l, h);
                liveTokens += kept.length;
                assertThat(stats.keptTokens(l, h)).isEqualTo(kept.length).isEqualTo(cache.size(l, h));
                for (int i = 1; i < kept.length; i++) {
                    assertThat(kept[i]).as("positions unique and ascending").isGreaterThan(kept[i - 1]);
                }
                int kvHead = replicate ? h / layout.groupSize() : h;
                checkStoredVectors(view, seq, l, h, kvHead);
                int[] decodingKept = Arrays.stream(kept).filter(p -> p >= prompt).toArray();
                if (!decoding.promptCompetes()) {
                    assertThat(Arrays.stream(kept).filter(p -> p < prompt).toArray())
                            .as("prefill set never changes under SCOPE").containsExactly(prefillSets[l][h]);
                }
                if (step > 0) {
                    Bound bound = Bound.of(decoding, step);
                    int recent = (int) Math.min(bound.recent(), step);
                    for (int r = 0; r < recent; r++) {
                        assertThat(decodingKept).as("the R most recent tokens are kept").contains(prompt + (int) step - 1 - r);
                    }
                    if (decoding.evicts()) {
                        int slack = bound.slack();
                        int budget = bound.budget();
                        if (!decoding.promptCompetes()) {
                            assertThat(decodingKept.length).as("decoding tokens within budget").isLessThanOrEqualTo(budget + slack);
                        } else {
                            assertThat(kept.length).as("whole cache within budget")
                                    .isLessThanOrEqualTo(prefillSets[l][h].length + budget + slack);
                        }
                    }
                }
            }
        }
        long bytesPerToken = layout.headDim() * 2L * layout.storage().bytes();
        assertThat(stats.liveBytes()).as("live bytes = tokens x headDim x 2 x bytes").isEqualTo(liveTokens * bytesPerToken);
        assertThat(stats.peakLiveBytes()).isGreaterThanOrEqualTo(stats.liveBytes());
        assertThat(stats.allocatedBytes()).isGreaterThanOrEqualTo(stats.liveBytes());
    }

    private static void checkStoredVectors(LayerView view, Sequence seq, int layer, int head, int kvHead) {
        int d = seq.layout.headDim();
        StorageType storage = seq.layout.storage();
        float[] k = new float[d];
        float[] v = new float[d];
        for (int s = 0; s < view.slots(); s++) {
            int position = view.position(head, s);
            if (position < 0) {
                continue;
            }
            view.key(head, s, k, 0);
            view.value(head, s, v, 0);
            assertThat(viaSegmentArray(view, head, s, d, storage)).as("documented storage layout").containsExactly(k);
            assertStored(k, Arrays.copyOfRange(seq.key(layer, position), kvHead * d, kvHead * d + d), storage, "key", position);
            assertStored(v, Arrays.copyOfRange(seq.value(layer, position), kvHead * d, kvHead * d + d), storage, "value", position);
        }
    }

    /** Exact for float32; for 16-bit types within half a unit in the last place of the format. */
    private static void assertStored(float[] stored, float[] given, StorageType storage, String name, int position) {
        if (storage == StorageType.FLOAT32) {
            assertThat(stored).as("%s at position %d", name, position).containsExactly(given);
            return;
        }
        double halfUlp = storage == StorageType.BF16 ? 0x1p-8 : 0x1p-11;
        for (int i = 0; i < given.length; i++) {
            assertThat((double) stored[i]).as("%s at position %d [%d] in %s", name, position, i, storage)
                    .isCloseTo(given[i], org.assertj.core.api.Assertions.within(Math.abs(given[i]) * halfUlp + 0x1p-25));
        }
    }

    /**
     * The key read through the segment's ND4J array at the documented index; for float32 host
     * storage also through its buffer, which must agree.
     */
    private static float[] viaSegmentArray(LayerView view, int head, int slot, int d, StorageType storage) {
        int segment = view.segments() - 1;
        while (view.segmentStart(segment) > slot) {
            segment--;
        }
        float[] out = new float[d];
        int local = slot - view.segmentStart(segment);
        assertThat(view.keys(segment).shape()).containsExactly(view.heads(), view.segmentSlots(segment), d);
        for (int i = 0; i < d; i++) {
            out[i] = view.keys(segment).getFloat(head, local, i);
        }
        if (storage == StorageType.FLOAT32 && hostBuffers(view)) {
            float[] buffered = new float[d];
            view.keyBuffer(segment).get((head * view.segmentSlots(segment) + local) * d, buffered, 0, d);
            assertThat(buffered).as("buffer layout").containsExactly(out);
        }
        return out;
    }

    /** Whether the view offers host buffers (not under Backend.ND4J). */
    private static boolean hostBuffers(LayerView view) {
        try {
            view.keyBuffer(0);
            return true;
        } catch (UnsupportedOperationException e) {
            assertThat(e).hasMessageContaining("ND4J");
            return false;
        }
    }

    /** A built-in strategy's recent window R, decoding budget at a step, and tokens it may hold over it. */
    record Bound(int recent, int budget, int slack) {
        static Bound of(DecodingStrategy decoding, long step) {
            if (decoding instanceof Slide s) {
                return new Bound(s.recent(), s.window(), 0);
            }
            if (decoding instanceof Adaptive a) {
                return new Bound(a.recent(), a.budget(step), 0);
            }
            if (decoding instanceof Discontinuous d) {
                return new Bound(d.recent(), d.budget(step), d.delta());
            }
            if (decoding instanceof UnifiedH2o u) {
                return new Bound(u.recent(), u.window(), 0);
            }
            if (decoding instanceof UnifiedStreamingLlm u) {
                return new Bound(u.recent(), u.window(), 0);
            }
            return new Bound(0, Integer.MAX_VALUE, 0);
        }
    }

    static int[][][] prefillSets(KvCache cache) {
        int layers = cache.layout().layers();
        int[][][] sets = new int[layers][][];
        for (int l = 0; l < layers; l++) {
            int heads = cache.view(l).heads();
            sets[l] = new int[heads][];
            for (int h = 0; h < heads; h++) {
                sets[l][h] = cache.keptPositions(l, h);
            }
        }
        return sets;
    }
}
