package dev.jprof.examples.regression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.examples.AccessLogParser;
import dev.jprof.examples.SampleTraffic;
import dev.jprof.junit.ProfileCpu;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The same test in two builds, for {@code DiffIT}: it parses an hour of traffic; with the system
 * property {@value #REGRESSED} it also re-validates every line first ({@link #revalidate}), a change
 * that costs several times the parsing. Run by {@link RunBuild}, not by Surefire (no Test suffix).
 */
class ReportCost {

    /** The system property that turns the regression on. */
    static final String REGRESSED = "examples.regressed";

    private final List<String> lines = SampleTraffic.lines(20_000);
    private final AccessLogParser parser = new AccessLogParser();

    @Test
    @ProfileCpu
    void parsesAnHourOfTraffic() {
        long kept = 0;
        for (int round = 0; round < 5; round++) {
            if (Boolean.getBoolean(REGRESSED)) {
                kept += revalidate(lines);
            }
            kept += parser.parseAll(lines).requests().size();
        }
        assertThat(kept).isPositive();
    }

    /** The regression: a character-by-character check of every line, forty passes over each. */
    static long revalidate(List<String> lines) {
        long sum = 0;
        for (int pass = 0; pass < 40; pass++) {
            for (String line : lines) {
                for (int i = 0; i < line.length(); i++) {
                    sum += Character.isLetterOrDigit(line.charAt(i)) ? 1 : 0;
                }
            }
        }
        return sum > 0 ? 0 : 1;
    }
}
