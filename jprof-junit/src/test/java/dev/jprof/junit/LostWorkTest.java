package dev.jprof.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * A test JVM that ends abruptly (a test calls {@code System.exit}, or the fork is killed) keeps what its
 * earlier tests wrote: each test's {@code summary.json} is written with its artifacts, while the JVM runs
 * on; its recordings are deleted at exit, or, after a kill, by the next JVM that records.
 */
class LostWorkTest {

    @TempDir
    Path tmp;

    /** A profiled test, then one that calls {@code System.exit} at once while its own window is open. */
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class ExitsDuringTheNext {
        @Test
        @Order(1)
        @ProfileCpu
        void earlier() {
            Burn.inTestBody(30);
        }

        @Test
        @Order(2)
        @ProfileCpu
        void exits() {
            // at once: no cut of the recording happens while this window is open, so the earlier test's
            // profile is still unread
            System.exit(3);
        }
    }

    /**
     * A profiled test, then a profiled one that waits until the first one's summary is written and is then
     * killed: the first test's profile is read while the second's window is open.
     */
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class KilledDuringTheNext {
        @Test
        @Order(1)
        @ProfileCpu
        void earlier() {
            Burn.inTestBody(30);
        }

        @Test
        @Order(2)
        @ProfileCpu
        void killed() throws InterruptedException {
            Path summary = Path.of(System.getProperty("jprof.output.dir"))
                    .resolve(KilledDuringTheNext.class.getName())
                    .resolve("earlier()")
                    .resolve("summary.json");
            while (!Files.isRegularFile(summary)) {
                Thread.sleep(20); // no limit: the parent's timeout ends a JVM that never writes it
            }
            System.out.println("READY");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** Runs the fixture class named by {@code args[0]} with jprof writing to {@code jprof.output.dir}. */
    public static void main(String[] args) throws ClassNotFoundException {
        LauncherFactory.create()
                .execute(LauncherDiscoveryRequestBuilder.request()
                        .selectors(selectClass(Class.forName(args[0])))
                        .configurationParameter("jprof.output.dir", System.getProperty("jprof.output.dir"))
                        .build());
    }

    private Process start(Path out, String log, Class<?> fixture) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Djava.io.tmpdir=" + tmp);
        command.add("-Djprof.output.dir=" + out);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LostWorkTest.class.getName());
        command.add(fixture.getName());
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve(log + ".log").toFile())
                .start();
    }

    /** Waits until the child printed READY: the fixture's first test's summary is written, and the JVM still runs. */
    private void awaitReady(Process p, String end) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        Path log = tmp.resolve(end + ".log");
        while (!Files.readString(log).contains("READY")) {
            assertThat(p.isAlive())
                    .as("the child JVM runs: %s", Files.readString(log))
                    .isTrue();
            assertThat(System.nanoTime() < deadline)
                    .as("the first test's summary within 120 s: %s", Files.readString(log))
                    .isTrue();
            Thread.sleep(50);
        }
    }

    private Path recordings(long pid) {
        return tmp.resolve("jprof-recordings").resolve(Long.toString(pid));
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void systemExitKeepsTheProfilesOfTestsThatEndedBeforeAndLeavesNoRecording() throws Exception {
        Path out = tmp.resolve("exit");
        Process p = start(out, "exit", ExitsDuringTheNext.class);
        try {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the child exits").isTrue();
        } finally {
            p.destroyForcibly(); // a child that never exits must not outlive the build
        }
        assertThat(p.exitValue())
                .as("%s", Files.readString(tmp.resolve("exit.log")))
                .isEqualTo(3);

        assertThat(files(out.resolve(ExitsDuringTheNext.class.getName()).resolve("earlier()")))
                .contains("cpu.pb.gz", "cpu.html", "summary.json");
        assertThat(recordings(p.pid())).as("deleted at exit").doesNotExist();
    }

    @Test
    void aKilledForkKeepsTheSummariesWrittenBeforeAndTheNextJvmDeletesItsRecordings() throws Exception {
        Path out = tmp.resolve("kill");
        Process killed = start(out, "kill", KilledDuringTheNext.class);
        try {
            awaitReady(killed, "kill");
        } finally {
            killed.destroyForcibly(); // also when it never got ready: its last test sleeps forever
        }
        assertThat(killed.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(files(out.resolve(KilledDuringTheNext.class.getName()).resolve("earlier()")))
                .contains("cpu.pb.gz", "cpu.html", "summary.json");
        assertThat(recordings(killed.pid())).as("left by the killed JVM").isDirectory();

        // the next JVM that records, in the same temporary directory, deletes the dead JVM's recordings
        Process next = start(tmp.resolve("next"), "next", ExitsDuringTheNext.class);
        try {
            assertThat(next.waitFor(120, TimeUnit.SECONDS)).isTrue();
        } finally {
            next.destroyForcibly();
        }
        assertThat(next.exitValue())
                .as("%s", Files.readString(tmp.resolve("next.log")))
                .isEqualTo(3);
        assertThat(recordings(killed.pid())).as("deleted by the next JVM").doesNotExist();
        assertThat(recordings(next.pid())).doesNotExist();
    }
}
