package dev.jprof.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.jprof.internal.Json;
import dev.jprof.profile.Profile;
import dev.jprof.testing.GoPprof;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TraceExtensionTest extends EngineTestKitBase {

    static final class Account {}

    /** Two threads contend on an Account's monitor: "holder" holds it 200 ms, "waiter" waits. */
    static long contend() throws InterruptedException {
        Account account = new Account();
        CountDownLatch held = new CountDownLatch(1);
        Thread holder = new Thread(
                () -> {
                    synchronized (account) {
                        held.countDown();
                        sleep(200);
                    }
                },
                "holder");
        long[] waited = new long[1];
        Thread waiter = new Thread(
                () -> {
                    try {
                        held.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    long t0 = System.nanoTime();
                    enter(account);
                    waited[0] = System.nanoTime() - t0;
                },
                "waiter");
        holder.start();
        waiter.start();
        holder.join();
        waiter.join();
        return waited[0];
    }

    static void enter(Account account) {
        synchronized (account) {
            account.notifyAll();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static long measured;

    static class Traced {
        @BeforeEach
        void setUp() {
            sleep(30);
        }

        @Test
        @Trace
        void contends() throws InterruptedException {
            measured = contend();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void traceJsonShowsTheBlockedSliceOnTheWaitingThread() throws IOException {
        run(Traced.class, Map.of())
                .testEvents()
                .assertStatistics(s -> s.started(1).succeeded(1));
        Path dir = folder(Traced.class, "contends()");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("trace.jfr", "trace.json", "summary.json");
        }
        // trace.jfr is readable by others like every other artifact (JFR writes its recordings 0600)
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            for (String name : List.of("trace.jfr", "trace.json", "summary.json")) {
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                                Files.getPosixFilePermissions(dir.resolve(name))))
                        .as(name)
                        .isEqualTo("rw-r--r--");
            }
        }
        Map<String, Object> root = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("trace.json")));
        List<Map<String, Object>> events = (List<Map<String, Object>>) root.get("traceEvents");
        assertThat(events).allSatisfy(e -> assertThat(e).containsKeys("name", "ph", "ts", "pid", "tid"));
        Object waiterTid = events.stream()
                .filter(e -> e.get("name").equals("thread_name")
                        && ((Map<?, ?>) e.get("args")).get("name").equals("waiter"))
                .findFirst()
                .orElseThrow()
                .get("tid");
        List<Map<String, Object>> blocked = events.stream()
                .filter(e -> e.get("name").equals("blocked")
                        && Account.class.getName().equals(((Map<?, ?>) e.get("args")).get("detail")))
                .toList();
        assertThat(blocked).singleElement().satisfies(e -> {
            assertThat(e.get("tid")).isEqualTo(waiterTid);
            // µs; within 20 ms of what the waiter measured around its synchronized block
            assertThat(((Number) e.get("dur")).doubleValue()).isCloseTo(measured / 1e3, within(20_000.0));
        });
        assertThat(measured).isGreaterThan(150_000_000L);
        // the test's span: the test method only, not @BeforeEach's 30 ms sleep
        assertThat(events)
                .filteredOn(e -> e.get("name").equals("sleeping"))
                .noneMatch(e -> ((List<?>) ((Map<?, ?>) e.get("args")).get("stack"))
                        .toString()
                        .contains("setUp"));
        assertThat(events)
                .filteredOn(e -> e.get("name").toString().endsWith("contends()")
                        && e.get("ph").equals("X"))
                .hasSize(1);
        // JMC opens trace.jfr: it is a JFR recording with the trace's own event and the monitor enter
        List<String> types = RecordingFile.readAllEvents(dir.resolve("trace.jfr")).stream()
                .map(RecordedEvent::getEventType)
                .map(t -> t.getName())
                .distinct()
                .toList();
        assertThat(types).contains("dev.jprof.Trace", "jdk.JavaMonitorEnter", "jdk.ThreadSleep");
    }

    static class Blocking {
        @Test
        @ProfileBlock
        @ProfileLock
        void blocksAndLocks() throws InterruptedException {
            contend();
            CountDownLatch latch = new CountDownLatch(1);
            new Thread(
                            () -> {
                                sleep(100);
                                latch.countDown();
                            },
                            "opener")
                    .start();
            awaitLatch(latch);
            sleep(50);
        }

        static void awaitLatch(CountDownLatch latch) throws InterruptedException {
            latch.await();
        }
    }

    @Test
    void blockProfileHasEveryWaitLockProfileOnlyLocks() throws IOException {
        run(Blocking.class, Map.of("jprof.engine", "jfr"))
                .testEvents()
                .assertStatistics(s -> s.started(1).succeeded(1));
        Path dir = folder(Blocking.class, "blocksAndLocks()");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("block.pb.gz", "block.html", "lock.pb.gz", "lock.html", "summary.json");
        }
        Profile block = Artifacts.read(dir.resolve("block.pb.gz"));
        Profile lock = Artifacts.read(dir.resolve("lock.pb.gz"));
        assertThat(block.sampleTypes())
                .extracting(Object::toString)
                .containsExactly("contentions/count", "delay/nanoseconds");
        assertThat(Artifacts.valueIn(block, 1, "TraceExtensionTest.enter")).isGreaterThan(100_000_000L);
        assertThat(Artifacts.valueIn(block, 1, "Blocking.awaitLatch")).isGreaterThan(50_000_000L);
        assertThat(Artifacts.valueIn(block, 1, "java.lang.Thread.sleep")).isZero();
        assertThat(Artifacts.valueIn(lock, 1, "TraceExtensionTest.enter")).isGreaterThan(100_000_000L);
        assertThat(Artifacts.valueIn(lock, 1, "Blocking.awaitLatch")).isZero();
        GoPprof.Result r = GoPprof.run(
                "-top", "-sample_index=delay", dir.resolve("block.pb.gz").toString());
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stdout()).contains("Type: delay", "TraceExtensionTest.enter");
    }

    static class BadInterval {
        @Test
        @Trace(interval = "0.1ms")
        void tooOften() {}
    }

    @Test
    void invalidIntervalNamesTheAnnotationAndTheMethod() {
        run(BadInterval.class, Map.of())
                .testEvents()
                .assertStatistics(s -> s.started(1).failed(1))
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("tooOften"),
                                finishedWithFailure(message(
                                        m -> m.contains("@Trace on [" + BadInterval.class.getName() + ".tooOften()]")
                                                && m.contains("at most every 1ms")))));
    }

    @Test
    void disabledWritesNothing() {
        run(Traced.class, Map.of("jprof.enabled", "false")).testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(out.resolve(Traced.class.getName())).doesNotExist();
    }
}
