package io.scopekv;

import static org.assertj.core.api.Assertions.assertThat;

import io.scopekv.policy.SpecForm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every built-in, with random parameters, written by describe() parses back to an equal policy:
 * the spec knowledge lives in one declaration per built-in, so the two directions cannot drift.
 */
class SpecRoundTripTest {

    /** Value ranges by parameter name, wide enough to cross every validation rule. */
    private static final Map<String, Arbitrary<Long>> RANGES = Map.ofEntries(
            Map.entry("P", Arbitraries.longs().between(1, 64)),
            Map.entry("w", Arbitraries.longs().between(0, 8)),
            Map.entry("sink", Arbitraries.longs().between(0, 8)),
            Map.entry("kernel", Arbitraries.longs().between(1, 9)),
            Map.entry("beta", Arbitraries.longs().between(1, 30)),
            Map.entry("seed", Arbitraries.longs()),
            Map.entry("W", Arbitraries.longs().between(1, 64)),
            Map.entry("R", Arbitraries.longs().between(0, 16)),
            Map.entry("T", Arbitraries.longs().between(1, 128)),
            Map.entry("k", Arbitraries.longs().between(1, 6)),
            Map.entry("prefill", Arbitraries.longs().between(0, 1)));

    @Provide
    Arbitrary<String> specs() {
        Arbitrary<String> prefill = component(PolicySpec.prefillForms());
        Arbitrary<String> decoding = component(PolicySpec.decodingForms());
        Arbitrary<String> scorer = Arbitraries.oneOf(Arbitraries.just(""), component(PolicySpec.scorerForms()).map(s -> ",scorer=" + s));
        Arbitrary<String> gqa = Arbitraries.of("", ",gqa=sum", ",gqa=max", ",gqa=replicate");
        return Combinators.combine(prefill, decoding, scorer, gqa)
                .as((p, d, s, g) -> "prefill=" + p + ",decoding=" + d + s + g)
                .filter(SpecRoundTripTest::valid);
    }

    @Property(tries = 400)
    void describeParsesBackToAnEqualPolicy(@ForAll("specs") String spec) {
        CachePolicy policy = PolicySpec.parse(spec);
        CachePolicy again = PolicySpec.parse(policy.describe());
        assertThat(again).isEqualTo(policy);
        assertThat(again.describe()).isEqualTo(policy.describe());
    }

    /** One component with a random subset of its parameters given (the rest take their defaults). */
    private static Arbitrary<String> component(List<? extends SpecForm<?>> forms) {
        return Arbitraries.of(forms).flatMap(form -> {
            List<Arbitrary<String>> parts = new ArrayList<>();
            for (String param : form.parameters()) {
                Arbitrary<String> given = RANGES.get(param).map(v -> param + "=" + v);
                parts.add(Arbitraries.oneOf(given, Arbitraries.just("")));
            }
            return Combinators.combine(parts).as(values -> {
                List<String> present = values.stream().filter(v -> !v.isEmpty()).toList();
                return present.isEmpty() ? form.name() : form.name() + "(" + String.join(",", present) + ")";
            });
        });
    }

    private static boolean valid(String spec) {
        try {
            PolicySpec.parse(spec);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
