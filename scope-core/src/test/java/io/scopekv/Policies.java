package io.scopekv;

import static org.assertj.core.api.Assertions.assertThat;

import io.scopekv.policy.SpecForm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every registered policy with small test parameters. A name registered in {@link PolicySpec}
 * without an entry here fails the suite, so new policies join the contract tests automatically.
 */
final class Policies {
    static final int PROMPT = 24;
    static final int STEPS = 40;

    private static final Map<String, String> PREFILL = Map.of(
            "full", "full",
            "streamingllm", "streamingllm(P=12,sink=2)",
            "h2o", "h2o(P=12,w=4)",
            "snapkv", "snapkv(P=12,w=4,kernel=3)",
            "pyramidkv", "pyramidkv(P=12,w=4,beta=4)",
            "keynorm", "keynorm(P=12,w=4)",
            "random", "random(P=12,w=2,seed=7)");
    private static final Map<String, String> DECODING = Map.of(
            "none", "none",
            "slide", "slide(W=10,R=4)",
            "adaptive", "adaptive(W=10,R=4,T=40)",
            "discontinuous", "discontinuous(W=10,R=4,T=40)",
            "h2o", "h2o(W=10,R=4)",
            "streamingllm", "streamingllm(W=10,R=4)");
    private static final Map<String, String> SCORERS = Map.of(
            "attn", "attn",
            "cumulative", "cumulative",
            "window", "window(k=3)",
            "oldest", "oldest",
            "random", "random(seed=3)");

    private Policies() {
    }

    /** Every prefill x decoding pair, every scorer on Slide, and every GQA mode. */
    static List<String> all() {
        assertThat(PREFILL.keySet()).as("test parameters for every prefill compressor").isEqualTo(names(PolicySpec.prefillForms()));
        assertThat(DECODING.keySet()).as("test parameters for every decoding strategy").isEqualTo(names(PolicySpec.decodingForms()));
        assertThat(SCORERS.keySet()).as("test parameters for every scorer").isEqualTo(names(PolicySpec.scorerForms()));
        List<String> specs = new ArrayList<>();
        for (String prefill : PREFILL.values()) {
            for (String decoding : DECODING.values()) {
                specs.add("prefill=" + prefill + ",decoding=" + decoding);
            }
        }
        for (String scorer : SCORERS.values()) {
            specs.add("prefill=snapkv(P=12,w=4),decoding=slide(W=10,R=4),scorer=" + scorer);
            specs.add("prefill=full,decoding=discontinuous(W=10,R=4,T=40),scorer=" + scorer);
        }
        specs.add("prefill=full,decoding=h2o(W=10,R=4),scorer=cumulative(prefill=1)");
        specs.add("prefill=snapkv(P=12,w=4),decoding=h2o(W=10,R=4),scorer=cumulative(prefill=1),gqa=replicate");
        for (String gqa : List.of("max", "replicate")) {
            specs.add("prefill=snapkv(P=12,w=4),decoding=adaptive(W=10,R=4,T=40),gqa=" + gqa);
            specs.add("prefill=h2o(P=12,w=4),decoding=h2o(W=10,R=4),gqa=" + gqa);
        }
        return specs;
    }

    static Set<String> names(List<? extends SpecForm<?>> forms) {
        return forms.stream().map(SpecForm::name).collect(Collectors.toSet());
    }
}
