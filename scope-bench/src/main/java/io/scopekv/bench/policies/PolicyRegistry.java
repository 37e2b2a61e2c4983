package io.scopekv.bench.policies;

import io.scopekv.CachePolicy;
import io.scopekv.policy.PrefillCompressor;
import io.scopekv.policy.decoding.Adaptive;
import io.scopekv.policy.decoding.Discontinuous;
import io.scopekv.policy.decoding.NoEviction;
import io.scopekv.policy.decoding.RandomScore;
import io.scopekv.policy.decoding.Slide;
import io.scopekv.policy.decoding.UnifiedH2o;
import io.scopekv.policy.decoding.UnifiedStreamingLlm;
import io.scopekv.policy.prefill.FullPrefill;
import io.scopekv.policy.prefill.H2oPrefill;
import io.scopekv.policy.prefill.PyramidKvPrefill;
import io.scopekv.policy.prefill.RandomPrefill;
import io.scopekv.policy.prefill.SnapKvPrefill;
import io.scopekv.policy.prefill.StreamingLlmPrefill;
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
 * Named policies, each a function of the sweep's {@link Budget} built from the policy objects
 * (whose canonical spec strings the reports show). Adding a policy is one {@code register} line. Unified baselines get the same total budget P + W as SCOPE, so rows at
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
     * @param usesWindow    whether the policy depends on W (otherwise one run covers every budget)
     * @param policy        the policy at a budget
     */
    public record Entry(String name, String title, boolean usesWindow, Function<Budget, CachePolicy> policy) {
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
     * @param policy the policy it runs
     */
    public record Variant(String label, Entry entry, Budget budget, CachePolicy policy) {

        /** The policy's canonical spec string. */
        public String spec() {
            return policy.describe();
        }
    }

    /** Always run: the upper (no eviction) and lower (random eviction) bounds. */
    public static final List<String> BOUNDS = List.of("full", "random");

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        register("full", "Full", false, b -> CachePolicy.full());
        register("random", "Random", true, b -> CachePolicy.of(new RandomPrefill(b.prefill(), 8, b.seed()),
                new Slide(b.window(), b.recent(), new RandomScore(b.seed()))));
        register("slide", "SCOPE Slide", true, b -> CachePolicy.of(h2oPrefill(b), new Slide(b.window(), b.recent())));
        register("adaptive", "SCOPE Adaptive", true, b -> CachePolicy.of(h2oPrefill(b),
                new Adaptive(b.window(), b.recent(), b.maxNewTokens())));
        register("discontinuous", "SCOPE Discontinuous", true, b -> CachePolicy.of(h2oPrefill(b),
                new Discontinuous(b.window(), b.recent(), b.maxNewTokens())));
        register("h2o", "H2O (unified)", true, b -> CachePolicy.of(h2oPrefill(b), new UnifiedH2o(b.window(), b.recent())));
        register("streamingllm", "StreamingLLM (unified)", true, b -> CachePolicy.of(new StreamingLlmPrefill(b.prefill(), 4),
                new UnifiedStreamingLlm(b.window(), b.recent())));
        register("snapkv", "SnapKV (prefill only)", false, b -> CachePolicy.of(snapKv(b), new NoEviction()));
        register("pyramidkv", "PyramidKV (prefill only)", false, b -> CachePolicy.of(new PyramidKvPrefill(b.prefill(), 8, 20, 7),
                new NoEviction()));
        register("snapkv+slide", "SnapKV + Slide", true, b -> CachePolicy.of(snapKv(b), new Slide(b.window(), b.recent())));
        register("full+slide", "Full prefill + Slide", true, b -> CachePolicy.of(new FullPrefill(),
                new Slide(b.window(), b.recent())));
    }

    private PolicyRegistry() {
    }

    private static PrefillCompressor h2oPrefill(Budget b) {
        return new H2oPrefill(b.prefill(), 8);
    }

    private static PrefillCompressor snapKv(Budget b) {
        return new SnapKvPrefill(b.prefill(), 8, 7);
    }

    private static void register(String name, String title, boolean usesWindow, Function<Budget, CachePolicy> policy) {
        if (ENTRIES.putIfAbsent(name, new Entry(name, title, usesWindow, policy)) != null) {
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
                variants.add(new Variant(entry.title(), entry, b, build(entry, entry.title(), b)));
                continue;
            }
            for (Budget b : budgets) {
                String label = entry.title() + " W=" + b.window();
                variants.add(new Variant(label, entry, b, build(entry, label, b)));
            }
        }
        return variants;
    }

    private static CachePolicy build(Entry entry, String label, Budget budget) {
        try {
            return entry.policy().apply(budget);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(label + " at " + budget + ": " + e.getMessage(), e);
        }
    }
}
