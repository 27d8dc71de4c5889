package dev.jprof.examples.forks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.assertj.JprofAssertions;
import dev.jprof.examples.AccessLogParser;
import dev.jprof.examples.SampleTraffic;
import dev.jprof.junit.Jprof;
import dev.jprof.junit.NotHot;
import dev.jprof.junit.ProfileCpu;
import dev.jprof.junit.WithJprof;
import dev.jprof.profile.Profile;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What is hot when parsing access logs, asserted declaratively and programmatically.
 *
 * <p>Runs in a JVM of its own, at the same time as {@link ReportingForkTest} (see RunReportIT), so it
 * does not warm up the JVM whose profiles ExampleProfilesIT checks. Each test does enough work for
 * several hundred CPU samples: deciding that a function is absent from the top needs about
 * 9 / 5% = 180 of them.
 */
@WithJprof
class ParsingForkTest {

    private static final List<String> LINES = SampleTraffic.lines(30_000);

    private final AccessLogParser parser = new AccessLogParser();

    /** No report aggregation or routing among the 5 hottest functions. */
    @Test
    @ProfileCpu
    @NotHot("TrafficReport|Router\\.")
    void parsesInItsOwnJvm() {
        for (int i = 0; i < 6; i++) {
            assertThat(parser.parseAll(LINES).rejected()).isZero();
        }
    }

    /**
     * The profile comes back as the model. A CPU profile covers every thread, and a young JVM spends
     * much of it compiling, so bounds are on shares of the whole: parsing measured about 40% of it in
     * a fresh JVM (more once warm), regular expressions about 25%.
     */
    @Test
    void regularExpressionsDominateParsing(Jprof jprof) throws Exception {
        // 75 rounds: about 500 samples at the default interval (3 ms); 30 gave 199 to 230 under load
        Profile cpu = jprof.cpu(() -> {
            for (int i = 0; i < 75; i++) {
                assertThat(parser.parseAll(LINES).rejected()).isZero();
            }
        });
        JprofAssertions.assertThat(cpu)
                .hasAtLeastSamples(200)
                .hasCumShareAbove("AccessLogParser\\.parseAll", 20)
                .hasCumShareAbove("^java\\.util\\.regex\\.", 10)
                .hotFunctions(5)
                .noneMatch("TrafficReport|Router\\.");
    }
}
