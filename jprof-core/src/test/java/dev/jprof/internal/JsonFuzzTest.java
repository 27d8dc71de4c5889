package dev.jprof.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@link Json#parse}: whatever the text, it returns a value or throws an
 * {@link IllegalArgumentException} naming line and column; never another exception (no
 * {@link StackOverflowError}, no {@link StringIndexOutOfBoundsException}). What it reads, it writes
 * in a form that reads back to the same text. The input is the UTF-8 text of each seed file.
 *
 * <p>In every build this runs in Jazzer's regression mode over the committed seeds in
 * {@code src/test/resources/dev/jprof/internal/JsonFuzzTestInputs/parsesOrRejects/}. To fuzz for real:
 *
 * <pre>
 * JAZZER_FUZZ=1 JAZZER_INSTRUMENTATION_INCLUDES='dev.jprof.**' \
 *   mvn -B test-compile surefire:test@fuzz-regression -pl jprof-core -Dtest=JsonFuzzTest
 * </pre>
 *
 * <p>That fuzzes for the annotation's {@code maxDuration} (raise it for a longer run), keeps the
 * inputs it generates in {@code .cifuzz-corpus/} (ignored by git) and stops at the first crashing
 * input, which it reports: add that input next to the seeds with the fix, so that every build replays it.
 */
class JsonFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parsesOrRejects(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        Object value;
        try {
            value = Json.parse(text);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).matches("(?s)Malformed JSON at line \\d+, column \\d+: .+");
            return;
        }
        // written, read and written again: the same text (integral doubles come back as longs, so the
        // values may differ in type, but not in what they say)
        String written = Json.write(value);
        assertThat(Json.write(Json.parse(written))).isEqualTo(written);
    }
}
