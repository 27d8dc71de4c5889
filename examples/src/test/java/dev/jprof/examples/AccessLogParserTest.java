package dev.jprof.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.junit.ProfileCpu;
import java.util.List;
import org.junit.jupiter.api.Test;

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

    @Test
    void rejectsLinesThatAreNotAccessLogLines() {
        assertThat(parser.parseAll(List.of("not a log line", LINES.get(0))).rejected())
                .isEqualTo(1);
        assertThat(parser.parseLine(
                        "203.0.113.9 - - [25/Nov/2026:10:15:32 +0000] \"GET /users/42 HTTP/1.1\" 200 512 17ms"))
                .isEqualTo(new AccessLogParser.Request("203.0.113.9", "GET", "/users/42", 200, 512, 17));
    }
}
