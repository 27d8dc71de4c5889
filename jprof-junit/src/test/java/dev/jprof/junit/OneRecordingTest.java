package dev.jprof.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.jprof.capture.internal.Recorder;
import dev.jprof.internal.Json;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import dev.jprof.profile.Sample;
import dev.jprof.testing.GoPprof;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/** The JVM's one recording, cut into per-test profiles: every kind at once, parallel tests, JVM threads, whole suites. */
class OneRecordingTest extends EngineTestKitBase {

    // --- every kind on one test ---------------------------------------------------------------------

    static final Map<String, Long> BODY_NANOS = new ConcurrentHashMap<>();

    static class EveryKind {
        @Test
        @Trace
        @ProfileCpu
        @ProfileWall
        @ProfileLock
        @ProfileBlock
        void everything() throws InterruptedException {
            long start = System.nanoTime();
            Object monitor = new Object();
            CountDownLatch held = new CountDownLatch(1);
            Thread holder = new Thread(
                    () -> {
                        synchronized (monitor) {
                            held.countDown();
                            Burn.burnB(150);
                        }
                    },
                    "holder");
            holder.start();
            held.await();
            synchronized (monitor) {
                Burn.burnA(100);
            }
            holder.join();
            Thread.sleep(50);
            BODY_NANOS.put("everything", System.nanoTime() - start);
        }
    }

    @Test
    void everyKindOnOneTestHoldsNoneOfTheRecordersOwnWork() throws Exception {
        run(EveryKind.class, Map.of())
                .testEvents()
                .assertStatistics(s -> s.started(1).succeeded(1));
        Path dir = folder(EveryKind.class, "everything()");
        long body = BODY_NANOS.get("everything");
        for (String kind : List.of("cpu", "wall", "lock", "block")) {
            Profile p = Artifacts.read(dir.resolve(kind + ".pb.gz"));
            assertThat(p.frames())
                    .as(kind)
                    .noneMatch(f -> f.function().startsWith("jdk.jfr")
                            || f.function().startsWith("one.profiler")
                            || f.function().startsWith("dev.jprof.capture"));
            assertThat(p.samples())
                    .as(kind)
                    .noneMatch(s -> String.valueOf(s.label(Sample.THREAD_LABEL)).startsWith("JFR ")
                            || String.valueOf(s.label(Sample.THREAD_LABEL)).startsWith("C2 CompilerThre"));
            assertThat((double) p.durationNanos())
                    .as("%s lasts as long as the test body (%d ns)", kind, body)
                    .isBetween(body * 0.9, body * 1.1);
        }
        assertThat(Artifacts.valueIn(Artifacts.read(dir.resolve("cpu.pb.gz")), 1, "Burn.burnA"))
                .isPositive();
        Profile lock = Artifacts.read(dir.resolve("lock.pb.gz"));
        assertThat(Artifacts.valueIn(lock, 1, "OneRecordingTest$EveryKind.everything"))
                .as("%s in %s", lock.samples(), Files.readString(dir.resolve("summary.json")))
                .isGreaterThan(50_000_000L);
        assertThat(Files.readString(dir.resolve("trace.json")))
                .contains("\"holder\"")
                .doesNotContain("JFR Periodic Tasks");
    }

    // --- parallel execution -------------------------------------------------------------------------

    static final Map<String, long[]> SPANS = new ConcurrentHashMap<>();

    static class FourAtOnce {
        static final CountDownLatch ALL_STARTED = new CountDownLatch(4);

        static void together(String name, Runnable burn) throws InterruptedException {
            ALL_STARTED.countDown();
            ALL_STARTED.await(10, TimeUnit.SECONDS);
            long start = System.nanoTime();
            burn.run();
            SPANS.put(name, new long[] {start, System.nanoTime()});
        }

        @Test
        @ProfileCpu
        void a() throws InterruptedException {
            together("a", () -> Burn.burnA(400));
        }

        @Test
        @ProfileCpu
        void b() throws InterruptedException {
            together("b", () -> Burn.burnB(400));
        }

        @Test
        @ProfileCpu
        void c() throws InterruptedException {
            together("c", () -> Burn.burnC(400));
        }

        @Test
        @ProfileCpu
        void d() throws InterruptedException {
            together("d", () -> Burn.burnD(400));
        }

        @Test
        void unprofiled() {
            Burn.inTestBody(400);
        }
    }

    @Test
    void underParallelExecutionFourProfiledTestsRunAtOnceAndEachHoldsOnlyItsOwnWork() {
        run(FourAtOnce.class, parallel(5))
                .testEvents()
                .assertStatistics(s -> s.started(5).succeeded(5));
        // no lock: all four burned at the same time
        long latestStart = SPANS.values().stream().mapToLong(s -> s[0]).max().orElseThrow();
        long earliestEnd = SPANS.values().stream().mapToLong(s -> s[1]).min().orElseThrow();
        assertThat(latestStart).as("the four tests overlap").isLessThan(earliestEnd);
        Map<String, String> own = Map.of("a", "Burn.burnA", "b", "Burn.burnB", "c", "Burn.burnC", "d", "Burn.burnD");
        for (Map.Entry<String, String> test : own.entrySet()) {
            Profile p = Artifacts.read(
                    folder(FourAtOnce.class, test.getKey() + "()").resolve("cpu.pb.gz"));
            assertThat(Artifacts.valueIn(p, 1, test.getValue()))
                    .as(test.getKey())
                    .isPositive();
            for (String other : own.values()) {
                if (!other.equals(test.getValue())) {
                    assertThat(Artifacts.valueIn(p, 1, other))
                            .as("%s holds %s", test.getKey(), other)
                            .isZero();
                }
            }
            assertThat(Artifacts.valueIn(p, 1, "Burn.inTestBody"))
                    .as(test.getKey())
                    .isZero();
        }
    }

    // --- the JVM's own threads ----------------------------------------------------------------------

    static volatile Object keep;

    static class CollectsGarbage {
        @Test
        @ProfileCpu
        void collects() {
            List<byte[]> live = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                live.add(new byte[100_000]);
            }
            keep = live;
            for (int i = 0; i < 8; i++) {
                System.gc();
            }
            Burn.inTestBody(20);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theJvmsThreadsAreLeftOutAndCountedApartUnlessAllThreadsAreAsked() throws Exception {
        run(CollectsGarbage.class, Map.of()).testEvents().assertStatistics(s -> s.succeeded(1));
        Path dir = folder(CollectsGarbage.class, "collects()");
        Profile test = Artifacts.read(dir.resolve("cpu.pb.gz"));
        assertThat(test.samples())
                .allSatisfy(
                        s -> assertThat(jvmThread(s.label(Sample.THREAD_LABEL))).isFalse());
        Map<String, Object> summary = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("summary.json")));
        Map<String, Object> cpu = (Map<String, Object>) ((Map<String, Object>) summary.get("profiles")).get("cpu");
        assertThat(((Number) cpu.get("jvm")).longValue())
                .as("the garbage collectors' CPU time, counted apart")
                .isPositive();

        Path all = out.resolve("all");
        run(all, CollectsGarbage.class, Map.of("jprof.threads", "all"))
                .testEvents()
                .assertStatistics(s -> s.succeeded(1));
        Profile everything = Artifacts.read(all.resolve(CollectsGarbage.class.getName())
                .resolve("collects()")
                .resolve("cpu.pb.gz"));
        assertThat(everything.samples()).anyMatch(s -> jvmThread(s.label(Sample.THREAD_LABEL)));
    }

    private static boolean jvmThread(String name) {
        return name == null
                || name.isEmpty()
                || name.startsWith("GC Thread")
                || name.startsWith("G1 ")
                || name.equals("VM Thread")
                || name.contains("CompilerThre")
                || name.startsWith("VM Periodic")
                || name.startsWith("JFR "); // native names are cut at 15 characters
    }

    // --- a whole suite, no annotation -----------------------------------------------------------------

    static class Unannotated {
        @Test
        void parses() {
            Burn.burnA(150);
        }

        @Test
        void routes() {
            Burn.burnB(150);
        }

        @Test
        void reports() {
            Burn.burnC(150);
        }
    }

    @Test
    void jprofProfileProfilesEveryTestWithNoAnnotationAndWritesTheSuiteProfile() throws Exception {
        Path suiteOut = out.resolve("suite-run");
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(Unannotated.class))
                .configurationParameter("jprof.profile", "cpu")
                .configurationParameter("jprof.output.dir", suiteOut.toString())
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, listener);
        assertThat(listener.getSummary().getTestsSucceededCount()).isEqualTo(3);
        Map<String, String> burners =
                Map.of("parses()", "Burn.burnA", "routes()", "Burn.burnB", "reports()", "Burn.burnC");
        for (Map.Entry<String, String> t : burners.entrySet()) {
            Profile p = Artifacts.read(suiteOut.resolve(Unannotated.class.getName())
                    .resolve(t.getKey())
                    .resolve("cpu.pb.gz"));
            assertThat(Artifacts.valueIn(p, 1, t.getValue())).as(t.getKey()).isPositive();
            assertThat(suiteOut.resolve(Unannotated.class.getName())
                            .resolve(t.getKey())
                            .resolve("summary.json"))
                    .isRegularFile();
        }
        Path suite = suiteOut.resolve("suite").resolve("cpu.pb.gz");
        Profile whole = Artifacts.read(suite);
        Map<String, Long> byTest = new HashMap<>();
        whole.samples().forEach(s -> byTest.merge(String.valueOf(s.label("test")), s.value(1), Long::sum));
        assertThat(byTest.keySet()).contains(Unannotated.class.getName() + " › routes()");
        assertThat(suiteOut.resolve("suite").resolve("cpu.html")).isRegularFile();
        assertThat(suiteOut.resolve("index.html")).isRegularFile();

        GoPprof.Result top = GoPprof.run("-top", "-tagfocus=test=routes", suite.toString());
        assertThat(top.exitCode()).as("%s", top).isZero();
        String first = GoPprof.parseTop(top.stdout()).keySet().iterator().next();
        assertThat(first).as(top.stdout()).endsWith("Burn.spin");
        assertThat(top.stdout()).contains("Burn.burnB").doesNotContain("Burn.burnA", "Burn.burnC");
    }

    // --- kinds no test needs any more are dropped ------------------------------------------------------

    static final Map<String, java.util.Set<ProfileKind>> RECORDED = new ConcurrentHashMap<>();

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class KindsDropped {
        @Test
        @Order(1)
        @ProfileAlloc
        void allocates() {
            RECORDED.put("allocates", Recorder.get().recording());
        }

        /** Longer than the 2 s a kind is kept after the last window that needed it. */
        @Test
        @Order(2)
        void waits() throws InterruptedException {
            Thread.sleep(2_200);
        }

        @Test
        @Order(3)
        void after() {
            RECORDED.put("after", Recorder.get().recording());
        }
    }

    /**
     * A kind that only one test asked for stops being recorded (it costs every thread something) at the
     * first moment between tests once no window has needed it for 2 s; what the whole suite profiles
     * keeps running.
     */
    @Test
    void aKindNoTestNeedsAnyMoreIsDroppedBetweenTests() {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(KindsDropped.class))
                .configurationParameter("jprof.profile", "cpu")
                .configurationParameter("jprof.output.dir", out.toString())
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, listener);
        assertThat(listener.getSummary().getTestsSucceededCount()).isEqualTo(3);
        assertThat(RECORDED.get("allocates")).contains(ProfileKind.CPU, ProfileKind.ALLOC);
        assertThat(RECORDED.get("after")).containsExactly(ProfileKind.CPU);
        assertThat(folder(KindsDropped.class, "allocates()").resolve("alloc.pb.gz"))
                .isRegularFile();
        assertThat(folder(KindsDropped.class, "after()").resolve("cpu.pb.gz")).isRegularFile();
    }
}
