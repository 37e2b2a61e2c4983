package io.scopekv.bench.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writesAndReadsNestedValues() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("step", 3);
        map.put("kept", List.of(new int[] {0, 2}, new int[] {1}));
        map.put("error", 0.25);
        map.put("name", "a \"quoted\"\nline");
        map.put("missing", Double.NaN);
        map.put("ok", true);
        String compact = Json.write(map);
        assertThat(compact).isEqualTo("{\"step\":3,\"kept\":[[0,2],[1]],\"error\":0.25,"
                + "\"name\":\"a \\\"quoted\\\"\\nline\",\"missing\":null,\"ok\":true}");
        Map<String, Object> back = Json.parseObject(Json.pretty(map));
        assertThat(back).containsEntry("step", 3L).containsEntry("error", 0.25).containsEntry("name", "a \"quoted\"\nline")
                .containsEntry("missing", null).containsEntry("ok", true);
        assertThat(back.get("kept")).isEqualTo(List.of(List.of(0L, 2L), List.of(1L)));
    }

    @Test
    void reportsSyntaxErrorsWithOffset() {
        assertThatThrownBy(() -> Json.parse("{\"a\": 1,}")).hasMessageContaining("offset 8");
        assertThatThrownBy(() -> Json.parse("[1 2]")).hasMessageContaining("expected ']'");
        assertThatThrownBy(() -> Json.parseObject("[1]")).hasMessageContaining("expected a JSON object");
    }
}
