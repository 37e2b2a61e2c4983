package io.scopekv.bench.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class JsonFormatTest {

    @Test
    void writesAndReadsNestedValues() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("step", 3);
        map.put("kept", List.of(new int[] {0, 2}, new int[] {1}));
        map.put("error", 0.25);
        map.put("name", "a \"quoted\"\nline");
        map.put("missing", Double.NaN);
        map.put("ok", true);
        String compact = JsonFormat.write(map);
        assertThat(compact).isEqualTo("{\"step\":3,\"kept\":[[0,2],[1]],\"error\":0.25,"
                + "\"name\":\"a \\\"quoted\\\"\\nline\",\"missing\":null,\"ok\":true}");
        Map<String, Object> back = JsonFormat.parseObject(JsonFormat.pretty(map));
        assertThat(back).containsEntry("step", 3).containsEntry("error", 0.25).containsEntry("name", "a \"quoted\"\nline")
                .containsEntry("missing", null).containsEntry("ok", true);
        assertThat(back.get("kept")).isEqualTo(List.of(List.of(0, 2), List.of(1)));
        assertThat(JsonFormat.parseObject("{\"n\": 12345678901}")).containsEntry("n", 12345678901L);
    }

    @Test
    void prettyIndentsObjectsAndKeepsArraysOfScalarsOnOneLine() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("policy", "slide");
        row.put("window", null);
        row.put("mass", 0.5f);
        row.put("kept", new long[] {1, 2});
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("windows", List.of(128, 256));
        map.put("empty", Map.of());
        map.put("none", List.of());
        map.put("rows", List.of(row));
        map.put("nested", List.of(List.of(1), List.of()));
        map.put("infinite", Float.NEGATIVE_INFINITY);
        assertThat(JsonFormat.pretty(map)).isEqualTo("""
                {
                  "windows": [128,256],
                  "empty": {},
                  "none": [],
                  "rows": [
                    {
                      "policy": "slide",
                      "window": null,
                      "mass": 0.5,
                      "kept": [1,2]
                    }
                  ],
                  "nested": [
                    [1],
                    []
                  ],
                  "infinite": null
                }
                """);
    }

    @Property(tries = 300)
    void everyFiniteDoubleReadsBackAsItself(@ForAll double value, @ForAll float single) {
        Object back = JsonFormat.parse(JsonFormat.write(List.of(value, single)));
        List<?> values = (List<?>) back;
        if (Double.isFinite(value)) {
            assertThat(values.get(0)).isEqualTo(value);
        } else {
            assertThat(values.get(0)).isNull();
        }
        if (Float.isFinite(single)) {
            assertThat(((Double) values.get(1)).floatValue()).isEqualTo(single);
        } else {
            assertThat(values.get(1)).isNull();
        }
    }

    @Test
    void parsesAndWritesWhatTheDataFilesHold() {
        Object parsed = JsonFormat.parse(" {\"prompt\": \"a\\n\\\"b\\\" \\u00e9\\ud83d\\ude00\", \"answers\": [\"A\", \"B\"], "
                + "\"n\": -1.5e2, \"ok\": true, \"none\": null, \"empty\": {}} ");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("prompt", "a\n\"b\" é😀");
        expected.put("answers", List.of("A", "B"));
        expected.put("n", -150.0);
        expected.put("ok", true);
        expected.put("none", null);
        expected.put("empty", Map.of());
        assertThat(parsed).isEqualTo(expected);
        assertThat(JsonFormat.parse(JsonFormat.write(expected))).isEqualTo(expected);
        assertThat(JsonFormat.write(Map.of("t", "tab\there\u0001"))).isEqualTo("{\"t\":\"tab\\there\\u0001\"}");
    }

    @Test
    void reportsSyntaxErrorsWithLineColumnAndWhatIsWrong() {
        assertThatThrownBy(() -> JsonFormat.parse("{\"a\": 1,}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("JSON syntax error at line 1, column 9: ")
                .hasMessageContaining("was expecting double-quote to start field name");
        assertThatThrownBy(() -> JsonFormat.parse("[1 2]")).hasMessageContaining("column 4")
                .hasMessageContaining("was expecting comma to separate Array entries");
        assertThatThrownBy(() -> JsonFormat.parse("{\"a\":\n tru}")).hasMessageContaining("line 2, column ")
                .hasMessageContaining("'tru'");
        assertThatThrownBy(() -> JsonFormat.parse("[1] x")).hasMessageContaining("trailing");
        assertThatThrownBy(() -> JsonFormat.parse("[1,2")).hasMessageContaining("end-of-input")
                .hasMessageNotContaining("Source").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> JsonFormat.parse("")).hasMessageContaining("end-of-input");
        assertThatThrownBy(() -> JsonFormat.parse("{\"a\": 1, \"a\": 2}")).hasMessageContaining("Duplicate key (key 'a')");
        assertThatThrownBy(() -> JsonFormat.parseObject("[1]")).hasMessage("expected a JSON object, found an array");
        assertThatThrownBy(() -> JsonFormat.parseObject("5")).hasMessage("expected a JSON object, found 5");
    }
}
