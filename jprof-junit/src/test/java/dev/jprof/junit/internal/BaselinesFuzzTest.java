package dev.jprof.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Fuzzes {@link Baselines#load}: whatever the file holds, it loads or fails with an
 * {@link ExtensionConfigurationException} naming the file and the line; never another exception.
 *
 * <p>In every build this runs in Jazzer's regression mode over the committed seeds in
 * {@code src/test/resources/dev/jprof/junit/internal/BaselinesFuzzTestInputs/loadsOrRejects/}. To fuzz
 * for real:
 *
 * <pre>
 * JAZZER_FUZZ=1 JAZZER_INSTRUMENTATION_INCLUDES='dev.jprof.**' \
 *   mvn -B test-compile surefire:test@fuzz-regression -pl jprof-core,jprof-junit -Dtest=BaselinesFuzzTest -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * <p>That fuzzes for the annotation's {@code maxDuration} (raise it for a longer run), keeps the
 * inputs it generates in {@code .cifuzz-corpus/} (ignored by git) and stops at the first crashing
 * input, which it reports: add that input next to the seeds with the fix, so that every build replays it.
 */
class BaselinesFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void loadsOrRejects(byte[] data) throws IOException {
        Path file = Files.createTempFile("jprof-baseline", ".txt");
        try {
            Files.write(file, data);
            Baselines baselines;
            try {
                baselines = Baselines.load(file);
            } catch (ExtensionConfigurationException e) {
                assertThat(e.getMessage()).contains("of the baseline file [" + file + "]");
                return;
            } catch (java.io.UncheckedIOException e) {
                assertThat(e.getMessage()).isEqualTo("Cannot read the baseline file [" + file + "]"); // not UTF-8
                return;
            }
            assertThat(baselines.file()).isEqualTo(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
