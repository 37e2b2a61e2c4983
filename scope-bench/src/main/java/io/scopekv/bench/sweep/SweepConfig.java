package io.scopekv.bench.sweep;

import io.scopekv.bench.io.JsonFormat;
import io.scopekv.bench.policies.Budget;
import io.scopekv.bench.policies.PolicyRegistry;
import io.scopekv.bench.workload.WorkloadConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One sweep: a workload, the prefill budget P, the decoding budgets W to try, the recent window R
 * and the policies (the bounds Full and Random always run too).
 *
 * @param workload      the synthetic stream
 * @param prefillBudget P
 * @param windows       decoding budgets W, distinct, each above R and at most T
 * @param recent        R
 * @param policies      registry names to run besides the bounds
 */
public record SweepConfig(WorkloadConfig workload, int prefillBudget, List<Integer> windows, int recent,
                          List<String> policies) {

    public SweepConfig {
        if (workload == null) {
            throw new IllegalArgumentException("workload must not be null");
        }
        windows = List.copyOf(windows);
        policies = List.copyOf(policies);
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("windows must name at least one decoding budget W");
        }
        for (String name : policies) {
            PolicyRegistry.get(name);
        }
        budgets(workload, prefillBudget, windows, recent);
    }

    /** The default: every registered policy at the paper's 12.5% and 25% decoding ratios of T. */
    public static SweepConfig defaults(WorkloadConfig workload) {
        int t = workload.maxNewTokens();
        // the paper keeps 2048 of ~3.4K prompt tokens: about 60%
        int p = (int) Math.round(workload.promptTokens() * 0.6);
        return new SweepConfig(workload, p, List.of(t / 8, t / 4), t / 16, List.copyOf(PolicyRegistry.names()));
    }

    /** The paper's budgets on its lengths: P = 2048, W = 512 and 1024, R = 256. */
    public static SweepConfig paper(WorkloadConfig workload) {
        return new SweepConfig(workload, 2048, List.of(512, 1024), 256, List.copyOf(PolicyRegistry.names()));
    }

    /** One budget per W. */
    public List<Budget> budgets() {
        return budgets(workload, prefillBudget, windows, recent);
    }

    private static List<Budget> budgets(WorkloadConfig workload, int p, List<Integer> windows, int recent) {
        List<Budget> budgets = new ArrayList<>();
        for (int w : windows) {
            budgets.add(new Budget(p, w, recent, workload.maxNewTokens(), workload.seed()));
        }
        if (budgets.stream().map(Budget::window).distinct().count() != budgets.size()) {
            throw new IllegalArgumentException("windows must be distinct, were " + windows);
        }
        return budgets;
    }

    /**
     * A directory name that identifies the configuration: the main sizes, readable, then a hash of
     * every parameter in {@link #toMap()} (the policy set and the workload's other settings among
     * them), so that two sweeps that differ in anything write to different directories.
     */
    public String directoryName() {
        WorkloadConfig w = workload;
        StringBuilder ws = new StringBuilder();
        for (int window : windows) {
            ws.append(ws.length() == 0 ? "" : "_").append(window);
        }
        return "sweep-L" + w.layers() + "-H" + w.queryHeads() + "x" + w.kvHeads() + "-d" + w.headDim()
                + "-M" + w.promptTokens() + "-T" + w.maxNewTokens() + "-P" + prefillBudget + "-W" + ws
                + "-R" + recent + "-seed" + w.seed() + "-" + hash();
    }

    /** The first 8 hex digits of the SHA-256 of {@link #toMap()} as JSON. */
    private String hash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(JsonFormat.write(toMap()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Every parameter, for config.json. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("seed", workload.seed());
        map.put("prefillBudget", prefillBudget);
        map.put("windows", new ArrayList<>(windows));
        map.put("recent", recent);
        map.put("policies", new ArrayList<>(policies));
        map.put("workload", workload.toMap());
        return map;
    }
}
