package io.scopekv.policy;

import java.util.Arrays;

/**
 * A selection a {@link DecodingStrategy} asks for on one layer: on every head the cached tokens
 * with positions in {@code [from, before)} compete, and the {@link #keep(int)} highest-scoring of
 * them stay. Tokens outside the range are untouched.
 */
public final class Selection {
    private final int from;
    private final int before;
    private final int[] keep;

    private Selection(int from, int before, int[] keep) {
        if (from < 0 || before < from) {
            throw new IllegalArgumentException("a selection's positions must satisfy 0 <= from <= before, was from="
                    + from + ", before=" + before);
        }
        for (int h = 0; h < keep.length; h++) {
            if (keep[h] < 0) {
                throw new IllegalArgumentException("head " + h + " must keep >= 0 candidates, was " + keep[h]);
            }
        }
        this.from = from;
        this.before = before;
        this.keep = keep;
    }

    /** Each head keeps its own number of candidates: {@code keep[head]}. */
    public static Selection perHead(int from, int before, int[] keep) {
        return new Selection(from, before, keep.clone());
    }

    /** Every one of {@code heads} heads keeps {@code keep} candidates. */
    public static Selection uniform(int from, int before, int keep, int heads) {
        int[] each = new int[heads];
        Arrays.fill(each, keep);
        return new Selection(from, before, each);
    }

    /** The lowest position that competes. */
    public int from() {
        return from;
    }

    /** Positions at or above this never compete (the recent window). */
    public int before() {
        return before;
    }

    /** Heads this selection covers. */
    public int heads() {
        return keep.length;
    }

    /** Candidates that stay on {@code head}. */
    public int keep(int head) {
        return keep[head];
    }

    @Override
    public String toString() {
        return "Selection[positions " + from + ".." + before + ", keep " + Arrays.toString(keep) + "]";
    }
}
