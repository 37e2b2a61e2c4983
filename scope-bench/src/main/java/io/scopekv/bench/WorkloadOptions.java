package io.scopekv.bench;

import io.scopekv.CacheLayout;
import io.scopekv.bench.workload.WorkloadConfig;
import picocli.CommandLine.Option;

/** The workload options shared by the commands that generate tokens: lengths preset, layout and seed. */
final class WorkloadOptions {

    @Option(names = "--paper", description = "the paper's lengths: 30 questions, M = 3400 prompt tokens, T = 4096 "
            + "(default: small and fast)")
    boolean paper;

    @Option(names = "--layout", paramLabel = "NAME", defaultValue = "preset", converter = OptionTypes.Layout.class,
            completionCandidates = OptionTypes.Layout.class,
            description = "model shape: preset (2 layers, 4/2 heads, 64 dims), llama3-8b (32 layers, 32/8 heads, "
                    + "128 dims), or four numbers: LAYERS,QHEADS,KVHEADS,HEADDIM (default: ${DEFAULT-VALUE})")
    CacheLayout layout;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "seed of every random choice (default: ${DEFAULT-VALUE})")
    long seed;

    /** The configured workload. */
    WorkloadConfig workload() {
        WorkloadConfig config = paper ? WorkloadConfig.paper() : WorkloadConfig.defaults();
        return config.withSeed(seed).withLayout(layout);
    }
}
