package dev.jprof.examples.forks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.examples.AccessLogParser;
import dev.jprof.examples.SampleTraffic;
import dev.jprof.junit.NotHot;
import dev.jprof.junit.ProfileCpu;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs in a JVM of its own, at the same time as {@link ReportingForkTest}: see RunReportIT. */
class ParsingForkTest {

    private static final List<String> LINES = SampleTraffic.lines(30_000);

    @Test
    @ProfileCpu
    @NotHot("TrafficReport")
    void parsesInItsOwnJvm() {
        // enough work for several hundred samples: @NotHot needs about 180 to decide an absent function
        for (int i = 0; i < 6; i++) {
            assertThat(new AccessLogParser().parseAll(LINES).rejected()).isZero();
        }
    }
}
