package dev.jprof.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonStringsTest {

    @Test
    void escapesWhatJsonRequiresAndWhatCouldEndAScriptBlock() {
        assertThat(JsonStrings.quote("a\"b\\c\nd\te\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001\"");
        assertThat(JsonStrings.quote("</script><!--&\u2028"))
                .isEqualTo("\"\\u003c/script\\u003e\\u003c!--\\u0026\\u2028\"");
        assertThat(JsonStrings.quote("Ünïcödé 日本 $$Lambda")).isEqualTo("\"Ünïcödé 日本 $$Lambda\"");
    }

    @Test
    void asciiEscapesEveryCharacterAboveTilde() {
        StringBuilder b = new StringBuilder();
        assertThat(JsonStrings.quoteAscii(b, "Ünï 日本 \u007f~<a>").toString())
                .isEqualTo("\"\\u00dcn\\u00ef \\u65e5\\u672c \\u007f~\\u003ca\\u003e\"");
    }
}
