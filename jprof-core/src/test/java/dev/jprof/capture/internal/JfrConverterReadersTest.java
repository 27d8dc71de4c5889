package dev.jprof.capture.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.profile.ProfileKind;
import dev.jprof.testing.Recordings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * async-profiler's recordings are read with async-profiler's streaming reader; the JDK's
 * {@code jdk.jfr.consumer} reads them too. On the same recording both must give the same events.
 */
class JfrConverterReadersTest {

    @TempDir
    Path dir;

    @Test
    void theStreamingReaderGivesWhatTheJdksReaderGives() throws IOException {
        Path jfr = Recordings.copy(Recordings.ASYNC_PROFILER_3S, dir);
        // CPU, allocation and monitor events: the kinds whose events the JDK's reader sees as async-profiler wrote
        // them (it does not know async-profiler's wall samples, and keeps only parks on java.util.concurrent.locks)
        Set<ProfileKind> kinds = EnumSet.of(ProfileKind.CPU, ProfileKind.ALLOC);
        List<String> streamed = new ArrayList<>();
        List<String> jdk = new ArrayList<>();
        String engine = JfrConverter.readAsyncProfiler(
                jfr, kinds, Long.MIN_VALUE, Long.MAX_VALUE, at -> true, e -> streamed.add(describe(e)), null);
        String jdkEngine = JfrConverter.readJdk(
                jfr, kinds, Long.MIN_VALUE, Long.MAX_VALUE, at -> true, e -> jdk.add(describe(e)), null);

        assertThat(streamed).hasSizeGreaterThan(1_000);
        assertThat(streamed).containsExactlyElementsOf(jdk);
        assertThat(engine).isEqualTo(jdkEngine).isEqualTo("perf_events");
    }

    @Test
    void asyncProfilersOwnFramesAreNamedAsItsClassIs() {
        assertThat(JfrConverter.ASYNC_PROFILER_CLASS).isEqualTo(one.profiler.AsyncProfiler.class.getName());
    }

    /** Everything of an event; the time to the microsecond (the two readers convert ticks with different rounding). */
    private static String describe(JfrConverter.Event e) {
        return e.kind() + " " + e.epochNanos() / 1_000 + " " + e.javaThreadId() + " " + e.thread() + " " + e.count()
                + " " + e.value() + " " + e.labelKey() + "=" + e.labelValue() + " " + e.running() + " " + e.stack();
    }
}
