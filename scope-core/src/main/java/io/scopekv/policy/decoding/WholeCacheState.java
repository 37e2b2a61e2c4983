package io.scopekv.policy.decoding;

import io.scopekv.policy.DecodingStrategy;
import io.scopekv.policy.Occupancy;
import io.scopekv.policy.Selection;

/**
 * The unified baselines' rule: once a head holds its prefill kept count P plus W tokens, every
 * cached token except the R most recent competes, prompt included, and each head keeps
 * P + W - R of them plus those R.
 */
final class WholeCacheState implements DecodingStrategy.State {
    private final int window;
    private final int recent;
    private final RecentWindow last;

    WholeCacheState(int window, int recent) {
        this.window = window;
        this.recent = recent;
        this.last = new RecentWindow(recent);
    }

    @Override
    public void onAppend(int position, float[] keys, float[] values) {
        last.add(position);
    }

    @Override
    public Selection decide(long step, Occupancy cache) {
        boolean over = false;
        for (int h = 0; h < cache.heads(); h++) {
            over |= cache.held(h) >= limit(cache, h);
        }
        if (!over) {
            return null;
        }
        int[] keep = new int[cache.heads()];
        for (int h = 0; h < keep.length; h++) {
            keep[h] = limit(cache, h) - recent;
        }
        return Selection.perHead(0, last.start(cache.promptEnd()), keep);
    }

    private int limit(Occupancy cache, int head) {
        return (int) Math.min(Integer.MAX_VALUE, (long) cache.prefillKept(head) + window);
    }
}
