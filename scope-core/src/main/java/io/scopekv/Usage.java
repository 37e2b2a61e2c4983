package io.scopekv;


/** A cache's memory and work counters, turned into {@link CacheStats} snapshots. */
final class Usage {
    private long liveTokens;
    private long peakLiveBytes;
    private long allocatedBytes;
    private long peakAllocatedBytes;
    private long tokensEvicted;

    void addLive(long tokens) {
        liveTokens += tokens;
    }

    void evicted(long tokens) {
        liveTokens -= tokens;
        tokensEvicted += tokens;
    }

    void addAllocated(long bytes) {
        allocatedBytes += bytes;
        peakAllocatedBytes = Math.max(peakAllocatedBytes, allocatedBytes);
    }

    void updatePeakLive(CacheLayout layout) {
        peakLiveBytes = Math.max(peakLiveBytes, liveBytes(layout));
    }

    void closed() {
        allocatedBytes = 0;
        liveTokens = 0;
    }

    /** Slot storage never relocates a kept token (eviction frees in place, growth adds a segment): 0 bytes moved. */
    CacheStats snapshot(CacheLayout layout, LayerState[] layers, int heads) {
        int[][] kept = new int[layers.length][heads];
        long[] selections = new long[layers.length];
        for (int l = 0; l < layers.length; l++) {
            for (int h = 0; h < heads; h++) {
                kept[l][h] = layers[l].store == null ? 0 : layers[l].store.live(h);
            }
            selections[l] = layers[l].selections;
        }
        return new CacheStats(kept, allocatedBytes, liveBytes(layout), peakAllocatedBytes, peakLiveBytes, 0L,
                selections, tokensEvicted, layers[0].steps);
    }

    private long liveBytes(CacheLayout layout) {
        return liveTokens * layout.headDim() * 2L * layout.storage().bytes();
    }
}
