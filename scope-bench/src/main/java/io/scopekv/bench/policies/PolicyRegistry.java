package io.scopekv.bench.policies;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Named policies, each a function of the sweep's {@link Budget}. Adding a policy is one
 * {@code register} line. Unified baselines get the same total budget P + W as SCOPE, so rows at
 * one budget hold the same number of tokens (prefill-only rows excepted: they keep every decoding
 * token). SCOPE rows compress the prompt with H2O's accumulated attention, the prefill the unified
 * H2O baseline uses too.
 */
public final class PolicyRegistry {

    /**
     * A registered policy.
     *
     * @param name          short key used on the command line, e.g. {@code slide}
     * @param title         display name, e.g. {@code SCOPE Slide}
     * @param usesWindow    whether the spec depends on W (otherwise one run covers every budget)
     * @param spec          the spec string for a budget
     */
    public record Entry(String name, String title, boolean usesWindow, Function<Budget, String> spec) {
        public Entry {
            if (name == null || !name.matches("[a-z0-9+-]+")) {
                throw new IllegalArgumentException("policy name must match [a-z0-9+-]+, was " + name);
            }
        }
    }

    /**
     * One concrete run of a sweep.
     *
     * @param label  display name including the budget when it matters
     * @param entry  the registered policy
     * @param budget the budget it runs at
     * @param spec   its spec string
     */
    public record Variant(String label, Entry entry, Budget budget, String spec) {
    }

    /** Always run: the upper (no eviction) and lower (random eviction) bounds. */
    public static final List<String> BOUNDS = List.of("full", "random");

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        register("full", "Full", false, b -> "prefill=full,decoding=none");
        register("random", "Random", true, b -> "prefill=random(P=" + b.prefill() + ",w=8,seed=" + b.seed()
                + "),decoding=slide(W=" + b.window() + ",R=" + b.recent() + "),scorer=random(seed=" + b.seed() + ")");
        register("slide", "SCOPE Slide", true, b -> h2oPrefill(b) + ",decoding=slide(W=" + b.window() + ",R=" + b.recent() + ")");
        register("adaptive", "SCOPE Adaptive", true, b -> h2oPrefill(b) + ",decoding=adaptive(W=" + b.window()
                + ",R=" + b.recent() + ",T=" + b.maxNewTokens() + ")");
        register("discontinuous", "SCOPE Discontinuous", true, b -> h2oPrefill(b) + ",decoding=discontinuous(W="
                + b.window() + ",R=" + b.recent() + ",T=" + b.maxNewTokens() + ")");
        register("h2o", "H2O (unified)", true, b -> h2oPrefill(b) + ",decoding=h2o(W=" + b.window() + ",R=" + b.recent() + ")");
        register("streamingllm", "StreamingLLM (unified)", true, b -> "prefill=streamingllm(P=" + b.prefill()
                + ",sink=4),decoding=streamingllm(W=" + b.window() + ",R=" + b.recent() + ")");
        register("snapkv", "SnapKV (prefill only)", false, b -> "prefill=snapkv(P=" + b.prefill() + ",w=8,kernel=7),decoding=none");
        register("pyramidkv", "PyramidKV (prefill only)", false, b -> "prefill=pyramidkv(P=" + b.prefill()
                + ",w=8,beta=20,kernel=7),decoding=none");
        register("snapkv+slide", "SnapKV + Slide", true, b -> "prefill=snapkv(P=" + b.prefill()
                + ",w=8,kernel=7),decoding=slide(W=" + b.window() + ",R=" + b.recent() + ")");
        register("full+slide", "Full prefill + Slide", true, b -> "prefill=full,decoding=slide(W=" + b.window()
                + ",R=" + b.recent() + ")");
    }

    private PolicyRegistry() {
    }

    private static String h2oPrefill(Budget b) {
        return "prefill=h2o(P=" + b.prefill() + ",w=8)";
    }

    private static void register(String name, String title, boolean usesWindow, Function<Budget, String> spec) {
        if (ENTRIES.putIfAbsent(name, new Entry(name, title, usesWindow, spec)) != null) {
            throw new IllegalStateException("policy " + name + " registered twice");
        }
    }

    /** Registered names in registration order. */
    public static Set<String> names() {
        return Collections.unmodifiableSet(ENTRIES.keySet());
    }

    /**
     * The entry for a name.
     *
     * @throws IllegalArgumentException listing the known names
     */
    public static Entry get(String name) {
        Entry entry = ENTRIES.get(name.toLowerCase(Locale.ROOT).trim());
        if (entry == null) {
            throw new IllegalArgumentException("unknown policy '" + name + "'; known: " + String.join(", ", ENTRIES.keySet()));
        }
        return entry;
    }

    /**
     * Every (policy, budget) run of a sweep: the bounds first, then the named policies in the
     * given order; a policy that ignores W runs once, at the first budget.
     *
     * @throws IllegalArgumentException if two budgets share a W (their labels would collide)
     */
    public static List<Variant> variants(List<String> names, List<Budget> budgets) {
        if (budgets.isEmpty()) {
            throw new IllegalArgumentException("a sweep needs at least one budget");
        }
        if (budgets.stream().map(Budget::window).distinct().count() != budgets.size()) {
            throw new IllegalArgumentException("sweep budgets must have distinct decoding budgets W, were " + budgets);
        }
        Set<String> ordered = new LinkedHashSet<>(BOUNDS);
        for (String name : names) {
            ordered.add(get(name).name());
        }
        List<Variant> variants = new ArrayList<>();
        for (String name : ordered) {
            Entry entry = ENTRIES.get(name);
            if (!entry.usesWindow()) {
                Budget b = budgets.get(0);
                variants.add(new Variant(entry.title(), entry, b, entry.spec().apply(b)));
                continue;
            }
            for (Budget b : budgets) {
                variants.add(new Variant(entry.title() + " W=" + b.window(), entry, b, entry.spec().apply(b)));
            }
        }
        return variants;
    }
}
