package dev.jprof.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.capture.CaptureResult;
import dev.jprof.capture.Engine;
import dev.jprof.capture.ProfileOptions;
import dev.jprof.capture.Profiler;
import dev.jprof.format.Pprof;
import dev.jprof.profile.ProfileKind;
import dev.jprof.testing.GoPprof;
import dev.jprof.threads.ThreadDump;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** go tool pprof reads the block, mutex (lock) and thread profiles, with the sample types Go uses. */
class BlockingProfilesGoPprofTest {

    @TempDir
    Path dir;

    static GoPprof.Result raw(Path file) {
        GoPprof.Result r = GoPprof.run("-raw", file.toString());
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stderrLines()).as("%s", r).allMatch(l -> l.startsWith("Generating report in "));
        return r;
    }

    @Test
    void blockProfile() throws Throwable {
        Timeline t = Tracer.trace(TraceOptions.of(SliceKind.BLOCKED, SliceKind.WAITING, SliceKind.PARKED), () -> {
            TraceWorkloads.contend(60);
            TraceWorkloads.awaitLatch(30);
        });
        Path file = dir.resolve("block.pb.gz");
        Pprof.write(t.blockProfile(), file);
        GoPprof.Result r = raw(file);
        assertThat(r.stdout())
                .contains(
                        "contentions/count delay/nanoseconds[dflt]",
                        "Comment: profile=block",
                        TraceWorkloads.class.getName() + ".enterAccount",
                        TraceWorkloads.class.getName() + ".awaitLatch");
        GoPprof.Result top = GoPprof.run("-top", "-sample_index=delay", file.toString());
        assertThat(top.stdout()).contains("Type: delay", TraceWorkloads.class.getName() + ".enterAccount");
    }

    /** The mutex profile, {@code @ProfileLock}: monitor enter and j.u.c locks, not latches. */
    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"ASYNC_PROFILER", "JFR"})
    void lockProfile(Engine engine) throws Throwable {
        CaptureResult result =
                Profiler.profile(ProfileOptions.of(ProfileKind.LOCK).withEngine(engine), () -> {
                    TraceWorkloads.contend(60);
                    TraceWorkloads.awaitLatch(30);
                });
        Path file = dir.resolve("lock.pb.gz");
        Pprof.write(result.profile(ProfileKind.LOCK), file);
        GoPprof.Result r = raw(file);
        assertThat(r.stdout())
                .contains("contentions/count delay/nanoseconds[dflt]", TraceWorkloads.class.getName() + ".enterAccount")
                .doesNotContain(TraceWorkloads.class.getName() + ".awaitLatch");
    }

    @Test
    void threadProfile() throws IOException {
        Path file = dir.resolve("threads.pb.gz");
        Pprof.write(ThreadDump.take().profile(), file);
        GoPprof.Result r = raw(file);
        assertThat(r.stdout())
                .contains(
                        "PeriodType: threads count",
                        "threads/count[dflt]",
                        BlockingProfilesGoPprofTest.class.getName() + ".threadProfile");
        GoPprof.Result traces = GoPprof.run("-traces", file.toString());
        assertThat(traces.stdout())
                .contains("thread:  " + Thread.currentThread().getName(), "state:  RUNNABLE");
    }
}
