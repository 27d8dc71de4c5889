package dev.jprof.examples.forks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.examples.AccessLogParser;
import dev.jprof.examples.SampleTraffic;
import dev.jprof.examples.TrafficReport;
import dev.jprof.junit.NotHot;
import dev.jprof.junit.ProfileAlloc;
import dev.jprof.profile.ProfileKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs in a JVM of its own, at the same time as {@link ParsingForkTest}: see RunReportIT. */
class ReportingForkTest {

    private static final List<AccessLogParser.Request> REQUESTS =
            new AccessLogParser().parseAll(SampleTraffic.lines(30_000)).requests();

    @Test
    @ProfileAlloc(interval = "32k")
    @NotHot(value = "AccessLogParser", kind = ProfileKind.ALLOC)
    void aggregatesInItsOwnJvm() {
        assertThat(new TrafficReport().recordAll(REQUESTS).routes()).isEqualTo(5);
    }
}
