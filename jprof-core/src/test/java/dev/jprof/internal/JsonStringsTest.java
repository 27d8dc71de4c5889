package dev.jprof.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonStringsTest {

    @Test
    void escapesWhatJsonRequiresAndWhatCouldEndAScriptBlock() {
        assertThat(JsonStrings.quote("a\"b\\c\nd\te\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001\"");
        assertThat(JsonStrings.quote("</script><!--&\u2028")).isEqualTo("\"\\u003c/script\\u003e\\u003c!--\\u0026\\u2028\"");
        assertThat(JsonStrings.quote("Ünïcödé 日本 $$Lambda")).isEqualTo("\"Ünïcödé 日本 $$Lambda\"");
    }
}
