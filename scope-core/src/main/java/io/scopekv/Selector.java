package io.scopekv;

/**
 * The one selection every policy shares: of n candidates, each a (position, score), which to
 * evict so that {@code keep} stay. Higher scores stay; ties go to the lower position. Expected
 * O(n); the scratch arrays are reused, so one selector serves one cache (one thread at a time).
 */
final class Selector {
    private long[] keys = new long[0];
    private int[] order = new int[0];

    /**
     * Chooses the candidates to evict. Reads {@code positions[0, n)} and {@code scores[0, n)};
     * afterwards {@link #evicted(int)} names them for {@code i} below the returned count.
     *
     * @return the number of candidates to evict, {@code max(0, n - keep)}
     */
    int evict(int[] positions, float[] scores, int n, int keep) {
        int evict = n - keep;
        if (evict <= 0) {
            return 0;
        }
        if (keys.length < n) {
            keys = new long[Math.max(n, keys.length * 3 / 2)];
            order = new int[keys.length];
        }
        for (int i = 0; i < n; i++) {
            keys[i] = TopK.key(scores[i], positions[i]);
            order[i] = i;
        }
        TopK.selectSmallest(keys, order, n, evict);
        return evict;
    }

    /** The candidate index (into the arrays given to {@link #evict}) of the i-th evicted one. */
    int evicted(int i) {
        return order[i];
    }
}
