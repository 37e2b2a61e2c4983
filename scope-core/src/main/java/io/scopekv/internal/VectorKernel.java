package io.scopekv.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernel. Loaded reflectively only when {@code jdk.incubator.vector} is in the boot
 * layer, so the library still runs on a JVM started without it. Works on heap arrays only
 * ({@code fromArray}/{@code intoArray}), the part of the incubator API that is the same on
 * Java 17 and 25.
 */
final class VectorKernel implements AttentionKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    @Override
    public void scoreRows(float[] query, int queryOff, int queries, float[] block, int rows, int d,
                          float[] scores, int scoreOff, int scoreStride) {
        int bound = SPECIES.loopBound(d);
        float[] lanes = new float[LANES];
        for (int g = 0; g < queries; g++) {
            int q = queryOff + g * d;
            for (int r = 0; r < rows; r++) {
                int k = r * d;
                FloatVector acc0 = FloatVector.zero(SPECIES);
                FloatVector acc1 = FloatVector.zero(SPECIES);
                int i = 0;
                for (; i + LANES < bound; i += 2 * LANES) {
                    acc0 = FloatVector.fromArray(SPECIES, query, q + i)
                            .fma(FloatVector.fromArray(SPECIES, block, k + i), acc0);
                    acc1 = FloatVector.fromArray(SPECIES, query, q + i + LANES)
                            .fma(FloatVector.fromArray(SPECIES, block, k + i + LANES), acc1);
                }
                for (; i < bound; i += LANES) {
                    acc0 = FloatVector.fromArray(SPECIES, query, q + i)
                            .fma(FloatVector.fromArray(SPECIES, block, k + i), acc0);
                }
                // reduceLanes leaves the order of additions open, and the interpreter and the JIT
                // pick different ones; summing the lanes in index order keeps results bit-identical
                // across threads, tiers and runs
                acc0.add(acc1).intoArray(lanes, 0);
                float sum = 0f;
                for (float lane : lanes) {
                    sum += lane;
                }
                for (; i < d; i++) {
                    sum += query[q + i] * block[k + i];
                }
                scores[scoreOff + g * scoreStride + r] = sum;
            }
        }
    }

    @Override
    public void accumulateRows(float[] probs, int probOff, int probStride, int queries, float[] block, int rows, int d,
                               float[] out, int outOff) {
        int bound = SPECIES.loopBound(d);
        for (int g = 0; g < queries; g++) {
            int o = outOff + g * d;
            for (int i = 0; i < bound; i += LANES) {
                FloatVector acc = FloatVector.fromArray(SPECIES, out, o + i);
                // no branch on p == 0 (empty slots): a vector carried through a conditional defeats
                // C2's box elimination once the branch has been seen both ways, costing 2-3x; empty
                // slots hold finite stale values, so 0 * v adds exactly nothing
                for (int r = 0; r < rows; r++) {
                    float p = probs[probOff + g * probStride + r];
                    acc = FloatVector.fromArray(SPECIES, block, r * d + i).fma(FloatVector.broadcast(SPECIES, p), acc);
                }
                acc.intoArray(out, o + i);
            }
            for (int i = bound; i < d; i++) {
                float sum = out[o + i];
                for (int r = 0; r < rows; r++) {
                    sum += probs[probOff + g * probStride + r] * block[r * d + i];
                }
                out[o + i] = sum;
            }
        }
    }
}
