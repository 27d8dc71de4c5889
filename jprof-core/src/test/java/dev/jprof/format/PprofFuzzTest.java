package dev.jprof.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jprof.profile.Profile;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Fuzzes {@link Pprof#read}: whatever the bytes, reading returns a profile or throws a
 * {@link PprofFormatException} with a message; never another exception, never an
 * {@link OutOfMemoryError} or {@link StackOverflowError}.
 *
 * <p>In every build ({@code mvn verify}) this runs in Jazzer's regression mode: once per input in
 * the committed seed corpus {@code src/test/resources/dev/jprof/format/PprofFuzzTestInputs/readsOrRejects/}
 * (a valid plain and a gzipped profile, truncations, a gzip bomb's first member...). Any crash that
 * real fuzzing finds belongs there too, so that it stays fixed. To fuzz for real:
 *
 * <pre>
 * JAZZER_FUZZ=1 JAZZER_INSTRUMENTATION_INCLUDES='dev.jprof.**' \
 *   mvn -B test-compile surefire:test@fuzz-regression -pl jprof-core -Dtest=PprofFuzzTest
 * </pre>
 *
 * <p>That fuzzes for the annotation's {@code maxDuration} (raise it for a longer run), keeps the
 * inputs it generates in {@code .cifuzz-corpus/} (ignored by git) and stops at the first crashing
 * input, which it reports: add that input next to the seeds with the fix, so that every build replays it.
 */
class PprofFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void readsOrRejects(byte[] data) throws IOException {
        Profile p;
        try {
            p = Pprof.read(new ByteArrayInputStream(data));
        } catch (PprofFormatException e) {
            assertThat(e.getMessage()).startsWith("Cannot read pprof stream: ");
            return;
        }
        // what was read can be written and read back
        assertThat(Pprof.read(new ByteArrayInputStream(Pprof.toBytes(p))).samples())
                .hasSameSizeAs(p.samples());
    }
}
