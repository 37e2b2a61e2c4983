package io.scopekv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BuilderTest {
    private static final CacheLayout LAYOUT = CacheLayout.of(1, 4, 2, 4);

    @Test
    void rejectsPoliciesNeedingWhatTheEngineCannotSupply() {
        assertThatThrownBy(() -> KvCache.builder(LAYOUT).policy("prefill=snapkv(P=8,w=2),decoding=slide(W=8,R=2)")
                .engineSupplies().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs [ATTENTION_PROBABILITIES, PROMPT_QUERY_WINDOW] from the engine, which supplies only []");
        assertThatThrownBy(() -> KvCache.builder(LAYOUT).policy("prefill=h2o(P=8,w=2)")
                .engineSupplies(EngineInput.PROMPT_QUERY_WINDOW).build())
                .hasMessageContaining("needs [ALL_PROMPT_QUERIES]");
    }

    @Test
    void fusedAttentionEnginesCanUseAttentionFreePolicies() {
        try (KvCache cache = KvCache.builder(LAYOUT)
                .policy("prefill=keynorm(P=8,w=2),decoding=slide(W=8,R=2),scorer=oldest").engineSupplies().build()) {
            Sequence seq = new Sequence(LAYOUT, 1);
            seq.prefill(cache, 12);
            for (int p = 12; p < 30; p++) {
                cache.append(0, seq.key(0, p), seq.value(0, p), p);
                cache.advance(0);
            }
            assertThat(cache.size(0, 0)).isEqualTo(8 + 8);
        }
    }

    @Test
    void layoutRules() {
        assertThatThrownBy(() -> CacheLayout.of(1, 6, 4, 8)).hasMessageContaining("queryHeads (6) must be a multiple of kvHeads (4)");
        assertThatThrownBy(() -> CacheLayout.of(0, 4, 4, 8)).hasMessageContaining("layers must be positive, was 0");
        assertThat(CacheLayout.of(32, 32, 8, 128).bytesPerTokenPerLayer()).isEqualTo(8 * 128 * 2 * 4);
    }

    @Test
    void attentionScaleMustBePositive() {
        assertThatThrownBy(() -> KvCache.builder(LAYOUT).attentionScale(Float.NaN)).hasMessageContaining("attention scale");
    }
}
