package io.scopekv;

import io.scopekv.policy.GqaMode;

/**
 * The grouped-query rule, in one place: a storage head's score for a token is the sum (or, under
 * {@link GqaMode#MAX}, the maximum) of its query heads' scores. Used for prefill scores and for
 * each decode step's attention probabilities.
 */
final class GroupScores {

    private GroupScores() {
    }

    /**
     * Folds one query head's row into a storage head's scores:
     * {@code dst[i] = fold(dst[i], src[srcOffset + i])} for {@code i} in {@code [from, to)}, where
     * the first row of a group is copied.
     */
    static void fold(GqaMode mode, boolean firstRow, float[] src, int srcOffset, float[] dst, int from, int to) {
        if (firstRow) {
            System.arraycopy(src, srcOffset + from, dst, from, to - from);
        } else if (mode == GqaMode.MAX) {
            for (int i = from; i < to; i++) {
                dst[i] = Math.max(dst[i], src[srcOffset + i]);
            }
        } else {
            for (int i = from; i < to; i++) {
                dst[i] += src[srcOffset + i];
            }
        }
    }
}
