package io.scopekv.bench.train;

/**
 * AdamW (Loshchilov and Hutter) over the flat parameter array: Adam moments with bias correction,
 * decoupled weight decay on the weight matrices only.
 */
public final class AdamW {

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.95f;
    private static final float EPS = 1e-8f;

    private final float[] m;
    private final float[] v;
    private final boolean[] decayed;
    private int steps;

    /** Fresh moments for the parameters of {@code layout}. */
    public AdamW(ParamLayout layout) {
        this(layout, new float[layout.size()], new float[layout.size()], 0);
    }

    /** Restored moments after {@code steps} updates. */
    public AdamW(ParamLayout layout, float[] m, float[] v, int steps) {
        if (m.length != layout.size() || v.length != layout.size()) {
            throw new IllegalArgumentException("moments must have " + layout.size() + " elements, had " + m.length
                    + " and " + v.length);
        }
        this.m = m;
        this.v = v;
        this.steps = steps;
        this.decayed = new boolean[layout.size()];
        for (ParamLayout.Tensor t : layout.tensors()) {
            if (t.matrix()) {
                java.util.Arrays.fill(decayed, t.offset(), t.offset() + t.size(), true);
            }
        }
    }

    /** One update of {@code params} along {@code grad}. */
    public void step(float[] params, float[] grad, double learningRate, double weightDecay) {
        steps++;
        double c1 = 1 - Math.pow(BETA1, steps);
        double c2 = 1 - Math.pow(BETA2, steps);
        float lr = (float) learningRate;
        float decay = (float) (1 - learningRate * weightDecay);
        for (int i = 0; i < params.length; i++) {
            float g = grad[i];
            m[i] = BETA1 * m[i] + (1 - BETA1) * g;
            v[i] = BETA2 * v[i] + (1 - BETA2) * g * g;
            float mHat = (float) (m[i] / c1);
            float vHat = (float) (v[i] / c2);
            if (decayed[i]) {
                params[i] *= decay;
            }
            params[i] -= lr * mHat / ((float) Math.sqrt(vHat) + EPS);
        }
    }

    public float[] firstMoment() {
        return m;
    }

    public float[] secondMoment() {
        return v;
    }
}
