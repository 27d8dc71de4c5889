package dev.jprof.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;

import dev.jprof.profile.Profile;
import dev.jprof.profile.Sample;
import dev.jprof.testing.GoPprof;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.testkit.engine.EngineExecutionResults;

class ThreadDumpExtensionTest extends EngineTestKitBase {

    /** The section of {@code thread} in a threads.txt. */
    static String section(String text, String threadPrefix) {
        int start = text.indexOf("\"" + threadPrefix);
        assertThat(start).as("thread %s in\n%s", threadPrefix, text).isNotNegative();
        int end = text.indexOf("\n\n\"", start);
        return end < 0 ? text.substring(start) : text.substring(start, end);
    }

    /** The dump's text; when missing, fails with the fixture's failures, which carry the cause as suppressed. */
    static String dumpText(Path dir, EngineExecutionResults results) throws IOException {
        Path file = dir.resolve("threads.txt");
        if (!Files.exists(file)) {
            StringBuilder b = new StringBuilder("no " + file + "; failures of the fixture:");
            results.testEvents().failed().stream()
                    .map(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                            .orElseThrow()
                            .getThrowable()
                            .orElseThrow())
                    .forEach(t -> {
                        java.io.StringWriter w = new java.io.StringWriter();
                        t.printStackTrace(new java.io.PrintWriter(w));
                        b.append('\n').append(w);
                    });
            throw new AssertionError(b.toString());
        }
        return Files.readString(file);
    }

    static final CountDownLatch NEVER = new CountDownLatch(1);

    @DumpThreads
    static class TimesOut {
        @Test
        @Timeout(value = 2500, unit = TimeUnit.MILLISECONDS)
        void sameThread() throws InterruptedException {
            stuckInSleep();
        }

        @Test
        @Timeout(value = 2500, unit = TimeUnit.MILLISECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
        void separateThread() throws InterruptedException {
            stuckOnLatch();
        }

        static void stuckInSleep() throws InterruptedException {
            Thread.sleep(60_000);
        }

        static void stuckOnLatch() throws InterruptedException {
            NEVER.await(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void aTestThatTimesOutLeavesADumpShowingWhereItWasStuck() throws IOException {
        EngineExecutionResults results = run(TimesOut.class, Map.of());
        results.testEvents()
                .assertStatistics(s -> s.started(2).failed(2))
                .assertThatEvents()
                .haveExactly(1, event(test("sameThread"), finishedWithFailure(instanceOf(TimeoutException.class))))
                .haveExactly(1, event(test("separateThread"), finishedWithFailure(instanceOf(TimeoutException.class))));

        String same = dumpText(folder(TimesOut.class, "sameThread()"), results);
        assertThat(same)
                .startsWith("Threads of [" + TimesOut.class.getName() + " › sameThread()], taken ")
                .contains(
                        "before its timeout of 2500 ms", "The test failed with: java.util.concurrent.TimeoutException");
        // the test ran on this thread (EngineTestKit runs in the caller's thread)
        String testThread = section(same, Thread.currentThread().getName() + "\"");
        assertThat(testThread)
                .contains(
                        "java.lang.Thread.State: TIMED_WAITING",
                        "at java.lang.Thread.sleep", // Thread.sleep(Native Method) on JDK 17,
                        // Thread.sleep(Thread.java:...) above a native frame on JDK 21+
                        "at " + TimesOut.class.getName() + ".stuckInSleep(ThreadDumpExtensionTest.java:");

        String separate = dumpText(folder(TimesOut.class, "separateThread()"), results);
        String timeoutThread = section(separate, "junit-timeout-thread");
        assertThat(timeoutThread)
                .contains(
                        "java.lang.Thread.State: TIMED_WAITING",
                        "- parking to wait for",
                        "(a java.util.concurrent.CountDownLatch$Sync)",
                        "at " + TimesOut.class.getName() + ".stuckOnLatch(ThreadDumpExtensionTest.java:");

        Path pprof = folder(TimesOut.class, "sameThread()").resolve("threads.pb.gz");
        Profile threads = Artifacts.read(pprof);
        assertThat(threads.sampleTypes()).extracting(Object::toString).containsExactly("threads/count");
        assertThat(threads.samples())
                .filteredOn(s -> Thread.currentThread().getName().equals(s.label(Sample.THREAD_LABEL)))
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.label("state")).isEqualTo("TIMED_WAITING");
                    assertThat(s.stack())
                            .extracting(f -> f.function())
                            .contains(TimesOut.class.getName() + ".stuckInSleep");
                });
        GoPprof.Result top = GoPprof.run("-top", pprof.toString());
        assertThat(top.exitCode()).as("%s", top).isZero();
        assertThat(top.stdout()).contains("Type: threads", TimesOut.class.getName() + ".stuckInSleep");
        NEVER.countDown(); // let the abandoned thread of the separate-thread test finish
    }

    static class DefaultTimeout {
        @Test
        @DumpThreads
        void stuck() throws InterruptedException {
            parkedForever();
        }

        static void parkedForever() throws InterruptedException {
            new CountDownLatch(1).await();
        }
    }

    @Test
    void theDefaultTimeoutFromTheConfigurationAlsoCounts() throws IOException {
        EngineExecutionResults results =
                run(DefaultTimeout.class, Map.of("junit.jupiter.execution.timeout.default", "2500ms"));
        results.testEvents().assertStatistics(s -> s.started(1).failed(1));
        String text = dumpText(folder(DefaultTimeout.class, "stuck()"), results);
        assertThat(text).contains("before its timeout of 2500 ms");
        assertThat(section(text, Thread.currentThread().getName() + "\""))
                .contains("at " + DefaultTimeout.class.getName() + ".parkedForever(ThreadDumpExtensionTest.java:");
    }

    static class Outcomes {
        @Test
        @DumpThreads
        void passes() {}

        @Test
        @DumpThreads
        void fails() {
            throw new AssertionError("the test's own failure");
        }

        @Test
        @DumpThreads(DumpThreads.When.ALWAYS)
        void passesAlways() {}
    }

    @Test
    void dumpsWhenTheTestFailsOrWhenAskedAlways() throws IOException {
        run(Outcomes.class, Map.of())
                .testEvents()
                .assertStatistics(s -> s.started(3).succeeded(2).failed(1))
                .assertThatEvents()
                .haveExactly(1, event(test("fails"), finishedWithFailure(instanceOf(AssertionError.class))));
        assertThat(folder(Outcomes.class, "passes()").resolve("threads.txt")).doesNotExist();
        assertThat(Files.readString(folder(Outcomes.class, "fails()").resolve("threads.txt")))
                .contains(
                        "taken after the test failed",
                        "The test failed with: java.lang.AssertionError: the test's own failure");
        assertThat(folder(Outcomes.class, "fails()").resolve("threads.pb.gz")).isRegularFile();
        assertThat(Files.readString(folder(Outcomes.class, "passesAlways()").resolve("threads.txt")))
                .contains("taken after the test passed");
    }

    static class ProfiledWithADump {
        @Test
        @ProfileCpu
        @DumpThreads(DumpThreads.When.ALWAYS)
        void annotations() {
            Burn.inTestBody(20);
        }

        @Test
        @ProfileBlock
        @Trace
        @DumpThreads(DumpThreads.When.ALWAYS)
        void traced() throws InterruptedException {
            Thread.sleep(20);
        }
    }

    /** The dump is taken after the test's summary is written: the summary and the report still list it. */
    @Test
    void summaryAndReportListTheDumpAndEveryOtherArtifact() throws IOException {
        run(ProfiledWithADump.class, Map.of())
                .testEvents()
                .assertStatistics(s -> s.started(2).succeeded(2));
        assertThat(artifacts(folder(ProfiledWithADump.class, "annotations()")))
                .containsExactlyInAnyOrder("cpu.pb.gz", "cpu.html", "threads.txt", "threads.pb.gz");
        assertThat(artifacts(folder(ProfiledWithADump.class, "traced()")))
                .containsExactlyInAnyOrder(
                        "trace.jfr", "trace.json", "block.pb.gz", "block.html", "threads.txt", "threads.pb.gz");
        String report = Files.readString(out.resolve("index.html"));
        for (String file :
                new String[] {"threads.txt", "threads.pb.gz", "trace.json", "trace.jfr", "block.pb.gz", "block.html"}) {
            assertThat(report).as("the report links %s", file).contains("traced()/" + file);
        }
        assertThat(report).contains("annotations()/threads.pb.gz");
    }

    @SuppressWarnings("unchecked")
    private static java.util.List<String> artifacts(Path dir) throws IOException {
        Map<String, Object> summary =
                (Map<String, Object>) dev.jprof.internal.Json.parse(Files.readString(dir.resolve("summary.json")));
        return (java.util.List<String>) summary.get("artifacts");
    }
}
