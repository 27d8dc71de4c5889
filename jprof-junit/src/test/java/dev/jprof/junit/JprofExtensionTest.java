package dev.jprof.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.jprof.capture.CaptureException;
import dev.jprof.profile.Profile;
import java.io.IOException;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;

class JprofExtensionTest extends EngineTestKitBase {

    // --- capture covers the test method only -------------------------------------------------------

    static class OnlyTheBody {
        @BeforeEach
        void setUp() {
            Burn.inBeforeEach(150);
        }

        @Test
        @ProfileCpu
        void body() {
            Burn.inTestBody(150);
        }

        @AfterEach
        void tearDown() {
            Burn.inAfterEach(150);
        }
    }

    @Test
    void captureCoversTheTestMethodAndNotBeforeOrAfterEach() {
        run(OnlyTheBody.class).testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        Path dir = folder(OnlyTheBody.class, "body()");
        assertThat(dir.resolve("cpu.html")).isRegularFile();
        Profile cpu = Artifacts.read(dir.resolve("cpu.pb.gz"));
        assertThat(Artifacts.valueIn(cpu, 1, "Burn.inTestBody")).isGreaterThan(5_000_000L); // spun 150 ms
        assertThat(Artifacts.valueIn(cpu, 1, "Burn.inBeforeEach")).isZero();
        assertThat(Artifacts.valueIn(cpu, 1, "Burn.inAfterEach")).isZero();
        assertThat(cpu.comments()).anyMatch(c -> c.startsWith("engine=async-profiler"));
        // stacks of the test thread start at the test method: JUnit's frames below it are dropped
        String body = OnlyTheBody.class.getName() + ".body";
        assertThat(cpu.samples())
                .filteredOn(s -> s.stack().stream().anyMatch(f -> f.function().equals(body)))
                .isNotEmpty()
                .allSatisfy(s -> assertThat(s.stack().get(s.stack().size() - 1).function())
                        .isEqualTo(body));
        // nothing below jprof's interceptor: JUnit's engine and Surefire, which call it, are never in a
        // stack (JUnit's reflective call of the test method, between the two, is in the window)
        assertThat(cpu.frames())
                .noneMatch(f -> f.function().startsWith("org.junit.platform.engine.support.hierarchical.")
                        || f.function().startsWith("org.junit.platform.launcher.")
                        || f.function().startsWith("org.apache.maven.surefire."));
    }

    // --- every kind, combined, class level, meta-annotation ----------------------------------------

    @Retention(RetentionPolicy.RUNTIME)
    @ProfileCpu(interval = "2ms")
    @ProfileAlloc
    @interface HotPath {}

    @ProfileWall
    static class AllKinds {
        @Test
        @HotPath
        @ProfileLock
        void everything() throws InterruptedException {
            Burn.inTestBody(50);
            Thread.sleep(20);
        }

        @Test
        void wallOnly() {
            Burn.inTestBody(20);
        }
    }

    @Test
    void kindsComeFromMethodClassAndMetaAnnotations() throws IOException {
        run(AllKinds.class).testEvents().assertStatistics(s -> s.started(2).succeeded(2));
        try (Stream<Path> files = Files.list(folder(AllKinds.class, "everything()"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(
                            "cpu.pb.gz",
                            "cpu.html",
                            "wall.pb.gz",
                            "wall.html",
                            "alloc.pb.gz",
                            "alloc.html",
                            "lock.pb.gz",
                            "lock.html",
                            "summary.json");
        }
        try (Stream<Path> files = Files.list(folder(AllKinds.class, "wallOnly()"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("wall.pb.gz", "wall.html", "summary.json");
        }
        Profile cpu = Artifacts.read(folder(AllKinds.class, "everything()").resolve("cpu.pb.gz"));
        assertThat(cpu.period()).as("interval from the meta-annotation").isEqualTo(2_000_000);
        assertThat(Artifacts.read(folder(AllKinds.class, "everything()").resolve("alloc.pb.gz"))
                        .sampleTypes())
                .extracting(Object::toString)
                .containsExactly("alloc_objects/count", "alloc_space/bytes");
    }

    // --- a failing test keeps its failure and its artifacts ----------------------------------------

    static class Failing {
        @Test
        @ProfileCpu
        void fails() {
            Burn.inTestBody(50);
            throw new AssertionError("the test's own failure");
        }
    }

    @Test
    void failingTestKeepsItsOwnFailureAndItsArtifacts() {
        run(Failing.class)
                .testEvents()
                .assertStatistics(s -> s.started(1).failed(1))
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("fails"),
                                finishedWithFailure(
                                        instanceOf(AssertionError.class), message("the test's own failure"))));
        assertThat(folder(Failing.class, "fails()").resolve("cpu.pb.gz")).isRegularFile();
        assertThat(folder(Failing.class, "fails()").resolve("cpu.html")).isRegularFile();
    }

    // --- names: parameterized, repeated, dynamic, nested --------------------------------------------

    static final String LONG = "x".repeat(500);

    static class Names {
        static Stream<String> nasty() {
            return Stream.of("a/b\\c:d*e?f\"g<h>i|j", "ünïcödé ✓ 日本", LONG, LONG + "y", "CON", "same", "same", ". .");
        }

        @ParameterizedTest
        @MethodSource("nasty")
        @ProfileCpu
        void param(String s) {
            Burn.inTestBody(2);
        }

        @RepeatedTest(2)
        @ProfileCpu
        void repeated() {
            Burn.inTestBody(2);
        }

        @TestFactory
        @ProfileCpu
        Stream<DynamicTest> dynamic() {
            return Stream.of(
                    DynamicTest.dynamicTest("twin", () -> Burn.inTestBody(2)),
                    DynamicTest.dynamicTest("twin", () -> Burn.inTestBody(2)));
        }

        @Nested
        class Inner {
            @Test
            @ProfileCpu
            void nested() {
                Burn.inTestBody(2);
            }
        }
    }

    @Test
    void everyInvocationGetsItsOwnSafeFolder() {
        run(Names.class).testEvents().assertStatistics(s -> s.started(13).succeeded(13));
        List<String> folders = Artifacts.profiledFolders(out, "cpu.pb.gz");
        assertThat(folders).hasSize(13).doesNotHaveDuplicates();
        String names = Names.class.getName();
        assertThat(folders)
                .contains(
                        names + "/param(String)/[1] a_b_c_d_e_f_g_h_i_j",
                        names + "/param(String)/[2] ünïcödé ✓ 日本",
                        names + "/param(String)/[5] CON",
                        names + "/param(String)/[6] same",
                        names + "/param(String)/[7] same",
                        names + "/repeated()/[1] repetition 1 of 2",
                        names + "/repeated()/[2] repetition 2 of 2",
                        names + "/dynamic()/[1] twin",
                        names + "/dynamic()/[2] twin",
                        names + "$Inner/nested()");
        for (String f : folders) {
            for (String segment : f.split("/")) {
                assertThat(segment.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                        .as(segment)
                        .isLessThanOrEqualTo(120);
                assertThat(segment)
                        .doesNotContainPattern("[\\\\:*?\"<>|]")
                        .doesNotEndWith(".")
                        .doesNotEndWith(" ");
            }
        }
        assertThat(folders.stream().filter(f -> f.contains("xxxxxxxxxx"))).hasSize(2);
    }

    // --- parallel execution: each profile holds only its own test ----------------------------------

    static class Parallel {
        @Test
        @ProfileCpu
        void a() {
            Burn.burnA(300);
        }

        @Test
        @ProfileCpu
        void b() {
            Burn.burnB(300);
        }

        @Test
        void unprofiled() {
            Burn.inTestBody(300);
        }
    }

    @Test
    void underParallelExecutionEachProfileHoldsOnlyItsOwnTest() {
        run(Parallel.class, parallel(3))
                .testEvents()
                .assertStatistics(s -> s.started(3).succeeded(3));
        Profile a = Artifacts.read(folder(Parallel.class, "a()").resolve("cpu.pb.gz"));
        Profile b = Artifacts.read(folder(Parallel.class, "b()").resolve("cpu.pb.gz"));
        // each spun for 300 ms, but on a busy machine gets far less CPU: what this test proves is that
        // its own method is present and the other tests' methods are absent
        assertThat(Artifacts.valueIn(a, 1, "Burn.burnA")).isGreaterThan(5_000_000L);
        assertThat(Artifacts.valueIn(a, 1, "Burn.burnB")).isZero();
        assertThat(Artifacts.valueIn(a, 1, "Burn.inTestBody")).isZero();
        assertThat(Artifacts.valueIn(b, 1, "Burn.burnB")).isGreaterThan(5_000_000L);
        assertThat(Artifacts.valueIn(b, 1, "Burn.burnA")).isZero();
        assertThat(Artifacts.valueIn(b, 1, "Burn.inTestBody")).isZero();
    }

    // --- capture failures are never silent ----------------------------------------------------------

    static class Passing {
        @Test
        @ProfileCpu
        void passes() {
            Burn.inTestBody(5);
        }

        @Test
        @ProfileCpu
        void fails() {
            throw new AssertionError("the test's own failure");
        }
    }

    @Test
    void unwritableOutputDirectoryFailsAPassingTestAndNeverMasksAFailingOne() throws IOException {
        Path notADirectory = Files.writeString(out.resolve("a-file"), "x");
        EngineExecutionResults results = run(Passing.class, Map.of("jprof.output.dir", notADirectory.toString()));
        results.testEvents().assertStatistics(s -> s.started(2).failed(2));
        results.testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("passes"),
                                finishedWithFailure(
                                        instanceOf(CaptureException.class),
                                        message(m -> m.contains("jprof could not")
                                                && m.contains(notADirectory.toString())))))
                .haveExactly(
                        1,
                        event(
                                test("fails"),
                                finishedWithFailure(
                                        instanceOf(AssertionError.class), message("the test's own failure"))));
        Throwable own = results.testEvents().failed().stream()
                .map(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                        .orElseThrow()
                        .getThrowable()
                        .orElseThrow())
                .filter(AssertionError.class::isInstance)
                .findFirst()
                .orElseThrow();
        assertThat(own.getSuppressed()).singleElement().isInstanceOf(CaptureException.class);
    }

    static class WriteFailsLater {
        @Test
        @ProfileCpu
        void passes() throws IOException {
            // the folder exists when the test starts; make the flame graph's path unwritable meanwhile
            Path dir = Path.of(System.getProperty("jprof.test.out"), WriteFailsLater.class.getName(), "passes()");
            Files.createDirectories(dir.resolve("cpu.html").resolve("in-the-way"));
            Burn.inTestBody(5);
        }
    }

    static class WriteFailsLaterAndTheTestFails {
        @Test
        @ProfileCpu
        void fails() throws IOException {
            Path dir = Path.of(
                    System.getProperty("jprof.test.out"), WriteFailsLaterAndTheTestFails.class.getName(), "fails()");
            Files.createDirectories(dir.resolve("cpu.html").resolve("in-the-way"));
            Burn.inTestBody(5);
            throw new AssertionError("the test's own failure");
        }
    }

    @Test
    void aWriteThatFailsAfterTheTestFailsThatTestNamingIt() throws IOException {
        System.setProperty("jprof.test.out", out.toString());
        try {
            // with room on the disk a test does not wait for its artifacts: a write that fails all the same
            // fails the run at its end, naming the test
            System.setProperty("dev.jprof.junit.awaitArtifacts", "false");
            EngineExecutionResults async = run(WriteFailsLater.class);
            async.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
            // (JUnit reports it as the failure to close the run's store, caused by jprof's)
            assertThat(async.containerEvents().failed().stream()
                            .map(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                                    .orElseThrow()
                                    .getThrowable()
                                    .orElseThrow())
                            .map(t -> t instanceof CaptureException ? t : t.getCause()))
                    .filteredOn(CaptureException.class::isInstance)
                    .singleElement()
                    .extracting(Throwable::getMessage)
                    .asString()
                    .startsWith("jprof could not write the profiles of 1 test:\n  [" + WriteFailsLater.class.getName()
                            + " › passes()] to [")
                    .contains("cpu.html");
            // after a failed write (as on a nearly full disk) every test waits for its own, and fails with it
            System.clearProperty("dev.jprof.junit.awaitArtifacts");
            Path inTheWay = out.resolve(WriteFailsLater.class.getName())
                    .resolve("passes()")
                    .resolve("cpu.html");
            Files.delete(inTheWay.resolve("in-the-way"));
            Files.delete(inTheWay);
            EngineExecutionResults results = run(WriteFailsLater.class);
            results.testEvents()
                    .assertStatistics(s -> s.started(1).failed(1))
                    .assertThatEvents()
                    .haveExactly(
                            1,
                            event(
                                    test("passes"),
                                    finishedWithFailure(
                                            instanceOf(CaptureException.class),
                                            message(m -> m.startsWith("jprof could not write the profiles of ["
                                                            + WriteFailsLater.class.getName() + " › passes()] to ["
                                                            + out.resolve(WriteFailsLater.class.getName())
                                                                    .resolve("passes()")
                                                            + "]: ")
                                                    && m.contains("cpu.html")))));
            // the run itself is not failed a second time for it
            results.containerEvents()
                    .assertThatEvents()
                    .noneMatch(e -> e.getType() == org.junit.platform.testkit.engine.EventType.FINISHED
                            && e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                                    .orElseThrow()
                                    .getThrowable()
                                    .isPresent());
            // a failing test keeps its own failure first, the write's suppressed
            EngineExecutionResults failing = run(WriteFailsLaterAndTheTestFails.class);
            failing.testEvents()
                    .assertThatEvents()
                    .haveExactly(
                            1,
                            event(
                                    test("fails"),
                                    finishedWithFailure(
                                            instanceOf(AssertionError.class), message("the test's own failure"))));
            Throwable own = failing.testEvents().failed().stream()
                    .map(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                            .orElseThrow()
                            .getThrowable()
                            .orElseThrow())
                    .findFirst()
                    .orElseThrow();
            assertThat(own.getSuppressed())
                    .singleElement()
                    .isInstanceOf(CaptureException.class)
                    .extracting(Throwable::getMessage)
                    .asString()
                    .contains("cpu.html");
        } finally {
            System.clearProperty("jprof.test.out");
            System.clearProperty("dev.jprof.junit.awaitArtifacts");
        }
    }

    // --- a test that never returns --------------------------------------------------------------------

    static final java.util.concurrent.CountDownLatch RELEASE = new java.util.concurrent.CountDownLatch(1);

    @org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.MethodName.class)
    static class Hangs {
        @Test
        @ProfileCpu
        @org.junit.jupiter.api.Timeout(
                value = 300,
                unit = java.util.concurrent.TimeUnit.MILLISECONDS,
                threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
        void a_hangs() {
            // deaf to interrupts: returns only when the test of this fixture lets it
            while (RELEASE.getCount() > 0) {
                try {
                    RELEASE.await();
                } catch (InterruptedException ignored) {
                    // keep hanging
                }
            }
        }

        @Test
        @ProfileCpu
        void b_later() {
            Burn.inTestBody(20);
        }

        @Test
        @ProfileWall
        void c_laterStill() {
            Burn.inTestBody(20);
        }
    }

    @Test
    void aTestThatNeverReturnsDoesNotHoldUpLaterTests() throws Exception {
        try {
            EngineExecutionResults results = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                    java.time.Duration.ofSeconds(60),
                    () -> run(Hangs.class),
                    "later profiled tests wait for the hung one");
            results.testEvents()
                    .assertStatistics(s -> s.started(3).succeeded(2).failed(1))
                    .assertThatEvents()
                    .haveExactly(
                            1,
                            event(
                                    test("a_hangs"),
                                    finishedWithFailure(instanceOf(java.util.concurrent.TimeoutException.class))));
            Throwable timeout = results.testEvents().failed().stream()
                    .map(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                            .orElseThrow()
                            .getThrowable()
                            .orElseThrow())
                    .findFirst()
                    .orElseThrow();
            assertThat(timeout.getSuppressed())
                    .singleElement()
                    .isInstanceOf(CaptureException.class)
                    .extracting(Throwable::getMessage)
                    .isEqualTo("jprof abandoned the profile of [" + Hangs.class.getName()
                            + " › a_hangs()]: the test had not returned when JUnit ended it (a timeout in a separate thread);"
                            + " nothing is written for it");
            assertThat(folder(Hangs.class, "b_later()").resolve("cpu.pb.gz")).isRegularFile();
            assertThat(folder(Hangs.class, "c_laterStill()").resolve("wall.pb.gz"))
                    .isRegularFile();
            assertThat(folder(Hangs.class, "a_hangs()").resolve("cpu.pb.gz")).doesNotExist();
        } finally {
            RELEASE.countDown();
        }
    }

    static class BadOption {
        @Test
        @ProfileCpu(interval = "fast")
        void badInterval() {}
    }

    @Test
    void invalidOptionNamesTheAnnotationAndTheMethod() {
        run(BadOption.class)
                .testEvents()
                .assertStatistics(s -> s.started(1).failed(1))
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("badInterval"),
                                finishedWithFailure(message(m -> m.contains("[fast]")
                                        && m.contains(
                                                "@ProfileCpu on [" + BadOption.class.getName() + ".badInterval()]")))));
    }

    // --- engines and switches -----------------------------------------------------------------------

    @Test
    void jfrEngineWritesTheSameArtifacts() {
        run(OnlyTheBody.class, Map.of("jprof.engine", "jfr")).testEvents().assertStatistics(s -> s.succeeded(1));
        Profile cpu = Artifacts.read(folder(OnlyTheBody.class, "body()").resolve("cpu.pb.gz"));
        assertThat(cpu.comments()).contains("engine=jfr");
        assertThat(Artifacts.valueIn(cpu, 1, "Burn.inTestBody")).isGreaterThan(5_000_000L);
        assertThat(Artifacts.valueIn(cpu, 1, "Burn.inBeforeEach")).isZero();
    }

    @Test
    void disabledWritesNothing() {
        run(OnlyTheBody.class, Map.of("jprof.enabled", "false")).testEvents().assertStatistics(s -> s.succeeded(1));
        // nothing at all: no test folder, no run report, no lock file
        assertThat(out).isEmptyDirectory();
    }

    @Test
    void invalidConfigurationNamesTheKey() {
        run(OnlyTheBody.class, Map.of("jprof.cpu.interval", "soon"))
                .testEvents()
                .assertStatistics(s -> s.failed(1))
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("body"),
                                finishedWithFailure(
                                        message(m -> m.contains("jprof.cpu.interval") && m.contains("[soon]")))));
    }
}
