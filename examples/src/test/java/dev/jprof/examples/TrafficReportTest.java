package dev.jprof.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.junit.NotHot;
import dev.jprof.junit.ProfileAlloc;
import dev.jprof.profile.ProfileKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficReportTest {

    private static final List<AccessLogParser.Request> REQUESTS =
            new AccessLogParser().parseAll(SampleTraffic.lines(100_000)).requests();

    /** target/jprof/dev.jprof.examples.TrafficReportTest/aggregatesPerRoute()/alloc.pb.gz */
    @Test
    @ProfileAlloc(interval = "32k")
    @NotHot(value = "AccessLogParser", kind = ProfileKind.ALLOC)
    void aggregatesPerRoute() {
        TrafficReport report = null;
        for (int i = 0; i < 5; i++) {
            report = new TrafficReport().recordAll(REQUESTS);
        }
        assertThat(report.routes()).isEqualTo(5);
        assertThat(report.route("/users/{n}").count()).isPositive();
        assertThat(report.route("/health").statuses()).containsKey(200);
    }
}
