package io.scopekv.bench.metrics;

import io.scopekv.CacheStats;
import io.scopekv.bench.sim.PolicyRun;
import io.scopekv.bench.sim.StepMetrics;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One policy's results over a whole run.
 *
 * @param label            display name
 * @param spec             canonical policy spec
 * @param accuracy         task proxy: answers with every needed token kept, percent (NaN without a plan)
 * @param questionRecall   answers whose question facts were kept, percent
 * @param answerRecall     answers whose planted decoding tokens were kept, percent
 * @param meanError        mean over steps of the relative attention-output error vs the full cache
 * @param p99Error         99th percentile of that error
 * @param maxError         its maximum
 * @param meanMassKept     mean over steps of the full cache's attention mass on kept tokens
 * @param peakLiveBytes    highest resident KV bytes
 * @param peakPercentOfFull peakLiveBytes as a percentage of the full cache's
 * @param bytesMoved       bytes copied to relocate kept tokens
 * @param selections       selections run (busiest layer)
 * @param tokensEvicted    (layer, head, token) evictions
 * @param msPerStep        mean wall time of append + attend per decode step, all layers
 */
public record PolicySummary(String label, String spec, double accuracy, double questionRecall, double answerRecall,
                            double meanError, double p99Error, double maxError, double meanMassKept,
                            long peakLiveBytes, double peakPercentOfFull, long bytesMoved, long selections,
                            long tokensEvicted, double msPerStep) {

    /**
     * Summarises a finished run.
     *
     * @param proxy         task proxy, or null when the stream has no task plan
     * @param fullPeakBytes the full cache's peak resident bytes on the same stream
     */
    public static PolicySummary of(PolicyRun run, TaskProxy proxy, long fullPeakBytes) {
        StepMetrics m = run.metrics();
        int steps = m.decodeSteps();
        double[] errors = new double[steps];
        double mass = 0;
        double millis = 0;
        for (int j = 1; j <= steps; j++) {
            errors[j - 1] = m.relativeError(j);
            mass += m.massKept(j);
            millis += m.stepMillis(j);
        }
        Arrays.sort(errors);
        CacheStats stats = run.cache().stats();
        String label = run.label();
        return new PolicySummary(label, run.policy().describe(),
                proxy == null ? Double.NaN : proxy.accuracy(label),
                proxy == null ? Double.NaN : proxy.questionRecall(label),
                proxy == null ? Double.NaN : proxy.answerRecall(label),
                steps == 0 ? Double.NaN : Arrays.stream(errors).average().orElse(Double.NaN),
                percentile(errors, 0.99), steps == 0 ? Double.NaN : errors[steps - 1],
                steps == 0 ? Double.NaN : mass / steps,
                stats.peakLiveBytes(), fullPeakBytes == 0 ? Double.NaN : 100.0 * stats.peakLiveBytes() / fullPeakBytes,
                stats.bytesMoved(), stats.selectionSteps(), stats.tokensEvicted(),
                steps == 0 ? Double.NaN : millis / steps);
    }

    /** Nearest-rank percentile of an ascending array; NaN when empty. */
    public static double percentile(double[] ascending, double q) {
        if (ascending.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * ascending.length);
        return ascending[Math.max(0, Math.min(ascending.length - 1, rank - 1))];
    }

    /** The summary as an ordered map for JSON. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        for (var component : PolicySummary.class.getRecordComponents()) {
            try {
                map.put(component.getName(), component.getAccessor().invoke(this));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read summary field " + component.getName(), e);
            }
        }
        return map;
    }
}
