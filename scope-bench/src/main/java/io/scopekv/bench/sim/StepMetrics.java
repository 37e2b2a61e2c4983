package io.scopekv.bench.sim;

/**
 * Per-step series of one policy, index = decode step (index 0 = after prefill, where the
 * attention series are undefined and hold NaN).
 */
public final class StepMetrics {
    private final double[] relativeError;
    private final double[] massKept;
    private final double[] stepMillis;
    private final long[] liveBytes;
    private final double[] keptPerHead;
    private final long[] selections;

    public StepMetrics(int decodeSteps) {
        if (decodeSteps < 0) {
            throw new IllegalArgumentException("decodeSteps must be >= 0, was " + decodeSteps);
        }
        int n = decodeSteps + 1;
        relativeError = new double[n];
        massKept = new double[n];
        stepMillis = new double[n];
        liveBytes = new long[n];
        keptPerHead = new double[n];
        selections = new long[n];
        relativeError[0] = Double.NaN;
        massKept[0] = Double.NaN;
        stepMillis[0] = Double.NaN;
    }

    void record(int step, double error, double mass, double millis) {
        relativeError[step] = error;
        massKept[step] = mass;
        stepMillis[step] = millis;
    }

    void recordMemory(int step, long live, double keptMean, long selectionsSoFar) {
        liveBytes[step] = live;
        keptPerHead[step] = keptMean;
        selections[step] = selectionsSoFar;
    }

    /** Steps recorded after prefill. */
    public int decodeSteps() {
        return relativeError.length - 1;
    }

    /** Mean over layers of ||out - out_full|| / ||out_full|| of this step's attention output. */
    public double relativeError(int step) {
        return relativeError[step];
    }

    /** Share of the full cache's attention (averaged over layers and query heads) on tokens this cache attended. */
    public double massKept(int step) {
        return massKept[step];
    }

    /** Wall time of this step's append and attend calls, summed over layers. */
    public double stepMillis(int step) {
        return stepMillis[step];
    }

    /** Bytes holding kept tokens after the step. */
    public long liveBytes(int step) {
        return liveBytes[step];
    }

    /** Tokens held per (layer, storage head), averaged, after the step. */
    public double keptPerHead(int step) {
        return keptPerHead[step];
    }

    /** Selections run so far (busiest layer). */
    public long selections(int step) {
        return selections[step];
    }
}
