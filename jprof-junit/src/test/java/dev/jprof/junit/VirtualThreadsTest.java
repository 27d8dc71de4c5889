package dev.jprof.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.internal.Json;
import dev.jprof.profile.Profile;
import dev.jprof.profile.Sample;
import dev.jprof.testing.GoPprof;
import dev.jprof.threads.ThreadDump;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * Tests that use virtual threads (JDK 21+): profiles, traces and thread dumps. The sources are compiled
 * with {@code --release 17}, so virtual threads are started by reflection ({@link #startVirtual}).
 */
@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need JDK 21+")
class VirtualThreadsTest extends EngineTestKitBase {

    /** Starts a virtual thread named {@code name}: {@code Thread.ofVirtual().name(name).start(task)}. */
    static Thread startVirtual(String name, Runnable task) {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            builder = ofVirtual.getMethod("name", String.class).invoke(builder, name);
            return (Thread) ofVirtual.getMethod("start", Runnable.class).invoke(builder, task);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("No virtual threads on this JDK", e);
        }
    }

    /** A class whose initializer sleeps: a virtual thread initializing it is pinned to its carrier while it sleeps. */
    static final class SlowInit {
        static final long READY;

        static {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            READY = System.nanoTime();
        }
    }

    static class Virtual {
        @Test
        @ProfileCpu
        @Trace
        void burnsAndPinsInVirtualThreads() throws InterruptedException {
            Thread burner = startVirtual("vt-burner", () -> Burn.burnA(800));
            burner.join();
            Thread pinned = startVirtual("vt-pinned", () -> Burn.sink = SlowInit.READY);
            pinned.join();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void withTheJdkEngineAVirtualThreadsSamplesCarryItsNameAndPinningShowsInTheTrace() throws IOException {
        // async-profiler samples OS threads, the carriers; the JDK's sampler attributes samples to the virtual thread
        run(Virtual.class, Map.of("jprof.engine", "jfr"))
                .testEvents()
                .assertStatistics(s -> s.started(1).succeeded(1));
        Path dir = folder(Virtual.class, "burnsAndPinsInVirtualThreads()");
        Profile cpu = Artifacts.read(dir.resolve("cpu.pb.gz"));
        List<String> threads = cpu.samples().stream()
                .filter(s -> s.stack().stream().anyMatch(f -> f.function().endsWith("Burn.burnA")))
                .map(s -> s.label(Sample.THREAD_LABEL))
                .distinct()
                .toList();
        assertThat(threads).as("threads of the burner's samples").containsExactly("vt-burner");
        GoPprof.Result top = GoPprof.run(
                "-top",
                "-cum",
                "-tagfocus=thread=vt-burner",
                dir.resolve("cpu.pb.gz").toString());
        assertThat(top.exitCode()).as(top.stderr()).isZero();
        assertThat(GoPprof.parseTop(top.stdout()).keySet()).anyMatch(f -> f.endsWith("Burn.burnA"));

        Map<String, Object> root = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("trace.json")));
        List<Map<String, Object>> events = (List<Map<String, Object>>) root.get("traceEvents");
        Object pinnedTid = events.stream()
                .filter(e -> e.get("name").equals("thread_name")
                        && String.valueOf(((Map<?, ?>) e.get("args")).get("name"))
                                .startsWith("vt-pinned"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no track of vt-pinned in " + events))
                .get("tid");
        assertThat(events)
                .filteredOn(e -> e.get("name").equals("pinned") && e.get("tid").equals(pinnedTid))
                .isNotEmpty()
                .allSatisfy(e -> assertThat(String.valueOf(((Map<?, ?>) e.get("args")).get("stack")))
                        .contains("SlowInit"));
    }

    static final CountDownLatch RELEASE = new CountDownLatch(1);

    static class Dumped {
        @Test
        @DumpThreads
        void failsWhileAVirtualThreadWaits() throws InterruptedException {
            CountDownLatch started = new CountDownLatch(1);
            startVirtual("vt-waiter", () -> {
                started.countDown();
                waitForRelease();
            });
            started.await();
            throw new AssertionError("fails while vt-waiter waits");
        }

        static void waitForRelease() {
            try {
                RELEASE.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void threadDumpsListVirtualThreadsWithTheirStacks() throws IOException {
        try {
            run(Dumped.class, Map.of())
                    .testEvents()
                    .assertStatistics(s -> s.started(1).failed(1));
        } finally {
            RELEASE.countDown();
        }
        Path dir = folder(Dumped.class, "failsWhileAVirtualThreadWaits()");
        String text = Files.readString(dir.resolve("threads.txt"));
        assertThat(text)
                .containsPattern("\"vt-waiter\" #\\d+ virtual")
                .contains("VirtualThreadsTest$Dumped.waitForRelease(VirtualThreadsTest.java:");
        Profile threads = Artifacts.read(dir.resolve("threads.pb.gz"));
        assertThat(threads.samples())
                .filteredOn(s -> "vt-waiter".equals(s.label(Sample.THREAD_LABEL)))
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.label(ThreadDump.VIRTUAL_LABEL)).isEqualTo("true");
                    assertThat(s.stack())
                            .anyMatch(f -> f.function().endsWith("VirtualThreadsTest$Dumped.waitForRelease"));
                });
    }

    static volatile Object keep;

    static class Allocating {
        @Test
        @AllocationLimit(bytes = 1_000_000)
        void allocatesInAVirtualThread() throws InterruptedException {
            startVirtual("vt-allocator", () -> {
                        for (int i = 0; i < 64; i++) {
                            keep = new byte[64 * 1024]; // 4 MiB in all
                        }
                    })
                    .join();
        }
    }

    @Test
    void allocationLimitsCountWhatTheTestsVirtualThreadsAllocate() {
        // twice: the first run may create the scheduler's carrier threads, the second finds them running
        for (int run = 0; run < 2; run++) {
            var results = run(Allocating.class, Map.of());
            results.testEvents().assertStatistics(s -> s.started(1).failed(1));
            Throwable failure = results.testEvents().failed().stream()
                    .findFirst()
                    .orElseThrow()
                    .getPayload(org.junit.platform.engine.TestExecutionResult.class)
                    .orElseThrow()
                    .getThrowable()
                    .orElseThrow();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("but it allocated (\\d+) B/op")
                    .matcher(failure.getMessage());
            assertThat(m.find()).as(failure.getMessage()).isTrue();
            assertThat(Long.parseLong(m.group(1)))
                    .as("run %d: %s", run, failure.getMessage())
                    .isGreaterThanOrEqualTo(64 * 64 * 1024);
            assertThat(failure.getMessage()).containsPattern("counted threads: .*ForkJoinPool-\\d+-worker-");
        }
    }
}
