package dev.jprof.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;

class ThreadLeakTest extends EngineTestKitBase {

    /** Released after each test of this class, so that no fixture's thread outlives it. */
    static volatile CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseLeakedThreads() {
        release.countDown();
        release = new CountDownLatch(1);
    }

    static void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Thread startLeak(String name) {
        Thread t = new Thread(ThreadLeakTest::awaitRelease, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @NoThreadLeaks(grace = "100ms")
    static class Leaking {
        @Test
        void leaksAThread() {
            startLeak("leaky-worker");
        }
    }

    @NoThreadLeaks
    static class Joining {
        @Test
        void joinsItsThread() throws InterruptedException {
            Thread t = new Thread(() -> {}, "joined-worker");
            t.start();
            t.join();
        }

        @Test
        void shutsItsExecutorDownWithoutWaiting() {
            // the pool's thread ends a moment after the test: the grace period covers it
            ExecutorService pool = Executors.newFixedThreadPool(2);
            pool.submit(() -> {});
            pool.shutdown();
        }

        @Test
        void usesTheCommonPool() {
            assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 8).parallelStream()
                            .mapToInt(i -> i)
                            .sum())
                    .isEqualTo(36);
        }
    }

    @NoThreadLeaks(grace = "100ms")
    static class FailsAndLeaks {
        @Test
        void failsAndLeaks() {
            startLeak("leaky-and-failing");
            throw new IllegalStateException("the test's own failure");
        }
    }

    @NoThreadLeaks(grace = "100ms", ignore = "tolerated-.*")
    static class LeaksAnIgnoredThread {
        @Test
        void leaksAThreadItMayLeave() {
            startLeak("tolerated-1");
        }
    }

    static class NoAnnotation {
        @Test
        void leaksWithoutAnnotation() {
            startLeak("unannotated-leak");
        }
    }

    static class StartsInBeforeEachStopsInAfterEach {
        Thread t;

        @org.junit.jupiter.api.BeforeEach
        void start() {
            t = new Thread(ThreadLeakTest::awaitRelease, "fixture-thread");
            t.start();
        }

        @Test
        @NoThreadLeaks(grace = "100ms")
        void usesIt() {
            assertThat(t.isAlive()).isTrue();
        }

        @AfterEach
        void stop() throws InterruptedException {
            release.countDown();
            t.join();
        }
    }

    @NoThreadLeaks(grace = "100ms")
    static class LeaksAVirtualThread {
        @Test
        void leaksAVirtualThread() throws Exception {
            Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, (Runnable)
                    ThreadLeakTest::awaitRelease);
        }
    }

    private static String failure(EngineExecutionResults results) {
        return failures(results).get(0).getMessage();
    }

    @Test
    void aLeakingTestFailsNamingTheThreadItsStateItsStackNowAndWhereItStarted() {
        EngineExecutionResults results = run(Leaking.class, Map.of());

        results.testEvents().assertStatistics(s -> s.started(1).succeeded(0).failed(1));
        results.testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("leaksAThread"),
                                finishedWithFailure(
                                        instanceOf(AssertionError.class),
                                        message(
                                                m -> m.startsWith(
                                                        "[" + Leaking.class.getName()
                                                                + " › leaksAThread()] left 1 thread running 100ms after it ended:\n\n\"leaky-worker\" #")))));
        String message = failure(results);
        assertThat(message)
                .containsPattern("\"leaky-worker\" #\\d+ WAITING \\(daemon\\)\n  stack now:\n(    at .*\n)*    at "
                        + "java\\.util\\.concurrent\\.CountDownLatch\\.await\\(CountDownLatch\\.java:\\d+\\)\n    at "
                        + "dev\\.jprof\\.junit\\.ThreadLeakTest\\.awaitRelease\\(ThreadLeakTest\\.java:\\d+\\)\n")
                // the stack of the test's thread when it called Thread.start(), from the JDK's jdk.ThreadStart event
                .containsPattern(
                        "  started at:\n(    at java\\.lang\\..*\n)*    at dev\\.jprof\\.junit\\.ThreadLeakTest\\.startLeak\\(line \\d+\\)\n"
                                + "    at dev\\.jprof\\.junit\\.ThreadLeakTest\\$Leaking\\.leaksAThread\\(line \\d+\\)\n\n")
                .endsWith(
                        "Stop the threads a test starts (shut executors down and await their termination, join threads),"
                                + " or let them run: @NoThreadLeaks(ignore = \"<name pattern>\") or jprof.threads.leaks.ignore.");
    }

    @Test
    void testsThatJoinTheirThreadsOrWhoseThreadsEndWithinTheGracePeriodPass() {
        run(Joining.class, Map.of())
                .testEvents()
                .assertStatistics(s -> s.started(3).succeeded(3).failed(0));
    }

    @Test
    void theTestsOwnFailureStaysPrimaryWithTheLeakSuppressed() {
        EngineExecutionResults results = run(FailsAndLeaks.class, Map.of());

        results.testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("failsAndLeaks"),
                                finishedWithFailure(
                                        instanceOf(IllegalStateException.class), message("the test's own failure"))));
        Throwable thrown = failures(results).get(0);
        assertThat(thrown.getSuppressed())
                .singleElement()
                .isInstanceOf(AssertionError.class)
                .extracting(Throwable::getMessage)
                .asString()
                .contains("\"leaky-and-failing\" #");
    }

    @Test
    void ignoredNamesMayBeLeftRunning() {
        run(LeaksAnIgnoredThread.class, Map.of())
                .testEvents()
                .assertStatistics(s -> s.started(1).succeeded(1));
        // the same pattern from the configuration key
        run(Leaking.class, Map.of("jprof.threads.leaks.ignore", "nothing-else, leaky-.*"))
                .testEvents()
                .assertStatistics(s -> s.started(1).succeeded(1));
    }

    @Test
    void warnOnlyWarnsWithTheSameMessageAsAReportEntry() {
        EngineExecutionResults results = run(Leaking.class, Map.of("jprof.threads.leaks", "warn"));

        results.testEvents().assertStatistics(s -> s.started(1).succeeded(1).failed(0));
        List<String> entries = results.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getPayload(ReportEntry.class)
                        .orElseThrow()
                        .getKeyValuePairs()
                        .get("jprof.threads.leaks"))
                .toList();
        assertThat(entries)
                .singleElement()
                .asString()
                .startsWith("[" + Leaking.class.getName()
                        + " › leaksAThread()] left 1 thread running 100ms after it ended:")
                .contains("\"leaky-worker\" #");
    }

    @Test
    void theConfigurationKeyChecksEveryTestTheExtensionSees() {
        // without the annotation and without auto-detection the extension does not see the test
        run(NoAnnotation.class, Map.of("jprof.threads.leaks", "fail"))
                .testEvents()
                .assertStatistics(s -> s.succeeded(1));

        EngineExecutionResults results = run(
                NoAnnotation.class,
                Map.of(
                        "jprof.threads.leaks",
                        "fail",
                        "jprof.threads.leaks.grace",
                        "50ms",
                        "junit.jupiter.extensions.autodetection.enabled",
                        "true"));

        results.testEvents().assertStatistics(s -> s.started(1).failed(1));
        assertThat(failure(results))
                .startsWith(
                        "[" + NoAnnotation.class.getName()
                                + " › leaksWithoutAnnotation()] left 1 thread running 50ms after it ended:\n\n\"unannotated-leak\" #");
    }

    @Test
    void threadsStartedInBeforeEachAndJoinedInAfterEachAreNoLeak() {
        run(StartsInBeforeEachStopsInAfterEach.class, Map.of())
                .testEvents()
                .assertStatistics(s -> s.started(1).succeeded(1));
    }

    @Test
    void badSettingsNameTheKey() {
        EngineExecutionResults results = run(Leaking.class, Map.of("jprof.threads.leaks", "sometimes"));
        assertThat(failure(results)).isEqualTo("Invalid jprof.threads.leaks [sometimes]: expected fail or warn");
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need JDK 21")
    void aLeakedVirtualThreadIsNamedWithItsStackNow() {
        EngineExecutionResults results = run(LeaksAVirtualThread.class, Map.of());

        results.testEvents().assertStatistics(s -> s.started(1).failed(1));
        assertThat(failure(results))
                .containsPattern(
                        "left 1 thread running 100ms after it ended:\n\n\"\" #\\d+ WAITING \\(virtual\\)\n  stack now:\n")
                .containsPattern(
                        "    at dev\\.jprof\\.junit\\.ThreadLeakTest\\.awaitRelease\\(ThreadLeakTest\\.java:\\d+\\)\n")
                .contains("  started at:\n    (not recorded: the JDK records no starter's stack for a virtual thread;"
                        + " its stack now begins with its task)\n");
    }
}
