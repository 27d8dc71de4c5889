package dev.jprof.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.jprof.profile.ProfileKind;
import dev.jprof.testing.CpuWork;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** {@code @Hot} and {@code @NotHot}, run on fixture classes: outcomes and exact message heads. */
class HotAnnotationsTest extends EngineTestKitBase {

    static class Checks {
        @Test
        @NotHot("java\\.util\\.regex")
        @Hot(value = "spinCpu", top = 1)
        void passes() {
            spinCpu(300);
        }

        @Test
        @NotHot(value = "spinCpu", top = 3)
        void spinIsHot() {
            spinCpu(300);
        }

        @Test
        @Hot("java\\.util\\.regex")
        void regexIsNotHot() {
            spinCpu(300);
        }

        private int runs;

        /** 2 ms give about 2 samples: the body is run again, on this instance, until 180 or so decide. */
        @Test
        @NotHot("java\\.util\\.regex")
        void shortBodyDecides() {
            Burn.burnA(2);
            SHORT_BODY_RUNS.put(this, ++runs);
        }

        @Test
        @NotHot("spinCpu")
        void failsItself() {
            spinCpu(300);
            throw new AssertionError("the test's own failure");
        }

        @Test
        @Hot(value = "allocateMegabytes", kind = ProfileKind.ALLOC, top = 1)
        void checksTheAllocationProfile() {
            allocateMegabytes(32);
        }
    }

    static final java.util.Map<Object, Integer> SHORT_BODY_RUNS = new java.util.concurrent.ConcurrentHashMap<>();

    /** A body with no CPU time: no repeat within the budget gives enough samples. */
    static class NoEvidence {
        @Test
        @NotHot("java\\.util\\.regex")
        void sleeps() throws InterruptedException {
            Thread.sleep(2);
        }
    }

    static class NoEvidenceDynamic {
        @org.junit.jupiter.api.TestFactory
        @NotHot("java\\.util\\.regex")
        java.util.stream.Stream<org.junit.jupiter.api.DynamicTest> sleeps() {
            return java.util.stream.Stream.of(
                    org.junit.jupiter.api.DynamicTest.dynamicTest("sleeps", () -> Thread.sleep(2)));
        }
    }

    static volatile Object keep;
    static volatile long sink;

    /**
     * Spins until this thread has used {@code millis} of CPU time, so that a CPU profile gets about
     * {@code millis} samples however busy the machine is.
     */
    static void spinCpu(long millis) {
        long end = CpuWork.deadline(millis);
        long x = 11;
        for (long n; (n = CpuWork.slice(end)) > 0; ) {
            for (long until = System.nanoTime() + n; System.nanoTime() < until; ) {
                for (int i = 0; i < 2_000; i++) {
                    x = x * 6364136223846793005L + 1442695040888963407L;
                    x ^= x >>> 29;
                }
            }
        }
        sink = x;
    }

    /** Allocates {@code mb} MiB in 1 KiB arrays, kept reachable until the next call. */
    static void allocateMegabytes(int mb) {
        java.util.List<byte[]> list = new java.util.ArrayList<>();
        for (int i = 0; i < mb * 1024; i++) {
            list.add(new byte[1024]);
        }
        keep = list;
    }

    @Test
    void checksRunOnTheProfileAfterTheTest() {
        EngineExecutionResults results = run(Checks.class);
        String where = "on [" + Checks.class.getName() + ".";
        results.testEvents()
                .assertStatistics(s -> s.started(6).succeeded(3).failed(3))
                .assertThatEvents()
                .haveExactly(1, event(test("passes"), finishedSuccessfully()))
                .haveExactly(1, event(test("shortBodyDecides"), finishedSuccessfully()))
                .haveExactly(1, event(test("checksTheAllocationProfile"), finishedSuccessfully()))
                .haveExactly(
                        1,
                        event(
                                test("spinIsHot"),
                                finishedWithFailure(
                                        instanceOf(AssertionError.class),
                                        message(
                                                m -> m.startsWith(
                                                                "[@NotHot(\"spinCpu\") " + where
                                                                        + "spinIsHot()]] \nExpecting no function matching /spinCpu/ among the top 3 by flat cpu\n"
                                                                        + "but dev.jprof.junit.HotAnnotationsTest.spinCpu is #1 with flat ")
                                                        && m.contains(
                                                                " rank       flat   flat%        cum    cum%  function\n    1 ")))))
                .haveExactly(
                        1,
                        event(
                                test("regexIsNotHot"),
                                finishedWithFailure(message(m -> m.startsWith("[@Hot(\"java\\.util\\.regex\") " + where
                                        + "regexIsNotHot()]] \nExpecting a function matching /java\\.util\\.regex/ among the top 5 by flat cpu\n"
                                        + "but no sample has one:\ncpu: total ")))))
                .haveExactly(1, event(test("failsItself"), finishedWithFailure(message("the test's own failure"))));
        Throwable own = failures(results).stream()
                .filter(t -> "the test's own failure".equals(t.getMessage()))
                .findFirst()
                .orElseThrow();
        // the 2-ms body ran again, on the same instance, until its check decided
        assertThat(SHORT_BODY_RUNS).hasSize(1);
        assertThat(SHORT_BODY_RUNS.values().iterator().next()).isGreaterThan(1);
        assertThat(own.getSuppressed())
                .singleElement()
                .extracting(Throwable::getMessage)
                .asString()
                .contains("Expecting no function matching /spinCpu/");
        assertThat(out.resolve(Checks.class.getName())
                        .resolve("checksTheAllocationProfile()")
                        .resolve("alloc.pb.gz"))
                .as("@NotHot(kind = ALLOC) captures the allocation profile by itself")
                .isRegularFile();
        assertThat(out.resolve(Checks.class.getName()).resolve("passes()").resolve("cpu.pb.gz"))
                .isRegularFile();
    }

    @Test
    void undecidedAfterTheBudgetSaysHowLongItRepeated() {
        run(NoEvidence.class, java.util.Map.of("jprof.repeat.budget", "300ms"))
                .testEvents()
                .assertStatistics(s -> s.started(1).failed(1))
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("sleeps"),
                                finishedWithFailure(message(m -> m.contains("not enough samples (")
                                        && m.contains(") after repeating for 300 ms (the test, ")
                                        && m.contains("raise jprof.repeat.budget or lower the interval")))));
        run(NoEvidence.class, java.util.Map.of("jprof.repeat.budget", "0"))
                .testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("sleeps"),
                                finishedWithFailure(message(
                                        m -> m.contains("; repeating the test is off (jprof.repeat.budget=0ns)")))));
        // a dynamic test is a lambda JUnit holds: it cannot be run again
        run(NoEvidenceDynamic.class, java.util.Map.of())
                .testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("sleeps"),
                                finishedWithFailure(message(m -> m.contains("); run longer or lower the interval")))));
        run(NoEvidence.class, java.util.Map.of("jprof.repeat.budget", "soon"))
                .testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("sleeps"),
                                finishedWithFailure(
                                        message(m -> m.contains("Invalid duration [soon] for jprof.repeat.budget")))));
    }

    @ProfileCpu
    static class Handle {
        @Test
        @WithJprof
        void injected(Jprof jprof) throws Exception {
            // this class profiles every test: the handle's window nests inside the test's and holds only its own span
            spinCpu(150);
            dev.jprof.profile.Profile cpu = jprof.cpu(() -> Burn.burnA(200));
            dev.jprof.assertj.JprofAssertions.assertThat(cpu).hasCumShareAbove("burnA", 80);
            org.assertj.core.api.Assertions.assertThat(cpu.frames())
                    .noneMatch(f -> f.function().contains("spinCpu"));
        }
    }

    @WithJprof
    static class PlainHandle {
        @Test
        void cpu(Jprof jprof) throws Exception {
            dev.jprof.profile.Profile cpu = jprof.cpu(() -> spinCpu(300));
            dev.jprof.assertj.JprofAssertions.assertThat(cpu)
                    .hasCumShareAbove("spinCpu", 40)
                    .hotFunctions(1)
                    .contains(HotAnnotationsTest.class.getName() + ".spinCpu");
            // stacks start at the code profiled: none of the caller's or JUnit's frames
            org.assertj.core.api.Assertions.assertThat(cpu.frames())
                    .extracting(f -> f.function())
                    .noneMatch(f -> f.contains("JprofHandle")
                            || f.contains("JprofExtension")
                            || f.contains("Method.invoke")
                            || f.contains(PlainHandle.class.getSimpleName() + ".cpu")
                            || f.startsWith("org.junit."));
        }

        /** 2 ms of work: too few samples for any share, until the assertion repeats it. */
        @Test
        void shortCode(Jprof jprof) throws Exception {
            dev.jprof.profile.Profile cpu = jprof.cpu(() -> Burn.burnA(2));
            dev.jprof.assertj.JprofAssertions.assertThat(cpu).hotFunctions(5).noneMatch("java\\.util\\.regex");
            dev.jprof.assertj.JprofAssertions.assertThat(cpu).hasCumShareAbove("burnA", 50);
        }

        @Test
        void alloc(Jprof jprof) throws Exception {
            dev.jprof.assertj.JprofAssertions.assertThat(jprof.alloc(() -> allocateMegabytes(32)))
                    .hotFunctions(1)
                    .contains(HotAnnotationsTest.class.getName() + ".allocateMegabytes");
        }
    }

    @Test
    void jprofHandleProfilesCodeAlsoInsideAProfiledTest() {
        // each test by name, so that a failure shows its message
        run(Handle.class)
                .testEvents()
                .assertStatistics(s -> s.started(1))
                .assertThatEvents()
                .haveExactly(1, event(test("injected"), finishedSuccessfully()));
        run(PlainHandle.class)
                .testEvents()
                .assertStatistics(s -> s.started(3))
                .assertThatEvents()
                .haveExactly(1, event(test("cpu"), finishedSuccessfully()))
                .haveExactly(1, event(test("alloc"), finishedSuccessfully()))
                .haveExactly(1, event(test("shortCode"), finishedSuccessfully()));
    }
}
