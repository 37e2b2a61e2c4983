package io.scopekv;

import io.scopekv.policy.DecodingScorer;
import io.scopekv.policy.DecodingStrategy;
import io.scopekv.policy.GqaMode;
import io.scopekv.policy.PrefillCompressor;
import io.scopekv.policy.SpecForm;
import io.scopekv.policy.decoding.Adaptive;
import io.scopekv.policy.decoding.CumulativeAttention;
import io.scopekv.policy.decoding.CurrentAttention;
import io.scopekv.policy.decoding.Discontinuous;
import io.scopekv.policy.decoding.NoEviction;
import io.scopekv.policy.decoding.OldestFirst;
import io.scopekv.policy.decoding.RandomScore;
import io.scopekv.policy.decoding.Slide;
import io.scopekv.policy.decoding.UnifiedH2o;
import io.scopekv.policy.decoding.UnifiedStreamingLlm;
import io.scopekv.policy.decoding.WindowAttention;
import io.scopekv.policy.prefill.FullPrefill;
import io.scopekv.policy.prefill.H2oPrefill;
import io.scopekv.policy.prefill.KeyNormPrefill;
import io.scopekv.policy.prefill.PyramidKvPrefill;
import io.scopekv.policy.prefill.RandomPrefill;
import io.scopekv.policy.prefill.SnapKvPrefill;
import io.scopekv.policy.prefill.StreamingLlmPrefill;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Parses policy spec strings such as
 * {@code prefill=snapkv(P=2048,w=8),decoding=discontinuous(W=512,R=256,T=4096)}.
 *
 * <p>Grammar: comma-separated {@code key=value} pairs with keys {@code prefill},
 * {@code decoding}, {@code scorer} and {@code gqa}; each value is {@code name} or
 * {@code name(param=int,...)}. Omitted keys default to {@code prefill=full},
 * {@code decoding=none}, the strategy's own scorer and {@code gqa=sum}. Each built-in declares its
 * name, parameters and factory once, in its {@code SPEC} ({@link SpecForm}); the lists below only
 * name them.
 */
public final class PolicySpec {

    private static final Map<String, SpecForm<? extends PrefillCompressor>> PREFILL = table(
            FullPrefill.SPEC, StreamingLlmPrefill.SPEC, H2oPrefill.SPEC, SnapKvPrefill.SPEC, PyramidKvPrefill.SPEC,
            KeyNormPrefill.SPEC, RandomPrefill.SPEC);
    private static final Map<String, SpecForm<? extends DecodingStrategy>> DECODING = table(
            NoEviction.SPEC, Slide.SPEC, Adaptive.SPEC, Discontinuous.SPEC, UnifiedH2o.SPEC, UnifiedStreamingLlm.SPEC);
    private static final Map<String, SpecForm<? extends DecodingScorer>> SCORERS = table(
            CurrentAttention.SPEC, CumulativeAttention.SPEC, WindowAttention.SPEC, OldestFirst.SPEC, RandomScore.SPEC);

    private PolicySpec() {
    }

    @SafeVarargs
    private static <T> Map<String, SpecForm<? extends T>> table(SpecForm<? extends T>... forms) {
        Map<String, SpecForm<? extends T>> table = new LinkedHashMap<>();
        for (SpecForm<? extends T> form : forms) {
            if (table.put(form.name(), form) != null) {
                throw new IllegalStateException("spec name " + form.name() + " declared twice");
            }
        }
        return Collections.unmodifiableMap(table);
    }

    /** The built-in prefill compressors' spec forms, in registration order. */
    public static List<SpecForm<? extends PrefillCompressor>> prefillForms() {
        return List.copyOf(PREFILL.values());
    }

    /** The built-in decoding strategies' spec forms, in registration order. */
    public static List<SpecForm<? extends DecodingStrategy>> decodingForms() {
        return List.copyOf(DECODING.values());
    }

    /** The built-in decoding scorers' spec forms, in registration order. */
    public static List<SpecForm<? extends DecodingScorer>> scorerForms() {
        return List.copyOf(SCORERS.values());
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

    private static <T> T build(String kind, Map<String, SpecForm<? extends T>> table, String value) {
        int open = value.indexOf('(');
        String name = (open < 0 ? value : value.substring(0, open)).trim().toLowerCase(Locale.ROOT);
        SpecForm<? extends T> form = table.get(name);
        if (form == null) {
            throw new IllegalArgumentException("unknown " + kind + " '" + name + "'; known: " + String.join(", ", table.keySet()));
        }
        if (open < 0) {
            return form.parse("");
        }
        if (!value.endsWith(")")) {
            throw new IllegalArgumentException(name + ": parameters must end with ')', was '" + value + "'");
        }
        return form.parse(value.substring(open + 1, value.length() - 1));
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
}
