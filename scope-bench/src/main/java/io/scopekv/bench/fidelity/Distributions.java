package io.scopekv.bench.fidelity;

/** Next-token distributions from logits, and how two of them differ; all in double precision. */
public final class Distributions {

    private Distributions() {
    }

    /**
     * Natural-log probabilities of the softmax of {@code logits}.
     *
     * @throws IllegalArgumentException for empty or non-finite logits
     */
    public static double[] logSoftmax(float[] logits) {
        if (logits.length == 0) {
            throw new IllegalArgumentException("logits must not be empty");
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < logits.length; i++) {
            if (!Float.isFinite(logits[i])) {
                throw new IllegalArgumentException("logits[" + i + "] is " + logits[i] + "; logits must be finite");
            }
            max = Math.max(max, logits[i]);
        }
        double sum = 0;
        for (float logit : logits) {
            sum += Math.exp(logit - max);
        }
        double logSum = max + Math.log(sum);
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = logits[i] - logSum;
        }
        return out;
    }

    /**
     * KL(p || q) in nats of two distributions given as log-probabilities: what using q costs where
     * p is the truth. Zero exactly when they are equal, positive otherwise.
     *
     * @throws IllegalArgumentException when the lengths differ
     */
    public static double kl(double[] logP, double[] logQ) {
        if (logP.length != logQ.length) {
            throw new IllegalArgumentException("distributions over different vocabularies: " + logP.length + " vs "
                    + logQ.length + " entries");
        }
        double sum = 0;
        for (int i = 0; i < logP.length; i++) {
            double p = Math.exp(logP[i]);
            if (p > 0) {
                sum += p * (logP[i] - logQ[i]);
            }
        }
        // rounding can leave a tiny negative sum for near-identical distributions; KL is never negative
        return Math.max(0, sum);
    }

    /** Index of the largest entry; the lowest index wins ties, as in greedy decoding. */
    public static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
