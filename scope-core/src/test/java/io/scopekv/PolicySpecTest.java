package io.scopekv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scopekv.policy.GqaMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class PolicySpecTest {

    static java.util.List<String> policies() {
        return Policies.all();
    }

    @ParameterizedTest
    @MethodSource("policies")
    void describeRoundTrips(String spec) {
        CachePolicy policy = PolicySpec.parse(spec);
        assertThat(PolicySpec.parse(policy.describe())).isEqualTo(policy);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "prefill=snapkv(P=2048,w=8),decoding=slide(W=256,R=256) | W must exceed the recent window R (W > R), was W=256, R=256",
        "prefill=snapkv(P=4,w=8) | P must be at least the window w and positive (P >= w), was P=4, w=8",
        "decoding=adaptive(W=512,R=256,T=300) | T must be at least the decoding budget W (T >= W), was T=300, W=512",
        "prefill=snapkv2(P=8) | unknown prefill compressor 'snapkv2'; known: full, streamingllm, h2o, snapkv, pyramidkv, keynorm, random",
        "decoding=slide(W=512,Q=3) | slide: unknown parameter 'Q'",
        "decoding=adaptive(W=512) | adaptive: missing required parameter T",
        "decoding=slide(W=x) | slide: parameter W must be an integer, was 'x'",
        "prefill=full,prefill=full | key 'prefill' given twice",
        "gqa=avg | unknown gqa mode 'avg'",
        "window=3 | unknown policy spec key 'window'",
        "decoding=slide(W=512 | unbalanced '('",
        "scorer=window | window: missing required parameter k",
        "scorer=cumulative(prefill=2) | cumulative: parameter prefill must be 0 or 1, was 2",
    })
    void rejectsWithTheRule(String spec, String message) {
        assertThatThrownBy(() -> PolicySpec.parse(spec)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "prefill=snapkv(P=2048,w=8),decoding=discontinuous(W=512,R=256,T=4096) | prefill=snapkv(P=2048,w=8,kernel=7),decoding=discontinuous(W=512,R=256,T=4096),scorer=attn",
        "decoding=slide(W=1024),gqa=max | prefill=full,decoding=slide(W=1024,R=256),scorer=attn,gqa=max",
        "decoding=streamingllm(W=512,R=64) | prefill=full,decoding=streamingllm(W=512,R=64),scorer=oldest",
        "prefill=streamingllm(P=2048,sink=1024) | prefill=streamingllm(P=2048,sink=1024),decoding=none",
        "decoding=h2o(W=512),scorer=cumulative(prefill=0) | prefill=full,decoding=h2o(W=512,R=256),scorer=cumulative",
        "decoding=h2o(W=512),scorer=cumulative(prefill=1) | prefill=full,decoding=h2o(W=512,R=256),scorer=cumulative(prefill=1)",
    })
    void canonicalForm(String spec, String canonical) {
        assertThat(PolicySpec.parse(spec).describe()).isEqualTo(canonical);
    }

    @ParameterizedTest
    @CsvSource({"sum, SUM", "MAX, MAX", "replicate, REPLICATE"})
    void gqaModes(String text, GqaMode mode) {
        assertThat(PolicySpec.parse("gqa=" + text).gqa()).isEqualTo(mode);
    }
}
