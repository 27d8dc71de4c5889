package dev.jprof.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.testing.GoPprof;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Runs after the short JMH run of {@code dev.jprof.examples.jmh} (exec execution {@code jmh-run}) and
 * reads its profiles with {@code go tool pprof}, as a user would.
 */
class JmhProfilesIT {

    private static final Path OUT = Path.of(System.getenv().getOrDefault("JPROF_EXAMPLES_OUTPUT", "target/jprof"));

    @Test
    void parseLineProfileShowsTheRegexAndCarriesForkLabels() {
        Path dir = OUT.resolve("jmh/dev.jprof.examples.jmh.AccessLogParserBench.parseLine/mode=avgt");
        assertThat(dir.resolve("cpu.pb.gz")).isRegularFile();
        assertThat(dir.resolve("cpu.fork-1.pb.gz")).isRegularFile();
        assertThat(dir.resolve("cpu.html")).isRegularFile();
        assertThat(dir.resolve("summary.json")).isRegularFile();

        GoPprof.Result top =
                GoPprof.run("-top", "-cum", dir.resolve("cpu.pb.gz").toString());
        assertThat(top.exitCode()).as("%s", top).isZero();
        assertThat(top.stderr()).as("go tool pprof warnings").isBlank();
        assertThat(GoPprof.parseTop(top.stdout())).containsKey("dev.jprof.examples.AccessLogParser.parseLine");

        GoPprof.Result tags = GoPprof.run("-tags", dir.resolve("cpu.pb.gz").toString());
        assertThat(tags.exitCode()).as("%s", tags).isZero();
        assertThat(tags.stdout()).contains("fork:").contains("iteration:");
    }
}
