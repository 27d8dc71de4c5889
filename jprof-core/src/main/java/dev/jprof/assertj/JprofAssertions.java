package dev.jprof.assertj;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.alloc.AllocationReport;
import dev.jprof.profile.Profile;
import dev.jprof.trace.Timeline;
import org.apiguardian.api.API;

/**
 * The entry point of jprof's AssertJ assertions:
 *
 * <pre>{@code
 * import static dev.jprof.assertj.JprofAssertions.assertThat;
 *
 * assertThat(Allocations.measure(10_000, () -> parser.parseInto(buffer, line))).bytesPerOp().isZero();
 * assertThat(cpuProfile).hotFunctions(5).noneMatch("java\\.util\\.regex");
 * assertThat(timeline).hasNoMonitorContentionOn(Cache.class);
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class JprofAssertions {

    private JprofAssertions() {}

    // --- allocation -------------------------------------------------------------------------------

    /** Assertions on what an operation allocated. */
    public static AllocationReportAssert assertThat(AllocationReport actual) {
        return new AllocationReportAssert(actual);
    }

    // --- profiles ---------------------------------------------------------------------------------

    /**
     * Assertions on what is hot in {@code profile}:
     * {@code assertThat(cpu).hotFunctions(5).noneMatch("java\\.util\\.regex")}.
     */
    public static ProfileAssert assertThat(Profile profile) {
        return new ProfileAssert(profile);
    }

    // --- traces -----------------------------------------------------------------------------------

    /**
     * Assertions on what the threads of {@code timeline} did:
     * {@code assertThat(timeline).hasNoMonitorContentionOn(Cache.class).thread("worker").parkedTime().isLessThan(ofMillis(5))}.
     */
    public static TimelineAssert assertThat(Timeline timeline) {
        return new TimelineAssert(timeline);
    }
}
