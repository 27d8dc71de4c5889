package dev.jprof.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void readsWhatItWrites() {
        Map<String, Object> value = Map.of("a", List.of(1L, 2.5, "x\u00e9\n", true), "b", Map.of());
        assertThat(Json.parse(Json.write(value))).isEqualTo(value);
    }

    @Test
    void indentedPutsEachEntryOnALineOfItsOwnAndReadsBackTheSame() {
        Map<String, Object> value = new java.util.LinkedHashMap<>();
        value.put("a", List.of(1L, 2.5));
        value.put("b", Map.of());
        value.put("c", List.of());
        value.put("d", Map.of("e", "x"));

        String text = Json.write(value, true);

        assertThat(text)
                .isEqualTo(
                        "{\n  \"a\": [\n    1,\n    2.5\n  ],\n  \"b\": {},\n  \"c\": [],\n  \"d\": {\n    \"e\": \"x\"\n  }\n}");
        assertThat(Json.write(value)).isEqualTo("{\"a\": [1, 2.5], \"b\": {}, \"c\": [], \"d\": {\"e\": \"x\"}}");
        assertThat(Json.parse(text)).isEqualTo(value);
    }

    @Test
    void readsUnicodeEscapesAndIntegersBeyondLong() {
        assertThat(Json.parse("\"\\u00e9\\u00E9\\ud83d\\ude00\"")).isEqualTo("éé\uD83D\uDE00");
        assertThat(Json.parse("99999999999999999999")).isEqualTo(1e20);
        assertThat(Json.parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        String deep = "[".repeat(100_000);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Json.parse(deep))
                .withMessage("Malformed JSON at line 1, column " + (Json.MAX_DEPTH + 1)
                        + ": arrays and objects nested more than " + Json.MAX_DEPTH + " deep");
        String objects = "{\"a\":".repeat(Json.MAX_DEPTH + 1);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Json.parse(objects))
                .withMessageContaining("nested more than " + Json.MAX_DEPTH);
    }

    @Test
    void nestingUpToTheLimitIsRead() {
        String atLimit = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertThat(Json.parse(atLimit)).isInstanceOf(List.class);
        // the depth is released on the way out: siblings at the limit are fine too
        String inner = "[".repeat(Json.MAX_DEPTH - 1) + "]".repeat(Json.MAX_DEPTH - 1);
        assertThat(Json.parse("[" + inner + ", " + inner + "]")).asList().hasSize(2);
    }

    @Test
    void truncatedEscapesAreErrorsWithAPosition() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Json.parse("\"\\"))
                .withMessage("Malformed JSON at line 1, column 3: unterminated string");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Json.parse("{\"\\u"))
                .withMessage("Malformed JSON at line 1, column 5: bad escape: \\u needs four hex digits");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Json.parse("\"\\u12\""))
                .withMessage("Malformed JSON at line 1, column 6: bad escape: \\u needs four hex digits");
    }

    @Test
    void unicodeEscapesTakeFourHexDigitsAndNothingElse() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Json.parse("\"\\u+123\""))
                .withMessage("Malformed JSON at line 1, column 4: bad escape: \\u needs four hex digits");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Json.parse("\"\\u-123\""))
                .withMessageContaining("four hex digits");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Json.parse("\"\\u\uff10\uff10\uff10\uff10\""))
                .as("fullwidth digits are not hex digits")
                .withMessageContaining("four hex digits");
    }

    @Test
    void errorsNameLineAndColumn() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Json.parse("{\n  \"a\": tru\n}"))
                .withMessage("Malformed JSON at line 2, column 8: expected true");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Json.parse("[1,]"))
                .withMessage("Malformed JSON at line 1, column 4: unexpected character ']'");
    }
}
