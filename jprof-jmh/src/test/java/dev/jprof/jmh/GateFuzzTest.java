package dev.jprof.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fuzzes the gate's readers: whatever a results or baseline file holds, {@link Gate#run} returns 0, 1
 * or 2 and prints no stack trace; a file it cannot read makes it exit 2 naming that file.
 *
 * <p>In every build this runs in Jazzer's regression mode over the committed seeds in
 * {@code src/test/resources/dev/jprof/jmh/GateFuzzTestInputs/comparesOrRejects/} (JMH results,
 * baselines, and the malformed files of issue 10). To fuzz for real:
 *
 * <pre>
 * JAZZER_FUZZ=1 JAZZER_INSTRUMENTATION_INCLUDES='dev.jprof.**' \
 *   mvn -B test-compile surefire:test@fuzz-regression -pl jprof-core,jprof-jmh -Dtest=GateFuzzTest -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * <p>That fuzzes for the annotation's {@code maxDuration} (raise it for a longer run), keeps the
 * inputs it generates in {@code .cifuzz-corpus/} (ignored by git) and stops at the first crashing
 * input, which it reports: add that input next to the seeds with the fix, so that every build replays it.
 */
class GateFuzzTest {

    private static final String VALID_RESULTS =
            "[{\"benchmark\": \"a.B.c\", \"mode\": \"thrpt\", \"primaryMetric\": {\"score\": 1.5,"
                    + " \"scoreUnit\": \"ops/ms\", \"rawData\": [[1.4, 1.6]]}, \"secondaryMetrics\": {\"jprof.alloc.norm\": {\"score\": 16}}}]";

    @FuzzTest(maxDuration = "30s")
    void comparesOrRejects(byte[] data) throws IOException {
        Path dir = Files.createTempDirectory("jprof-gate-fuzz");
        try {
            Path fuzzed = Files.write(dir.resolve("fuzzed.json"), data);
            Path valid = Files.writeString(dir.resolve("valid.json"), VALID_RESULTS);
            check(List.of(fuzzed.toString(), valid.toString()), fuzzed);
            check(List.of(valid.toString(), fuzzed.toString(), "--metrics", "alloc"), fuzzed);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    private static void check(List<String> args, Path fuzzed) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = Gate.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).as(output).isBetween(0, 2);
        assertThat(output).doesNotContain("\tat ");
        if (output.contains("Cannot read")) {
            assertThat(status).as(output).isEqualTo(2);
            assertThat(output).contains("Cannot read [" + fuzzed + "]");
        }
    }
}
