package io.scopekv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SpecNumbersTest {

    @Test
    void specNumbersAreAsciiDigitsOnly() {
        // full-width digits, Arabic-Indic digits: Long.parseLong would read both as 32
        for (String number : new String[] {"\uFF13\uFF12", "\u0663\u0662", "3\uFF12", "32.0", "0x20", ""}) {
            assertThatThrownBy(() -> PolicySpec.parse("decoding=slide(W=" + number + ",R=16)"))
                    .as(number).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("parameter W must be an integer, was '" + number + "' (digits 0-9 only)");
        }
        assertThat(PolicySpec.parse("decoding=slide(W=32,R=+16)").describe()).contains("slide(W=32,R=16)");
    }
}
