package io.scopekv.policy.decoding;

import java.util.Arrays;

/**
 * The positions of the R most recent decoding tokens, which no selection may evict. A ring of the
 * last R appended positions, one per layer of a sequence.
 */
final class RecentWindow {
    private final int size;
    private int[] ring;
    private long appended;

    RecentWindow(int size) {
        this.size = size;
        // grown up to R as tokens arrive, so a large R costs nothing until it is used
        this.ring = new int[Math.max(1, Math.min(size, 1024))];
    }

    void add(int position) {
        if (appended == ring.length && ring.length < size) {
            // nothing has wrapped yet (appended == length), so the ring keeps its order when it grows
            ring = Arrays.copyOf(ring, (int) Math.min(size, 2L * ring.length));
        }
        ring[(int) (appended++ % ring.length)] = position;
    }

    /**
     * The first protected position: the R-th most recent one. While fewer than R tokens were
     * appended every decoding token is protected, so it is {@code promptEnd}.
     */
    int start(int promptEnd) {
        if (size == 0) {
            return Integer.MAX_VALUE;
        }
        return appended >= size ? ring[(int) ((appended - size) % ring.length)] : promptEnd;
    }
}
