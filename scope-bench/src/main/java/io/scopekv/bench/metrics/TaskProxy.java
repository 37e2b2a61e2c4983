package io.scopekv.bench.metrics;

import io.scopekv.KvCache;
import io.scopekv.bench.sim.PolicyRun;
import io.scopekv.bench.sim.Simulation;
import io.scopekv.bench.sim.StepListener;
import io.scopekv.bench.workload.TaskPlan;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The accuracy proxy: answer i is correct when, as its final step runs, every layer and storage
 * head still holds question i's planted tokens and the planted tokens of answers i - 1 and i. A
 * token evicted earlier can never come back, so checking at the final step covers the whole
 * interval. Reported like LongGenBench's positional accuracy: correct answers / K, in percent.
 */
public final class TaskProxy implements StepListener {
    private final TaskPlan plan;
    private final Map<String, boolean[]> questionKept = new LinkedHashMap<>();
    private final Map<String, boolean[]> answerKept = new LinkedHashMap<>();

    public TaskProxy(TaskPlan plan) {
        this.plan = plan;
    }

    /** Checks the answers whose final step is the next one, on the state after {@code step}. */
    @Override
    public void afterStep(int step, Simulation sim) {
        for (int i = 0; i < plan.questions(); i++) {
            if (plan.answerEnd(i) - 1 != step) {
                continue;
            }
            int[] question = plan.questionPlanted(i);
            int[] needed = plan.needed(i);
            int[] decoding = Arrays.stream(needed).filter(p -> p >= plan.promptTokens()).toArray();
            for (PolicyRun run : sim.runs()) {
                questionKept.computeIfAbsent(run.label(), k -> new boolean[plan.questions()])[i] = allKept(run, question);
                answerKept.computeIfAbsent(run.label(), k -> new boolean[plan.questions()])[i] = allKept(run, decoding);
            }
        }
    }

    private static boolean allKept(PolicyRun run, int[] positions) {
        KvCache cache = run.cache();
        for (int layer = 0; layer < cache.layout().layers(); layer++) {
            for (int h = 0; h < run.storageHeads(); h++) {
                int[] kept = cache.keptPositions(layer, h);
                for (int p : positions) {
                    if (Arrays.binarySearch(kept, p) < 0) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** Answers whose needed tokens were all kept, in percent of K; NaN before any answer ended. */
    public double accuracy(String label) {
        boolean[] q = questionKept.get(label);
        boolean[] a = answerKept.get(label);
        if (q == null) {
            return Double.NaN;
        }
        int correct = 0;
        for (int i = 0; i < q.length; i++) {
            correct += q[i] && a[i] ? 1 : 0;
        }
        return 100.0 * correct / q.length;
    }

    /** Answers whose question's planted tokens were all kept, in percent. */
    public double questionRecall(String label) {
        return percent(questionKept.get(label));
    }

    /** Answers whose needed planted decoding tokens were all kept, in percent. */
    public double answerRecall(String label) {
        return percent(answerKept.get(label));
    }

    /** Per answer, whether it counts as correct. */
    public List<Boolean> correct(String label) {
        boolean[] q = questionKept.get(label);
        boolean[] a = answerKept.get(label);
        Boolean[] out = new Boolean[q == null ? 0 : q.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = q[i] && a[i];
        }
        return List.of(out);
    }

    private static double percent(boolean[] flags) {
        if (flags == null) {
            return Double.NaN;
        }
        int n = 0;
        for (boolean f : flags) {
            n += f ? 1 : 0;
        }
        return 100.0 * n / flags.length;
    }
}
