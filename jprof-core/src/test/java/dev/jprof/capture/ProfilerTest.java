package dev.jprof.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jprof.profile.Frame;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import dev.jprof.profile.Sample;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProfilerTest {

    /** Share of value {@code index} whose stacks contain {@code function}. */
    static double share(Profile p, int index, String function) {
        long hit = 0;
        for (Sample s : p.samples()) {
            if (s.stack().stream().anyMatch(f -> f.function().equals(function))) {
                hit += s.value(index);
            }
        }
        long total = p.total(index);
        return total == 0 ? 0 : (double) hit / total;
    }

    static Profile onThread(Profile p, String thread) {
        Profile.Builder b = Profile.builder(p.sampleTypes());
        p.samples().stream()
                .filter(s -> thread.equals(s.label(Sample.THREAD_LABEL)))
                .forEach(s -> b.addSample(s.stack(), s.values(), s.labels()));
        return b.build();
    }

    /** The function with the largest flat value, as pprof -top lists first. */
    static String topFlat(Profile p, int index) {
        Map<String, Long> flat = new HashMap<>();
        p.samples().stream()
                .filter(s -> !s.stack().isEmpty())
                .forEach(s -> flat.merge(s.stack().get(0).function(), s.value(index), Long::sum));
        return flat.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .orElseThrow()
                .getKey();
    }

    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"ASYNC_PROFILER", "JFR"})
    void cpuProfileShowsTheHotMethod(Engine engine) throws Throwable {
        CaptureResult r = Profiler.profile(
                ProfileOptions.of(ProfileKind.CPU).withEngine(engine),
                () -> Workloads.spinCpuTime(300)); // 300 ms on a core, also when other processes share the cores
        Profile cpu = r.profile(ProfileKind.CPU);
        assertThat(cpu.sampleTypes()).extracting(Object::toString).containsExactly("samples/count", "cpu/nanoseconds");
        assertThat(cpu.samples()).hasSizeGreaterThan(20);
        // JIT and GC threads are in the profile too; on the test's own thread the hot method dominates
        Profile mine = onThread(cpu, Thread.currentThread().getName());
        assertThat(share(mine, 1, "dev.jprof.capture.Workloads.spinCpuTime")).isGreaterThan(0.9);
        assertThat(topFlat(cpu, 1)).isEqualTo("dev.jprof.capture.Workloads.spinCpuTime");
        assertThat(r.engine()).startsWith(engine.id());
        assertThat(cpu.comments()).contains("engine=" + r.engine());
        Frame spin = cpu.frames().stream()
                .filter(f -> f.function().endsWith("spinCpuTime"))
                .findFirst()
                .orElseThrow();
        assertThat(spin.file()).isEqualTo("dev/jprof/capture/Workloads.java");
        assertThat(spin.line()).isPositive();
        assertThat(cpu.samples()).anyMatch(s -> Thread.currentThread().getName().equals(s.label(Sample.THREAD_LABEL)));
        assertThat(cpu.durationNanos())
                .isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
    }

    @Test
    void asyncProfilerReportsTheCpuEngineThatRan() throws Throwable {
        CaptureResult r = Profiler.profile(ProfileOptions.of(ProfileKind.CPU), () -> Workloads.spinCpu(20));
        assertThat(r.engine()).matches("async-profiler/(perf_events|ctimer|itimer)");
    }

    /** Linux's default is a CPU-time timer per thread (about a quarter of perf events' cost per sample). */
    @Test
    @org.junit.jupiter.api.condition.EnabledOnOs(org.junit.jupiter.api.condition.OS.LINUX)
    void onLinuxTheDefaultCpuEngineIsCtimer() throws Throwable {
        CaptureResult r = Profiler.profile(ProfileOptions.of(ProfileKind.CPU), () -> Workloads.spinCpu(20));
        assertThat(r.engine()).isEqualTo("async-profiler/ctimer");
        assertThat(r.profile(ProfileKind.CPU).comments()).contains("engine=async-profiler/ctimer");
    }

    /**
     * Timer engines fire at most once per kernel tick (4 ms with HZ=250), whatever the interval; the
     * profile's CPU time must still match the CPU time the thread really used.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"cpu", "ctimer", "itimer"})
    void cpuTimeOfTheTestThreadIsRightWhateverTheEvent(String event) throws Throwable {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadCpuTime();
        CaptureResult r = Profiler.profile(
                ProfileOptions.of(ProfileKind.CPU).withCpuEvent(event), () -> Workloads.spinCpuTime(300));
        long used = mx.getCurrentThreadCpuTime() - before;
        Profile mine =
                onThread(r.profile(ProfileKind.CPU), Thread.currentThread().getName());
        // uncalibrated timer engines are off by 4x here; on a heavily loaded machine even perf events
        // lose some samples, hence the wide band
        assertThat((double) mine.total(1) / used)
                .as("profiled / measured CPU time with %s (%s)", event, r.engine())
                .isBetween(0.5, 1.5);
    }

    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"ASYNC_PROFILER", "JFR"})
    void allocationProfileShowsTheAllocatingMethodAndClass(Engine engine) throws Throwable {
        CaptureResult r = Profiler.profile(
                ProfileOptions.of(ProfileKind.ALLOC).withEngine(engine).withAllocInterval(16 * 1024), () -> {
                    for (int i = 0; i < 20; i++) {
                        Workloads.allocateArrays(10_000, 1_000);
                    }
                });
        Profile alloc = r.profile(ProfileKind.ALLOC);
        assertThat(alloc.sampleTypes())
                .extracting(Object::toString)
                .containsExactly("alloc_objects/count", "alloc_space/bytes");
        assertThat(share(alloc, 1, "dev.jprof.capture.Workloads.allocateArrays"))
                .isGreaterThan(0.8);
        // 200 MB were allocated; sampled estimates must be of that order
        assertThat(alloc.total(1)).isBetween(50_000_000L, 800_000_000L);
        assertThat(alloc.samples()).anyMatch(s -> "byte[]".equals(s.label("class")));
    }

    @ParameterizedTest
    @EnumSource(
            value = Engine.class,
            names = {"ASYNC_PROFILER", "JFR"})
    void lockProfileShowsMonitorAndReentrantLockWaits(Engine engine) throws Throwable {
        CaptureResult r = Profiler.profile(ProfileOptions.of(ProfileKind.LOCK).withEngine(engine), () -> {
            Workloads.contendOnMonitor(100);
            Workloads.contendOnLock(100);
        });
        Profile lock = r.profile(ProfileKind.LOCK);
        assertThat(lock.sampleTypes())
                .extracting(Object::toString)
                .containsExactly("contentions/count", "delay/nanoseconds");
        Map<String, Long> delayByLock = new HashMap<>();
        lock.samples().forEach(s -> delayByLock.merge(String.valueOf(s.label("lock")), s.value(1), Long::sum));
        assertThat(delayByLock.get("java.lang.Object"))
                .as("monitor wait, by lock class: %s", delayByLock)
                .isBetween(
                        Duration.ofMillis(60).toNanos(), Duration.ofMillis(400).toNanos());
        assertThat(delayByLock.keySet()).anyMatch(k -> k.startsWith("java.util.concurrent.locks.ReentrantLock"));
        assertThat(share(lock, 1, "dev.jprof.capture.Workloads.enterMonitor")).isGreaterThan(0.2);
    }

    @Test
    void wallProfileShowsTheSleepingTestThreadButNotIdleJvmThreads() throws Throwable {
        String me = Thread.currentThread().getName();
        long[] wallNanos = new long[1];
        long[] spunNanos = new long[1];
        CaptureResult r = null;
        double spinShare = 0;
        // A thread that waits for a core receives one wall-clock signal however many intervals it waited (a
        // pending signal is not queued twice), so on a machine overloaded during the spin the sampler sees
        // less of it than its wall time. Such a run is not evidence either way: run the body again, up to
        // 3 times, as long as the spin took more than 1.5 times its CPU time; a spin the machine did not
        // stretch must show its share at once.
        for (int attempt = 1; attempt <= 3; attempt++) {
            r = Profiler.profile(ProfileOptions.of(ProfileKind.WALL, ProfileKind.CPU), () -> {
                // 200 ms of the thread's own CPU time, then a sleep 1.5 times as long as the spin took, so
                // that the wall time is 60% sleeping, 40% spinning however long the spin lasted
                long start = System.nanoTime();
                Workloads.spinCpuTime(200);
                spunNanos[0] = System.nanoTime() - start;
                Workloads.sleepFor(spunNanos[0] * 3 / 2 / 1_000_000);
                wallNanos[0] = System.nanoTime() - start;
            });
            spinShare = share(onThread(r.profile(ProfileKind.WALL), me), 1, "dev.jprof.capture.Workloads.spinCpuTime");
            if (spinShare > 0.25 || spunNanos[0] <= 300_000_000L) {
                break;
            }
        }
        Profile wall = r.profile(ProfileKind.WALL);
        Profile mine = onThread(wall, me);
        assertThat(share(mine, 1, "dev.jprof.capture.Workloads.sleepFor")).isGreaterThan(0.4); // 60% of the wall time
        assertThat(spinShare)
                .as(
                        "share of the spin (40%% of the wall time), which took %d ms for 200 ms of CPU",
                        spunNanos[0] / 1_000_000)
                .isGreaterThan(0.25);
        // the wall sampler is a thread too and samples less on a loaded machine
        assertThat(mine.total(1))
                .as("wall time of the body: %d ns", wallNanos[0])
                .isBetween(wallNanos[0] * 3 / 10, wallNanos[0] * 16 / 10);
        assertThat(wall.samples())
                .allSatisfy(s -> assertThat(s.label(Sample.THREAD_LABEL))
                        .isNotIn("Reference Handler", "Finalizer", "Signal Dispatcher"));
        assertThat(wall.samples())
                .as("JVM threads that run no Java code")
                .allSatisfy(s -> assertThat(s.stack()).anyMatch(f -> !f.file().isEmpty()));
        assertThat(wall.samples()).anyMatch(s -> me.equals(s.label(Sample.THREAD_LABEL)));
        // the CPU profile of the same session must not see the sleep
        assertThat(share(r.profile(ProfileKind.CPU), 1, "dev.jprof.capture.Workloads.sleepFor"))
                .isLessThan(0.05);
    }

    @Test
    void wallProfileLeavesOutPoolThreadsWaitingForWork() throws Throwable {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            pool.submit(() -> Workloads.spinCpu(5)).get(); // the workers exist, ran once, and now wait for work
            CaptureResult r = Profiler.profile(ProfileOptions.of(ProfileKind.WALL), () -> {
                pool.submit(() -> Workloads.spinCpuTime(50)).get(); // one of them runs during the capture
                Workloads.sleepFor(100);
            });
            Profile wall = r.profile(ProfileKind.WALL);
            assertThat(wall.samples())
                    .noneMatch(s -> s.stack().stream()
                            .anyMatch(f -> f.function().equals("java.util.concurrent.ThreadPoolExecutor.getTask")));
            assertThat(share(wall, 1, "dev.jprof.capture.Workloads.spinCpuTime"))
                    .as("the pool's real work stays")
                    .isPositive();
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void severalKindsInOneSession() throws Throwable {
        CaptureResult r = Profiler.profile(ProfileOptions.of(ProfileKind.values()), () -> Workloads.spinCpu(50));
        assertThat(r.profiles().keySet()).isEqualTo(EnumSet.allOf(ProfileKind.class));
    }

    @Test
    void sessionsAreExclusiveAndReleasedOnFailure() {
        assertThatThrownBy(() -> Profiler.profile(ProfileOptions.of(ProfileKind.CPU), () -> {
                    throw new IllegalStateException("boom");
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("boom");
        // the failed session released the profiler: another starts at once
        try (ProfilingSession s = Profiler.start(ProfileOptions.of(ProfileKind.CPU))) {
            assertThat(s.stop().profiles()).containsKey(ProfileKind.CPU);
        }
    }

    @Test
    void jprofsOwnWorkerThreadIsNeverInAProfile() throws Exception {
        ProfilingSession session = Profiler.start(ProfileOptions.of(ProfileKind.CPU, ProfileKind.ALLOC));
        java.util.concurrent.CompletableFuture<Void> busy = java.util.concurrent.CompletableFuture.runAsync(
                () -> {
                    Workloads.spinCpuTime(150);
                    Workloads.allocateArrays(100_000, 100);
                },
                dev.jprof.capture.internal.Background.executor());
        Workloads.spinCpuTime(150);
        busy.get();
        CaptureResult r = session.stopAsync().get();
        for (Profile p : r.profiles().values()) {
            assertThat(p.samples()).noneMatch(s -> "jprof-worker".equals(s.label(Sample.THREAD_LABEL)));
        }
        assertThat(r.profile(ProfileKind.CPU).samples())
                .anyMatch(s -> Thread.currentThread().getName().equals(s.label(Sample.THREAD_LABEL)));
    }

    @Test
    void jprofsOwnStartAndStopAreNeverInAProfile() throws Throwable {
        for (int i = 0; i < 20; i++) {
            Profile cpu = Profiler.profile(
                            ProfileOptions.of(ProfileKind.CPU).withCpuInterval(Duration.ofMillis(1)),
                            () -> Workloads.spinCpu(2))
                    .profile(ProfileKind.CPU);
            assertThat(cpu.frames())
                    .noneMatch(f -> f.function().equals("dev.jprof.capture.Profiler.start")
                            || f.function().startsWith("dev.jprof.capture.ProfilingSession.")
                            || f.function().startsWith("one.profiler."));
        }
    }

    @Test
    void stopAsyncLetsTheNextSessionStartAtOnce() throws Exception {
        ProfilingSession first = Profiler.start(ProfileOptions.of(ProfileKind.CPU));
        Workloads.spinCpuTime(20);
        java.util.concurrent.CompletableFuture<CaptureResult> converting = first.stopAsync();
        try (ProfilingSession second = Profiler.start(ProfileOptions.of(ProfileKind.CPU))) {
            Workloads.spinCpuTime(20);
            assertThat(second.stop().profile(ProfileKind.CPU).samples()).isNotEmpty();
        }
        assertThat(converting.get().profile(ProfileKind.CPU).samples()).isNotEmpty();
    }

    @Test
    void stacksStartAtTheOutermostRootFunction() throws Throwable {
        String root = ProfilerTest.class.getName() + ".rootedWork";
        Profile cpu = Profiler.profile(
                        ProfileOptions.of(ProfileKind.CPU).withRootFunctions(List.of(root)), ProfilerTest::rootedWork)
                .profile(ProfileKind.CPU);
        assertThat(cpu.samples())
                .filteredOn(s -> s.stack().stream().anyMatch(f -> f.function().equals(root)))
                .hasSizeGreaterThan(10)
                .allSatisfy(s -> assertThat(s.stack().get(s.stack().size() - 1).function())
                        .isEqualTo(root));
        String outer = ProfilerTest.class.getName() + ".stacksStartAtTheOutermostRootFunction";
        assertThat(cpu.samples())
                .filteredOn(s -> s.stack().stream().anyMatch(f -> f.function().equals(root)))
                .noneMatch(s -> s.stack().stream().anyMatch(f -> f.function().equals(outer)));
    }

    private static void rootedWork() {
        Workloads.spinCpuTime(100); // CPU time, not wall time: enough samples also on a loaded machine
    }

    @Test
    void theFirstListedRootFunctionWins() throws Throwable {
        String inner = ProfilerTest.class.getName() + ".rootedWork";
        String outer = ProfilerTest.class.getName() + ".theFirstListedRootFunctionWins";
        Profile cpu = Profiler.profile(
                        ProfileOptions.of(ProfileKind.CPU).withRootFunctions(List.of(inner, outer)),
                        ProfilerTest::rootedWork)
                .profile(ProfileKind.CPU);
        assertThat(cpu.samples())
                .filteredOn(s -> s.stack().stream().anyMatch(f -> f.function().equals(inner)))
                .isNotEmpty()
                .allSatisfy(s -> assertThat(s.stack().get(s.stack().size() - 1).function())
                        .isEqualTo(inner));
    }

    @Test
    void sessionsNestAndEachHoldsTheWorkOfItsOwnSpan() throws Throwable {
        CaptureResult inner;
        CaptureResult outer;
        try (ProfilingSession o = Profiler.start(ProfileOptions.of(ProfileKind.CPU))) {
            Workloads.spinCpuTime(150);
            inner = Profiler.profile(ProfileOptions.of(ProfileKind.CPU), () -> Workloads.burnInB(150));
            outer = o.stop();
        }
        Profile in = inner.profile(ProfileKind.CPU);
        Profile out = outer.profile(ProfileKind.CPU);
        // the inner session saw only its own span; the outer one both
        assertThat(share(in, 1, "dev.jprof.capture.Workloads.burnInB")).isGreaterThan(0.8);
        assertThat(share(in, 1, "dev.jprof.capture.Workloads.spinCpuTime")).isZero();
        assertThat(share(out, 1, "dev.jprof.capture.Workloads.spinCpuTime")).isGreaterThan(0.25);
        assertThat(share(out, 1, "dev.jprof.capture.Workloads.burnInB")).isGreaterThan(0.25);
    }

    @Test
    void noKindsIsRejected() {
        assertThatThrownBy(() -> Profiler.start(ProfileOptions.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no profile kind");
    }
}
