package dev.jprof.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.junit.internal.JoinedReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar jprof-maven-plugin-<version>-cli.jar merge …}: the fixture's two runs joined without Maven. */
class CliJarIT {

    @TempDir
    Path out;

    @Test
    void mergesTheMainAndThePullRequestRunsShowingEveryTestTwice() throws IOException, InterruptedException {
        Path target = AggregateReportIT.FIXTURE.toAbsolutePath().getParent().getParent();
        Path jar;
        try (Stream<Path> files = Files.list(target)) {
            jar = files.filter(p -> p.getFileName().toString().endsWith("-cli.jar"))
                    .findFirst()
                    .orElseThrow();
        }
        Path main = AggregateReportIT.FIXTURE.resolve("target/jprof-main").toAbsolutePath();
        Path pr = AggregateReportIT.FIXTURE.resolve("target/jprof-aggregate").toAbsolutePath();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(
                        java.toString(),
                        "-jar",
                        jar.toString(),
                        "merge",
                        "-Djprof.inputs=main=" + main + ",pr=" + pr,
                        "-Djprof.aggregate.dir=" + out)
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("jprof: report ").contains("8 profiled tests");
        List<Map<String, Object>> tests = JoinedReport.results(out);
        assertThat(tests)
                .extracting(t -> t.get("module") + " " + t.get("class") + " " + t.get("test") + " " + t.get("copies"))
                .containsOnly(
                        AggregateReportIT.TESTS.stream().map(t -> t + " 2").toArray(String[]::new));
        assertThat(tests)
                .extracting(t -> String.valueOf(t.get("folder")).split("/")[0])
                .containsOnly("main", "pr");
        assertThat(out.resolve("pr/gamma/dev.jprof.it.gamma.CodecTest/encodes()/summary.json"))
                .isRegularFile();
        assertThat(out.resolve("suite/cpu.pb.gz")).isRegularFile();
    }
}
