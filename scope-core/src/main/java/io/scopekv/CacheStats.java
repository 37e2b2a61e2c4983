package io.scopekv;

import java.util.Arrays;

/**
 * An immutable snapshot of a cache's memory and work.
 *
 * <p>Byte counts follow {@code layers x heads x tokens x headDim x 2 (K and V) x bytes per value},
 * where heads are the storage heads (KV heads; query heads when K/V are replicated).
 *
 * @param keptTokens         {@code [layers][heads]} tokens held per layer and storage head
 * @param allocatedBytes     off-heap bytes allocated for keys and values now
 * @param liveBytes          bytes holding kept tokens now
 * @param peakAllocatedBytes highest {@code allocatedBytes} so far
 * @param peakLiveBytes      highest {@code liveBytes} after any operation so far
 * @param bytesMoved         bytes copied to relocate kept tokens; eviction frees slots in place and
 *                           growth adds a segment, so the slot storage moves nothing (0): the
 *                           counter exists so a compacting store is held to the same account
 * @param selections         {@code [layers]} selections run per layer
 * @param tokensEvicted      (layer, head, token) evictions, summed
 * @param decodeSteps        decode steps completed by layer 0
 */
public record CacheStats(int[][] keptTokens, long allocatedBytes, long liveBytes, long peakAllocatedBytes,
                         long peakLiveBytes, long bytesMoved, long[] selections, long tokensEvicted,
                         long decodeSteps) {

    /** Checks the components, naming the value and the rule it breaks. */
    public CacheStats {
        keptTokens = deepCopy(keptTokens);
        selections = selections.clone();
    }

    /** {@code [layers][heads]} tokens held, a copy. */
    @Override
    public int[][] keptTokens() {
        return deepCopy(keptTokens);
    }

    /** {@code [layers]} selections run per layer, a copy. */
    @Override
    public long[] selections() {
        return selections.clone();
    }

    /** Tokens held by one layer and storage head. */
    public int keptTokens(int layer, int head) {
        return keptTokens[layer][head];
    }

    /** Tokens held, summed over layers and heads. */
    public long totalKeptTokens() {
        long sum = 0;
        for (int[] layer : keptTokens) {
            for (int n : layer) {
                sum += n;
            }
        }
        return sum;
    }

    /** Selections of the busiest layer: the number of steps on which selection ran. */
    public long selectionSteps() {
        return Arrays.stream(selections).max().orElse(0);
    }

    private static int[][] deepCopy(int[][] rows) {
        int[][] copy = new int[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            copy[i] = rows[i].clone();
        }
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CacheStats s && Arrays.deepEquals(keptTokens, s.keptTokens)
                && allocatedBytes == s.allocatedBytes && liveBytes == s.liveBytes
                && peakAllocatedBytes == s.peakAllocatedBytes && peakLiveBytes == s.peakLiveBytes
                && bytesMoved == s.bytesMoved && Arrays.equals(selections, s.selections)
                && tokensEvicted == s.tokensEvicted && decodeSteps == s.decodeSteps;
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(keptTokens) * 31 + Long.hashCode(liveBytes) + Arrays.hashCode(selections);
    }

    @Override
    public String toString() {
        return "CacheStats[kept=" + totalKeptTokens() + " tokens, live=" + liveBytes + " B, allocated=" + allocatedBytes
                + " B, peakLive=" + peakLiveBytes + " B, peakAllocated=" + peakAllocatedBytes + " B, moved=" + bytesMoved
                + " B, selections=" + selectionSteps() + ", evicted=" + tokensEvicted + ", steps=" + decodeSteps + "]";
    }
}
