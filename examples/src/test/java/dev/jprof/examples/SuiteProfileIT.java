package dev.jprof.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.format.Pprof;
import dev.jprof.profile.Profile;
import dev.jprof.testing.GoPprof;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The tests in {@code dev.jprof.examples.forks} run as a whole suite ({@code jprof.profile=cpu} in the
 * POM, no annotation needed), in several JVMs: every test has a profile, and {@code suite/cpu.pb.gz}
 * holds them all, each sample labelled with its test.
 */
class SuiteProfileIT {

    private static final Path OUTPUT = Path.of(System.getenv().getOrDefault("JPROF_EXAMPLES_OUTPUT", "target/jprof"));

    @Test
    void everyTestOfEveryJvmIsInTheSuiteProfile() throws IOException {
        // unannotated tests are profiled too
        assertThat(OUTPUT.resolve("dev.jprof.examples.forks.RoutingForkTest")
                        .resolve("waitingOnTheBackendDominatesWallTime(Jprof)")
                        .resolve("cpu.pb.gz"))
                .isRegularFile();
        Profile suite = Pprof.read(OUTPUT.resolve("suite").resolve("cpu.pb.gz"));
        Set<String> tests = new TreeSet<>();
        suite.samples().forEach(s -> {
            String test = s.label("test");
            if (test != null) {
                tests.add(test.substring(0, test.indexOf(" › ")));
            }
        });
        // three test classes, each in a JVM of its own (reuseForks=false), merged into one file
        assertThat(tests)
                .contains(
                        "dev.jprof.examples.forks.ParsingForkTest",
                        "dev.jprof.examples.forks.ReportingForkTest",
                        "dev.jprof.examples.forks.RoutingForkTest");
        assertThat(OUTPUT.resolve("suite").resolve("cpu.html")).isRegularFile();
    }

    @Test
    void goToolPprofFocusesOnOneTestOfTheSuite() {
        GoPprof.Result r = GoPprof.run(
                "-top",
                "-cum",
                "-tagfocus=test=ParsingForkTest › parsesInItsOwnJvm",
                OUTPUT.resolve("suite").resolve("cpu.pb.gz").toString());
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stdout()).as("%s", r).contains("AccessLogParser.parseAll").doesNotContain("UserBackend.fetchUser");
    }
}
