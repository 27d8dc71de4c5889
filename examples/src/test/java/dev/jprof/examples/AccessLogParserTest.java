package dev.jprof.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.assertj.JprofAssertions;
import dev.jprof.junit.Jprof;
import dev.jprof.junit.NotHot;
import dev.jprof.junit.ProfileCpu;
import dev.jprof.profile.Profile;
import java.util.List;
import org.junit.jupiter.api.Test;

@dev.jprof.junit.WithJprof
class AccessLogParserTest {

    private static final List<String> LINES = SampleTraffic.lines(60_000);

    private final AccessLogParser parser = new AccessLogParser();

    /** target/jprof/dev.jprof.examples.AccessLogParserTest/parsesAnHourOfTraffic()/cpu.pb.gz */
    @Test
    @ProfileCpu
    void parsesAnHourOfTraffic() {
        AccessLogParser.Result result = parser.parseAll(LINES);
        assertThat(result.requests()).hasSize(LINES.size());
        assertThat(result.rejected()).isZero();
    }

    /**
     * Declaratively: no report aggregation or routing among the 5 hottest functions. Deciding that a
     * function is absent from the top needs about 9 / 5% = 180 samples (1 ms each); four passes give
     * several times that.
     */
    @Test
    @ProfileCpu
    @NotHot("TrafficReport|Router\\.")
    void parsingSpendsNoTimeInReportingOrRouting() {
        for (int i = 0; i < 4; i++) {
            assertThat(parser.parseAll(LINES).rejected()).isZero();
        }
    }

    /**
     * Programmatically: the profile comes back as the model. The CPU profile covers every thread, and
     * a young JVM spends much of it compiling, so bounds are on shares of the whole: parsing
     * measured about 40% of it in a fresh JVM (more once warm), regular expressions about 25%.
     */
    @Test
    void regularExpressionsDominateParsing(Jprof jprof) throws Exception {
        Profile cpu = jprof.cpu(() -> {
            for (int i = 0; i < 3; i++) {
                assertThat(parser.parseAll(LINES).rejected()).isZero();
            }
        });
        JprofAssertions.assertThat(cpu)
                .hasAtLeastSamples(200)
                .hasCumShareAbove("AccessLogParser\\.parseAll", 20)
                .hasCumShareAbove("^java\\.util\\.regex\\.", 10)
                .hotFunctions(5).noneMatch("TrafficReport|Router\\.");
    }

    @Test
    void rejectsLinesThatAreNotAccessLogLines() {
        assertThat(parser.parseAll(List.of("not a log line", LINES.get(0))).rejected()).isEqualTo(1);
        assertThat(parser.parseLine("203.0.113.9 - - [25/Nov/2026:10:15:32 +0000] \"GET /users/42 HTTP/1.1\" 200 512 17ms"))
                .isEqualTo(new AccessLogParser.Request("203.0.113.9", "GET", "/users/42", 200, 512, 17));
    }
}
