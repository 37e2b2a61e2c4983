package io.scopekv.bench.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonRoundTripTest {

    @Test
    void parsesAndWritesWhatTheDataFilesHold() {
        Object parsed = Json.parse(" {\"prompt\": \"a\\n\\\"b\\\" \\u00e9\\ud83d\\ude00\", \"answers\": [\"A\", \"B\"], \"n\": -1.5e2,"
                + " \"ok\": true, \"none\": null, \"empty\": {}} ");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("prompt", "a\n\"b\" é😀");
        expected.put("answers", List.of("A", "B"));
        expected.put("n", -150.0);
        expected.put("ok", true);
        expected.put("none", null);
        expected.put("empty", Map.of());
        assertThat(parsed).isEqualTo(expected);
        assertThat(Json.parse(Json.write(expected))).isEqualTo(expected);
        assertThat(Json.write(Map.of("t", "tab\there\u0001"))).isEqualTo("{\"t\":\"tab\\there\\u0001\"}");
        assertThatThrownBy(() -> Json.parse("{\"a\": 1,}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at offset 8");
        assertThatThrownBy(() -> Json.parse("[1] x")).hasMessageContaining("trailing");
    }
}
