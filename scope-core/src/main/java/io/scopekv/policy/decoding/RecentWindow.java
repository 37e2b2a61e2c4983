package io.scopekv.policy.decoding;

/**
 * The positions of the R most recent decoding tokens, which no selection may evict. A ring of the
 * last R appended positions, one per layer of a sequence.
 */
final class RecentWindow {
    private final int size;
    private final int[] ring;
    private long appended;

    RecentWindow(int size) {
        this.size = size;
        this.ring = new int[Math.max(1, size)];
    }

    void add(int position) {
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
