package dev.jprof.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.examples.regression.RunBuild;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thread leak fails the build: a separate JVM runs {@code leaks.LeakyReporting}, whose one test
 * leaves a scheduler's thread running, and must exit with a failure that names the thread, its stack
 * now and the test line that started it, while the test that stops its scheduler passes.
 */
class LeakIT {

    @Test
    void aTestThatLeavesAThreadRunningFailsTheBuildNamingTheThreadAndWhereItStarted(@TempDir Path dir)
            throws Exception {
        Process p = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-D" + RunBuild.CLASS + "=dev.jprof.examples.leaks.LeakyReporting",
                        "-cp",
                        System.getProperty("java.class.path"),
                        RunBuild.class.getName(),
                        dir.resolve("unused-baseline.txt").toString(),
                        "jprof.output.dir=" + dir.resolve("jprof")))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();

        assertThat(p.exitValue()).as(out).isEqualTo(1);
        assertThat(out)
                .contains(
                        "[ERROR] leavesTheRefresherRunning() [dev.jprof.examples.leaks.LeakyReporting › leavesTheRefresherRunning()]"
                                + " left 1 thread running 200ms after it ended:\n\n\"report-refresher\" #")
                .containsPattern(
                        "\"report-refresher\" #\\d+ (WAITING|TIMED_WAITING|RUNNABLE) \\(daemon\\)\n  stack now:\n")
                // the JDK's own frames above the test's: java.* and, on JDK 21 and later, jdk.internal.vm.*
                .containsPattern(
                        "  started at:\n(    at (java|jdk)\\..*\n)*    at dev\\.jprof\\.examples\\.leaks\\.LeakyReporting\\.leavesTheRefresherRunning\\(line \\d+\\)\n")
                .doesNotContain("stopsTheRefresher() [")
                .contains("Tests run: 2, Failures: 1");
    }
}
