package io.scopekv.bench.policies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scopekv.CachePolicy;
import io.scopekv.PolicySpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyRegistryTest {
    private static final Budget B512 = new Budget(2048, 512, 256, 4096, 1);
    private static final Budget B1024 = new Budget(2048, 1024, 256, 4096, 1);

    @Test
    void holdsEveryPolicyTheSweepCompares() {
        assertThat(PolicyRegistry.names()).contains("full", "random", "slide", "adaptive", "discontinuous", "h2o",
                "streamingllm", "snapkv", "pyramidkv", "snapkv+slide");
    }

    @Test
    void everyVariantParsesAtEveryBudget() {
        List<PolicyRegistry.Variant> variants = PolicyRegistry.variants(List.copyOf(PolicyRegistry.names()), List.of(B512, B1024));
        for (PolicyRegistry.Variant v : variants) {
            assertThat(PolicySpec.parse(v.spec())).as(v.label()).isEqualTo(v.policy());
        }
        assertThat(variants).extracting(PolicyRegistry.Variant::label).doesNotHaveDuplicates();
    }

    @Test
    void boundsAlwaysRunAndBudgetFreePoliciesRunOnce() {
        List<PolicyRegistry.Variant> variants = PolicyRegistry.variants(List.of("snapkv", "slide"), List.of(B512, B1024));
        assertThat(variants).extracting(PolicyRegistry.Variant::label).containsExactly("Full", "Random W=512",
                "Random W=1024", "SnapKV (prefill only)", "SCOPE Slide W=512", "SCOPE Slide W=1024");
    }

    @Test
    void scopeAndUnifiedBaselinesShareTheBudget() {
        CachePolicy slide = PolicyRegistry.get("slide").policy().apply(B512);
        CachePolicy h2o = PolicyRegistry.get("h2o").policy().apply(B512);
        CachePolicy streaming = PolicyRegistry.get("streamingllm").policy().apply(B512);
        assertThat(slide.describe()).contains("P=2048").contains("slide(W=512,R=256)");
        assertThat(h2o.describe()).contains("P=2048").contains("h2o(W=512,R=256)");
        assertThat(streaming.describe()).contains("P=2048").contains("streamingllm(W=512,R=256)");
        assertThat(PolicyRegistry.get("adaptive").policy().apply(B1024).describe())
                .contains("adaptive(W=1024,R=256,T=4096)");
    }

    @Test
    void rejectsUnknownNamesAndCollidingBudgets() {
        assertThatThrownBy(() -> PolicyRegistry.get("lru")).hasMessageContaining("unknown policy 'lru'").hasMessageContaining("slide");
        assertThatThrownBy(() -> PolicyRegistry.variants(List.of(), List.of(B512, new Budget(1024, 512, 256, 4096, 1))))
                .hasMessageContaining("distinct");
        assertThatThrownBy(() -> new Budget(2048, 256, 256, 4096, 1)).hasMessageContaining("W > R");
    }
}
