package dev.jprof.junit.internal;

import dev.jprof.alloc.AllocationOptions;
import dev.jprof.alloc.AllocationReport;
import dev.jprof.alloc.Allocations;
import dev.jprof.capture.CaptureResult;
import dev.jprof.capture.ProfileOptions;
import dev.jprof.capture.Profiler;
import dev.jprof.capture.Profiler.ThrowingRunnable;
import dev.jprof.format.internal.ProfileArtifacts;
import dev.jprof.junit.Jprof;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The {@link Jprof} a test receives: names reports after the test and writes artifacts into its folder. */
final class JprofHandle implements Jprof {

    private final String testName;
    private final String title;
    private final Path dir;
    private final ProfileOptions defaults;
    /** How long an undecided assertion on a profile may repeat the code profiled. */
    private final Duration repeatBudget;

    JprofHandle(String testName, String title, Path dir, ProfileOptions defaults, Duration repeatBudget) {
        this.testName = testName;
        this.title = title;
        this.dir = dir;
        this.defaults = defaults;
        this.repeatBudget = repeatBudget;
    }

    @Override
    public Profile cpu(ThrowingRunnable code) throws Exception {
        return profile(ProfileKind.CPU, code);
    }

    @Override
    public Profile wall(ThrowingRunnable code) throws Exception {
        return profile(ProfileKind.WALL, code);
    }

    @Override
    public Profile alloc(ThrowingRunnable code) throws Exception {
        return profile(ProfileKind.ALLOC, code);
    }

    @Override
    public Profile lock(ThrowingRunnable code) throws Exception {
        return profile(ProfileKind.LOCK, code);
    }

    private Profile profile(ProfileKind kind, ThrowingRunnable code) throws Exception {
        return Profiler.profile(kind, defaults, code, repeatBudget);
    }

    @Override
    public AllocationReport allocations(ThrowingRunnable op) throws Exception {
        return allocations(AllocationOptions.defaults(), op);
    }

    @Override
    public AllocationReport allocations(ThrowingRunnable op, int runs) throws Exception {
        return allocations(AllocationOptions.runs(runs), op);
    }

    @Override
    public AllocationReport allocations(AllocationOptions options, ThrowingRunnable op) throws Exception {
        AllocationOptions named =
                options.name().equals(AllocationOptions.defaults().name()) ? options.withName(testName) : options;
        AllocationReport report;
        try {
            report = Allocations.measure(named, op);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new java.lang.reflect.UndeclaredThrowableException(t);
        }
        if (report.profile() != null) {
            ProfileArtifacts.write(
                    new CaptureResult(Map.of(ProfileKind.ALLOC, report.profile()), "async-profiler", Duration.ZERO),
                    dir,
                    title + " (allocation sites)");
        }
        return report;
    }
}
