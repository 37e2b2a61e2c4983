package io.scopekv.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {

    private final Options options = new Options("cmd", "Does things.")
            .option("out", "DIR", "output directory", "results")
            .option("seed", "N", "seed", "42")
            .option("rate", "X", "rate", "0.5")
            .flag("fast", "go fast")
            .repeatable("policy", "SPEC", "cache policy");

    @Test
    void repeatableKeepsEveryValueInOrder() throws UsageException {
        Options.Parsed parsed = options.parse(new String[] {"--policy", "b", "--out", "o", "--policy=a", "--policy", "c"});
        assertThat(parsed.getAll("policy")).containsExactly("b", "a", "c");
        assertThat(parsed.has("policy")).isTrue();
        assertThat(parsed.get("out")).isEqualTo("o");
    }

    @Test
    void absentRepeatableIsEmpty() throws UsageException {
        Options.Parsed parsed = options.parse(new String[] {"--fast"});
        assertThat(parsed.getAll("policy")).isEmpty();
        assertThat(parsed.has("policy")).isFalse();
        assertThat(parsed.get("out")).isEqualTo("results");
    }

    @Test
    void onlyRepeatableOptionsMayBeGivenTwice() {
        assertThatThrownBy(() -> options.parse(new String[] {"--out", "a", "--out", "b"}))
                .isInstanceOf(UsageException.class).hasMessage("--out given twice");
        assertThatThrownBy(() -> options.parse(new String[] {"--fast", "--fast"}))
                .isInstanceOf(UsageException.class).hasMessage("--fast given twice");
        assertThatThrownBy(() -> options.parse(new String[] {"--policy"}))
                .isInstanceOf(UsageException.class).hasMessage("--policy needs a value SPEC");
    }

    @Test
    void readingARepeatableAsOneValueIsABug() throws UsageException {
        Options.Parsed parsed = options.parse(new String[] {"--policy", "a", "--policy", "b"});
        assertThatThrownBy(() -> parsed.get("policy")).isInstanceOf(IllegalStateException.class).hasMessageContaining("getAll");
        assertThatThrownBy(() -> parsed.getAll("out")).isInstanceOf(IllegalStateException.class).hasMessageContaining("get");
        assertThatThrownBy(() -> parsed.getAll("bogus")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("never declared");
    }

    @Test
    void helpMarksRepeatableOptions() {
        assertThat(options.help()).startsWith("usage: scope-bench cmd [options]\n\nDoes things.\n")
                .contains("--policy SPEC", "cache policy (repeatable)", "output directory (default: results)");
    }

    @Test
    void longsAndNumbers() throws UsageException {
        Options.Parsed parsed = options.parse(new String[] {"--seed", "12345678901", "--rate=2.5e-3"});
        assertThat(parsed.getLong("seed", 0)).isEqualTo(12345678901L);
        assertThat(parsed.getFloat("rate", 0)).isEqualTo(2.5e-3f);
        Options.Parsed defaults = options.parse(new String[0]);
        assertThat(defaults.getLong("seed", 0)).isEqualTo(42);
        assertThat(defaults.getFloat("rate", 0)).isEqualTo(0.5f);
        Options.Parsed bad = options.parse(new String[] {"--seed", "x", "--rate", "fast"});
        assertThatThrownBy(() -> bad.getLong("seed", 0)).isInstanceOf(UsageException.class)
                .hasMessage("--seed must be an integer, was 'x'");
        assertThatThrownBy(() -> bad.getFloat("rate", 0)).isInstanceOf(UsageException.class)
                .hasMessage("--rate must be a finite number, was 'fast'");
        assertThat(bad.getList("out", List.of())).containsExactly("results");
    }
}
