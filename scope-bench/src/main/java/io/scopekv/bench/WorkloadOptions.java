package io.scopekv.bench;

import io.scopekv.CacheLayout;
import io.scopekv.bench.workload.WorkloadConfig;
import java.util.Locale;

/** The workload options shared by the commands that generate tokens: lengths preset, layout and seed. */
final class WorkloadOptions {

    private WorkloadOptions() {
    }

    /** Declares {@code --paper}, {@code --layout} and {@code --seed}. */
    static Options declare(Options options) {
        return options
                .flag("paper", "the paper's lengths: 30 questions, M = 3400 prompt tokens, T = 4096 (default: small and fast)")
                .option("layout", "NAME", "model shape: preset (2 layers, 4/2 heads, 64 dims), llama3-8b "
                        + "(32 layers, 32/8 heads, 128 dims) or LAYERS,QHEADS,KVHEADS,HEADDIM", "preset")
                .option("seed", "N", "seed of every random choice", "42");
    }

    /** Whether the paper preset was chosen. */
    static boolean paper(Options.Parsed parsed) {
        return parsed.has("paper");
    }

    /** The configured workload. */
    static WorkloadConfig workload(Options.Parsed parsed) throws UsageException {
        WorkloadConfig config = paper(parsed) ? WorkloadConfig.paper() : WorkloadConfig.defaults();
        config = config.withSeed(parsed.getLong("seed", config.seed()));
        String layout = parsed.get("layout").toLowerCase(Locale.ROOT);
        return switch (layout) {
            case "preset" -> config;
            case "llama3-8b" -> config.withLayout(CacheLayout.of(32, 32, 8, 128));
            default -> config.withLayout(parseLayout(layout));
        };
    }

    private static CacheLayout parseLayout(String text) throws UsageException {
        String[] parts = text.split(",");
        if (parts.length != 4) {
            throw new UsageException("--layout must be preset, llama3-8b or LAYERS,QHEADS,KVHEADS,HEADDIM, was '" + text + "'");
        }
        int[] n = new int[4];
        for (int i = 0; i < 4; i++) {
            try {
                n[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--layout entry '" + parts[i] + "' is not an integer in '" + text + "'");
            }
        }
        try {
            return CacheLayout.of(n[0], n[1], n[2], n[3]);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--layout " + text + ": " + e.getMessage());
        }
    }
}
