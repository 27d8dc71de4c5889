package dev.jprof.alloc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.alloc.AllocationOptions;
import dev.jprof.alloc.AllocationReport;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which reason a report gives when the site-finding runs' recording holds fewer bytes than were measured. */
class AllocationReportsTest {

    private static final AllocationOptions OPTIONS = AllocationOptions.runs(10).withObjects(true);

    /** The measured runs: 10 runs of 1,600 B each, on the calling thread, every counter read. */
    private static final ThreadAllocations.Counts MEASURED =
            new ThreadAllocations.Counts(16_000, 0, 0, 0, List.of("main"), null);

    /** An exact site-finding result over 10 runs whose recording held {@code recorded} bytes. */
    private static Attribution.Result found(long recorded, long counted) {
        Profile empty = Profile.builder(ProfileKind.ALLOC).build();
        ThreadAllocations.Counts same = new ThreadAllocations.Counts(counted, 0, 0, 0, List.of("main"), null);
        return new Attribution.Result(
                empty, List.of(), recorded, recorded / 16, 10, true, same, List.of("main"), false, null);
    }

    /** The one note of a report whose objects were not counted because the recording held {@code recorded} B. */
    private static String noteOf(long recorded, long counted) throws Throwable {
        AllocationReport report = AllocationReports.report(OPTIONS, MEASURED, 10, runs -> found(recorded, counted));
        assertThat(report.objectsCounted()).isFalse();
        assertThat(report.notes()).hasSize(1);
        return report.notes().get(0);
    }

    @Test
    void aRecordingThatMissedBytesItsOwnRunsAllocatedBlamesTheHeapSamplerNotOneTimeWork() throws Throwable {
        // the same runs allocated 16,000 B by the thread's counter; the recording saw one 16-byte object fewer
        assertThat(noteOf(15_984, 16_000))
                .contains("the recording missed 16 B that the thread's allocation counter saw in the same runs")
                .contains("heap sampler")
                .doesNotContain("one-time work");
    }

    @Test
    void runsThatAllocatedLessThanTheMeasuredRunBlameOneTimeWork() throws Throwable {
        // the recording holds all its runs allocated, which is less than the measured run: that run did more
        assertThat(noteOf(15_984, 15_984))
                .contains("one-time work in the measured run")
                .doesNotContain("heap sampler");
    }

    @Test
    void aRecordingThatMatchesTheMeasuredRunCountsTheObjects() throws Throwable {
        AllocationReport report = AllocationReports.report(OPTIONS, MEASURED, 10, runs -> found(16_000, 16_000));

        assertThat(report.objectsCounted()).isTrue();
        assertThat(report.totalObjects()).isEqualTo(1_000);
        assertThat(report.notes()).isEmpty();
    }
}
