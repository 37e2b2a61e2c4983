package io.scopekv.policy;

import io.scopekv.policy.decoding.CumulativeAttention;
import io.scopekv.policy.decoding.CurrentAttention;
import io.scopekv.policy.decoding.Adaptive;
import io.scopekv.policy.decoding.Discontinuous;
import io.scopekv.policy.decoding.NoEviction;
import io.scopekv.policy.decoding.Slide;
import io.scopekv.policy.decoding.UnifiedH2o;
import io.scopekv.policy.decoding.UnifiedStreamingLlm;
import io.scopekv.policy.decoding.OldestFirst;
import io.scopekv.policy.decoding.RandomScore;
import io.scopekv.policy.decoding.WindowAttention;
import io.scopekv.policy.prefill.FullPrefill;
import io.scopekv.policy.prefill.H2oPrefill;
import io.scopekv.policy.prefill.KeyNormPrefill;
import io.scopekv.policy.prefill.PyramidKvPrefill;
import io.scopekv.policy.prefill.RandomPrefill;
import io.scopekv.policy.prefill.SnapKvPrefill;
import io.scopekv.policy.prefill.StreamingLlmPrefill;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Parses policy spec strings such as
 * {@code prefill=snapkv(P=2048,w=8),decoding=discontinuous(W=512,R=256,T=4096)}.
 *
 * <p>Grammar: comma-separated {@code key=value} pairs with keys {@code prefill},
 * {@code decoding}, {@code scorer} and {@code gqa}; each value is {@code name} or
 * {@code name(param=int,...)}. Omitted keys default to {@code prefill=full},
 * {@code decoding=none}, the strategy's own scorer and {@code gqa=sum}. Every built-in policy is one
 * line in the tables below.
 */
public final class PolicySpec {

    private static final Map<String, Function<Args, PrefillCompressor>> PREFILL = new LinkedHashMap<>();
    private static final Map<String, Function<Args, DecodingStrategy>> DECODING = new LinkedHashMap<>();
    private static final Map<String, Function<Args, DecodingScorer>> SCORERS = new LinkedHashMap<>();

    static {
        PREFILL.put("full", a -> new FullPrefill());
        PREFILL.put("streamingllm", a -> new StreamingLlmPrefill(a.required("P"), a.optional("sink", 4)));
        PREFILL.put("h2o", a -> new H2oPrefill(a.required("P"), a.optional("w", 8)));
        PREFILL.put("snapkv", a -> new SnapKvPrefill(a.required("P"), a.optional("w", 8), a.optional("kernel", 7)));
        PREFILL.put("pyramidkv", a -> new PyramidKvPrefill(a.required("P"), a.optional("w", 8),
                a.optional("beta", 20), a.optional("kernel", 7)));
        PREFILL.put("keynorm", a -> new KeyNormPrefill(a.required("P"), a.optional("w", 8)));
        PREFILL.put("random", a -> new RandomPrefill(a.required("P"), a.optional("w", 0), a.optional("seed", 0)));

        DECODING.put("none", a -> new NoEviction());
        DECODING.put("slide", a -> new Slide(a.required("W"), a.optional("R", 256)));
        DECODING.put("adaptive", a -> new Adaptive(a.required("W"), a.optional("R", 256), a.required("T")));
        DECODING.put("discontinuous", a -> new Discontinuous(a.required("W"), a.optional("R", 256), a.required("T")));
        DECODING.put("h2o", a -> new UnifiedH2o(a.required("W"), a.optional("R", 256)));
        DECODING.put("streamingllm", a -> new UnifiedStreamingLlm(a.required("W"), a.optional("R", 256)));

        SCORERS.put("attn", a -> new CurrentAttention());
        SCORERS.put("cumulative", a -> new CumulativeAttention(a.flag("prefill")));
        SCORERS.put("window", a -> new WindowAttention(a.required("k")));
        SCORERS.put("oldest", a -> new OldestFirst());
        SCORERS.put("random", a -> new RandomScore(a.optional("seed", 0)));
    }

    private PolicySpec() {
    }

    /** Names of the built-in prefill compressors. */
    public static Set<String> prefillNames() {
        return PREFILL.keySet();
    }

    /** Names of the built-in decoding strategies. */
    public static Set<String> decodingNames() {
        return DECODING.keySet();
    }

    /** Names of the built-in decoding scorers. */
    public static Set<String> scorerNames() {
        return SCORERS.keySet();
    }

    /**
     * Parses a spec string.
     *
     * @throws IllegalArgumentException naming the offending part and the rule it breaks
     */
    public static CachePolicy parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("policy spec must not be empty; e.g. prefill=full,decoding=slide(W=512,R=256)");
        }
        PrefillCompressor prefill = new FullPrefill();
        DecodingStrategy decoding = new NoEviction();
        DecodingScorer scorer = null;
        GqaMode gqa = GqaMode.SUM;
        Set<String> seen = new TreeSet<>();
        for (String part : splitTopLevel(spec.trim(), spec)) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("policy spec part '" + part + "' is not key=value in '" + spec + "'");
            }
            String key = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = part.substring(eq + 1).trim();
            if (!seen.add(key)) {
                throw new IllegalArgumentException("policy spec key '" + key + "' given twice in '" + spec + "'");
            }
            switch (key) {
                case "prefill" -> prefill = build("prefill compressor", PREFILL, value);
                case "decoding" -> decoding = build("decoding strategy", DECODING, value);
                case "scorer" -> scorer = build("decoding scorer", SCORERS, value);
                case "gqa" -> gqa = gqaMode(value);
                default -> throw new IllegalArgumentException("unknown policy spec key '" + key
                        + "'; known keys: prefill, decoding, scorer, gqa");
            }
        }
        if (scorer != null) {
            decoding = decoding.withScorer(scorer);
        }
        return new CachePolicy(prefill, decoding, gqa);
    }

    private static GqaMode gqaMode(String value) {
        for (GqaMode mode : GqaMode.values()) {
            if (mode.name().equalsIgnoreCase(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown gqa mode '" + value + "'; known: sum, max, replicate");
    }

    private static <T> T build(String kind, Map<String, Function<Args, T>> table, String value) {
        int open = value.indexOf('(');
        String name = (open < 0 ? value : value.substring(0, open)).trim().toLowerCase(Locale.ROOT);
        Function<Args, T> factory = table.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown " + kind + " '" + name + "'; known: " + String.join(", ", table.keySet()));
        }
        Args args = Args.parse(name, value, open);
        T built = factory.apply(args);
        args.requireAllUsed();
        return built;
    }

    private static List<String> splitTopLevel(String text, String spec) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth < 0) {
                    throw new IllegalArgumentException("unbalanced ')' at index " + i + " in policy spec '" + spec + "'");
                }
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i).trim());
                start = i + 1;
            }
        }
        if (depth != 0) {
            throw new IllegalArgumentException("unbalanced '(' in policy spec '" + spec + "'");
        }
        parts.add(text.substring(start).trim());
        return parts;
    }

    /** Integer parameters of one named component; tracks which were read to reject unknown ones. */
    private static final class Args {
        private final String owner;
        private final Map<String, Long> values = new LinkedHashMap<>();
        private final Set<String> used = new TreeSet<>();

        private Args(String owner) {
            this.owner = owner;
        }

        static Args parse(String owner, String value, int open) {
            Args args = new Args(owner);
            if (open < 0) {
                return args;
            }
            if (!value.endsWith(")")) {
                throw new IllegalArgumentException(owner + ": parameters must end with ')', was '" + value + "'");
            }
            String body = value.substring(open + 1, value.length() - 1).trim();
            if (body.isEmpty()) {
                return args;
            }
            for (String pair : body.split(",")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException(owner + ": parameter '" + pair.trim() + "' is not name=integer");
                }
                String name = pair.substring(0, eq).trim();
                String number = pair.substring(eq + 1).trim();
                try {
                    if (args.values.put(name, Long.parseLong(number)) != null) {
                        throw new IllegalArgumentException(owner + ": parameter '" + name + "' given twice");
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(owner + ": parameter " + name + " must be an integer, was '" + number + "'");
                }
            }
            return args;
        }

        int required(String name) {
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException(owner + ": missing required parameter " + name);
            }
            return optional(name, 0);
        }

        int optional(String name, int fallback) {
            used.add(name);
            Long value = values.get(name);
            if (value == null) {
                return fallback;
            }
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(owner + ": parameter " + name + " out of int range: " + value);
            }
            return value.intValue();
        }

        /** An optional 0/1 switch, 0 when absent. */
        boolean flag(String name) {
            int value = optional(name, 0);
            if (value != 0 && value != 1) {
                throw new IllegalArgumentException(owner + ": parameter " + name + " must be 0 or 1, was " + value);
            }
            return value == 1;
        }

        void requireAllUsed() {
            for (String name : values.keySet()) {
                if (!used.contains(name)) {
                    throw new IllegalArgumentException(owner + ": unknown parameter '" + name + "'; known: " + String.join(", ", used));
                }
            }
        }
    }
}
