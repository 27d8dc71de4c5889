package dev.jprof.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.jprof.internal.Json;
import dev.jprof.profile.Profile;
import dev.jprof.testing.GoPprof;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/** {@code jprof.flight=on}: the last seconds of the run, written into the folder of each test that fails, and only then. */
class FlightRecorderTest {

    @TempDir
    Path out;

    static volatile long sink;

    /** A fixed amount of CPU work in a function of its own. */
    static void burnBeforeFailing() {
        long x = 11;
        for (long i = 0; i < 600_000_000L; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            x ^= x >>> 29; // JDK 25's C2 folds a bare x * a + b loop (see dev.jprof.testing.CpuWork)
        }
        sink = x;
    }

    static void stuckInSleep() throws InterruptedException {
        Thread.sleep(60_000);
    }

    static class Fixture {
        @Test
        void passes() {
            sink++;
        }

        @Test
        void fails() {
            burnBeforeFailing();
            throw new IllegalStateException("failed after burning CPU");
        }

        @Test
        @Timeout(value = 800, unit = TimeUnit.MILLISECONDS)
        void timesOut() throws InterruptedException {
            stuckInSleep();
        }
    }

    static void sleepsBeforeFailing() throws InterruptedException {
        Thread.sleep(300);
    }

    /** A traced test, then one that fails on the same thread: the flight files are the last seconds, not the trace's window. */
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class TracedThenFails {
        @Test
        @Order(1)
        @Trace
        void traced() throws InterruptedException {
            Thread.sleep(50);
        }

        @Test
        @Order(2)
        void fails() throws InterruptedException {
            sleepsBeforeFailing();
            throw new IllegalStateException("failed after sleeping");
        }
    }

    @SuppressWarnings("unchecked")
    @Test
    void theFlightTimelineIsTheLastSecondsEvenWhenATracedTestRanMeanwhile() throws Exception {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(TracedThenFails.class))
                .configurationParameter("jprof.output.dir", out.toString())
                .configurationParameter("jprof.flight", "on")
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, listener);
        assertThat(listener.getSummary().getTestsFailedCount()).isEqualTo(1);

        Path fails = out.resolve(TracedThenFails.class.getName()).resolve("fails()");
        Map<String, Object> trace = (Map<String, Object>) Json.parse(Files.readString(fails.resolve("flight.json")));
        List<Map<String, Object>> events = (List<Map<String, Object>>) trace.get("traceEvents");
        assertThat(events)
                .anyMatch(e -> "sleeping".equals(e.get("name"))
                        && String.valueOf(e.get("args")).contains("sleepsBeforeFailing"));
        assertThat(out.resolve(TracedThenFails.class.getName())
                        .resolve("traced()")
                        .resolve("trace.json"))
                .isRegularFile();
    }

    private Path run(Map<String, String> config) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(Fixture.class))
                .configurationParameter("jprof.output.dir", out.toString())
                .configurationParameters(config)
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, listener);
        assertThat(listener.getSummary().getTestsSucceededCount()).isEqualTo(1);
        assertThat(listener.getSummary().getTestsFailedCount()).isEqualTo(2);
        return out.resolve(Fixture.class.getName());
    }

    @SuppressWarnings("unchecked")
    @Test
    void aFailingOrTimedOutTestGetsTheLastSecondsOfTheRunAndAPassingOneNothing() throws Exception {
        Path tests = run(Map.of("jprof.flight", "on"));

        assertThat(tests.resolve("passes()")).doesNotExist();
        // the recording: CPU samples of the burning test, the sleep of the stuck one
        Map<String, String> expectedEvent = Map.of("fails()", "jdk.ExecutionSample", "timesOut()", "jdk.ThreadSleep");
        for (String failed : List.of("fails()", "timesOut()")) {
            Path dir = tests.resolve(failed);
            assertThat(dir.resolve("flight.jfr")).as(failed).isRegularFile();
            assertThat(RecordingFile.readAllEvents(dir.resolve("flight.jfr")))
                    .as(failed)
                    .anyMatch(e -> e.getEventType().getName().equals(expectedEvent.get(failed)));
            assertThat(dir.resolve("flight.json")).isRegularFile();
            assertThat(dir.resolve("flight-cpu.pb.gz")).isRegularFile();
            assertThat(dir.toFile().list()).containsExactlyInAnyOrder("flight.jfr", "flight.json", "flight-cpu.pb.gz");
        }

        // what the failing test did before it failed: its CPU samples, with the test's thread, which go tool pprof
        // reads
        Path fails = tests.resolve("fails()");
        Profile cpu = Artifacts.read(fails.resolve("flight-cpu.pb.gz"));
        assertThat(Artifacts.valueIn(cpu, 1, "FlightRecorderTest.burnBeforeFailing"))
                .isPositive();
        assertThat(cpu.samples())
                .anyMatch(s -> s.stack().get(0).function().endsWith("burnBeforeFailing")
                        && Thread.currentThread().getName().equals(s.label("thread")));
        if (GoPprof.findGo().isPresent()) {
            GoPprof.Result top =
                    GoPprof.run("-top", fails.resolve("flight-cpu.pb.gz").toString());
            assertThat(top.exitCode()).as(top.toString()).isZero();
            assertThat(top.stdout()).contains("dev.jprof.junit.FlightRecorderTest.burnBeforeFailing");
        }

        // where the timed-out test was stuck: a sleeping slice with its stack on the test's thread
        Map<String, Object> trace = (Map<String, Object>)
                Json.parse(Files.readString(tests.resolve("timesOut()").resolve("flight.json")));
        List<Map<String, Object>> events = (List<Map<String, Object>>) trace.get("traceEvents");
        assertThat(events)
                .anyMatch(e -> "sleeping".equals(e.get("name"))
                        && String.valueOf(e.get("args")).contains("stuckInSleep"));
    }

    @Test
    void offByDefault() throws Exception {
        Path tests = run(Map.of());
        assertThat(tests).doesNotExist();
    }
}
