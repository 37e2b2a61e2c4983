package io.scopekv;

import java.util.Arrays;

/** Everything observable about a cache: kept positions, the stored K/V of every kept token, stats. */
record Snapshot(int[][][] positions, float[][][] keys, float[][][] values, CacheStats stats) {

    static Snapshot of(KvCache cache) {
        int layers = cache.layout().layers();
        int[][][] positions = new int[layers][][];
        float[][][] keys = new float[layers][][];
        float[][][] values = new float[layers][][];
        for (int l = 0; l < layers; l++) {
            LayerView view;
            try {
                view = cache.view(l);
            } catch (IllegalStateException notPrefilled) {
                positions[l] = new int[0][];
                keys[l] = new float[0][];
                values[l] = new float[0][];
                continue;
            }
            positions[l] = new int[view.heads()][];
            keys[l] = new float[view.heads()][];
            values[l] = new float[view.heads()][];
            for (int h = 0; h < view.heads(); h++) {
                positions[l][h] = cache.keptPositions(l, h);
                keys[l][h] = gather(view, h, true);
                values[l][h] = gather(view, h, false);
            }
        }
        return new Snapshot(positions, keys, values, cache.stats());
    }

    /** The head's kept vectors concatenated in ascending position order. */
    private static float[] gather(LayerView view, int head, boolean keys) {
        int d = (int) view.keys(0).size(2);
        int[][] bySlot = new int[view.slots()][];
        int n = 0;
        for (int s = 0; s < view.slots(); s++) {
            if (view.position(head, s) >= 0) {
                bySlot[n++] = new int[] {view.position(head, s), s};
            }
        }
        int[][] live = Arrays.copyOf(bySlot, n);
        Arrays.sort(live, (a, b) -> Integer.compare(a[0], b[0]));
        float[] out = new float[n * d];
        for (int i = 0; i < n; i++) {
            if (keys) {
                view.key(head, live[i][1], out, i * d);
            } else {
                view.value(head, live[i][1], out, i * d);
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Snapshot s && Arrays.deepEquals(positions, s.positions) && Arrays.deepEquals(keys, s.keys)
                && Arrays.deepEquals(values, s.values) && stats.equals(s.stats);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(positions);
    }

    @Override
    public String toString() {
        return "Snapshot" + Arrays.deepToString(positions) + " " + stats;
    }
}
