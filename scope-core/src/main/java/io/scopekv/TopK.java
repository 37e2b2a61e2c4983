package io.scopekv;

/**
 * Selection by (score, position) keys packed into longs: higher score wins, ties go to the lower
 * position. Allocation-free; used by every prefill and decoding selection. Not API.
 */
final class TopK {

    private TopK() {
    }

    /** A key that orders by score, then by lower position, as a signed long (larger = keep). */
    public static long key(float score, int position) {
        int bits = Float.floatToIntBits(score == 0f ? 0f : score);
        int sortable = bits < 0 ? bits ^ 0x7fffffff : bits;
        return ((long) sortable << 32) | (0xffffffffL - (position & 0xffffffffL));
    }

    /**
     * Reorders {@code keys[0, n)} and the parallel {@code payload} so that the {@code m} smallest
     * keys occupy {@code [0, m)} (in no particular order). Expected O(n).
     */
    public static void selectSmallest(long[] keys, int[] payload, int n, int m) {
        if (m <= 0 || m >= n) {
            return;
        }
        int lo = 0;
        int hi = n - 1;
        int target = m - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (keys[mid] < keys[lo]) {
                swap(keys, payload, mid, lo);
            }
            if (keys[hi] < keys[lo]) {
                swap(keys, payload, hi, lo);
            }
            if (keys[hi] < keys[mid]) {
                swap(keys, payload, hi, mid);
            }
            long pivot = keys[mid];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (keys[i] < pivot) {
                    i++;
                }
                while (keys[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    swap(keys, payload, i, j);
                    i++;
                    j--;
                }
            }
            if (target <= j) {
                hi = j;
            } else if (target >= i) {
                lo = i;
            } else {
                return;
            }
        }
    }

    private static void swap(long[] keys, int[] payload, int a, int b) {
        long k = keys[a];
        keys[a] = keys[b];
        keys[b] = k;
        int p = payload[a];
        payload[a] = payload[b];
        payload[b] = p;
    }
}
