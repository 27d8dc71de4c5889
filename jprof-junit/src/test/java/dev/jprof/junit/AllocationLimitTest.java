package dev.jprof.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.jprof.alloc.AllocationOptions;
import dev.jprof.alloc.AllocationReport;
import dev.jprof.assertj.JprofAssertions;
import dev.jprof.internal.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.AssertionFailedError;

class AllocationLimitTest extends EngineTestKitBase {

    static volatile Object keep;
    static long counter;

    /** Baselines in the test's own folder, not the module's. */
    @Override
    protected Map<String, String> defaults() {
        return Map.of("jprof.baseline.file", out.resolve("baseline.txt").toString());
    }

    /** A failure message with line numbers replaced by {@code N}. */
    static String withoutLines(String message) {
        return message.replaceAll("\\.java:\\d+\\)", ".java:N)");
    }

    // --- bytes = 0 on a body that allocates nothing: JUnit's machinery is not counted ---------------

    static class NothingAllocated {
        @BeforeEach
        void setUp() {
            keep = new byte[1_000]; // before the test method: not counted
        }

        @Test
        @AllocationLimit(bytes = 0)
        void empty() {}

        @Test
        @AllocationLimit(bytes = 0, objects = 0)
        void arithmetic() {
            counter += 42;
        }

        @RepeatedTest(5)
        @AllocationLimit(bytes = 0)
        void repeated() {
            counter++;
        }

        @ParameterizedTest
        @ValueSource(strings = {"a", "b", "c"})
        @AllocationLimit(bytes = 0)
        void parameterized(String s) {
            counter += s.length();
        }

        @TestFactory
        @AllocationLimit(bytes = 0)
        Stream<DynamicTest> dynamic() {
            return Stream.of(
                    DynamicTest.dynamicTest("one", () -> counter++), DynamicTest.dynamicTest("two", () -> counter++));
        }
    }

    @Test
    void aBodyThatAllocatesNothingPassesALimitOfZero() {
        run(NothingAllocated.class, Map.of())
                .testEvents()
                .assertStatistics(s -> s.started(12).succeeded(12));
    }

    /** {@code jprof.alloc.sites} is read by jprof's one boolean parser: anything but true or false is an error. */
    @Test
    void allocSitesMustBeTrueOrFalse() {
        run(NothingAllocated.class, Map.of("jprof.alloc.sites", "nah"))
                .testEvents()
                .assertStatistics(s -> s.started(12).failed(12))
                .assertThatEvents()
                .haveExactly(
                        12,
                        event(
                                test(),
                                finishedWithFailure(
                                        instanceOf(
                                                org.junit.jupiter.api.extension.ExtensionConfigurationException.class),
                                        message("Invalid jprof.alloc.sites [nah]: expected true or false"))));
        run(NothingAllocated.class, Map.of("jprof.alloc.sites", "FALSE"))
                .testEvents()
                .assertStatistics(s -> s.succeeded(12));
    }

    @AllocationLimit(bytes = 0)
    static class ManyEmptyTests {
        @RepeatedTest(300)
        void again() {}
    }

    /** Hundreds of invocations take JUnit's reflective path through the interpreter, C1 and C2: never counted. */
    @Test
    void theLimitOfZeroHoldsWhileTheJitCompilesJUnit() {
        run(ManyEmptyTests.class, Map.of())
                .testEvents()
                .assertStatistics(s -> s.started(300).succeeded(300));
    }

    // --- exact limits, failures with sites --------------------------------------------------------

    static class Allocating {
        @Test
        @AllocationLimit(bytes = 80)
        void exactlyAtTheLimit() {
            keep = new byte[64];
        }

        @Test
        @AllocationLimit(bytes = 79)
        void oneByteOver() {
            keep = new byte[64];
        }

        @Test
        @AllocationLimit(objects = 1)
        void twoObjects() {
            keep = new Object[] {new byte[8]};
        }
    }

    @Test
    void limitsAreExactAndAFailureListsTheSites() {
        EngineExecutionResults results = run(Allocating.class, Map.of());
        results.testEvents().assertStatistics(s -> s.started(3).succeeded(1).failed(2));
        results.testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("oneByteOver"),
                                finishedWithFailure(
                                        instanceOf(AssertionFailedError.class),
                                        message(m -> withoutLines(m).equals("""
                        Expecting Allocating.oneByteOver() to allocate at most 79 B/op
                        but it allocated 80 B/op (1 objects/op):
                          80 B/op  1 objects/op  byte[]  <- AllocationLimitTest$Allocating.oneByteOver(AllocationLimitTest.java:N)""")))));
        results.testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("twoObjects"),
                                finishedWithFailure(
                                        instanceOf(AssertionFailedError.class),
                                        message(m -> withoutLines(m).equals("""
                        Expecting Allocating.twoObjects() to allocate at most 1 objects/op
                        but it allocated 2 objects/op (48 B/op):
                          24 B/op  1 objects/op  byte[]              <- AllocationLimitTest$Allocating.twoObjects(AllocationLimitTest.java:N)
                          24 B/op  1 objects/op  java.lang.Object[]  <- AllocationLimitTest$Allocating.twoObjects(AllocationLimitTest.java:N)""")))));
        // the site-finding run explains the failure with its exact profile; no sampled profile was recorded
        Path dir = out.resolve(Allocating.class.getName()).resolve("oneByteOver()");
        assertThat(Artifacts.read(dir.resolve("alloc-sites.pb.gz")).total(1)).isEqualTo(80);
        assertThat(dir.resolve("alloc-sites.html")).isRegularFile();
        assertThat(dir.resolve("alloc.pb.gz")).doesNotExist();
        assertThat(dir.resolve("alloc.html")).doesNotExist();
    }

    // --- what a limited test writes ---------------------------------------------------------------

    static class Written {
        @Test
        @AllocationLimit(bytes = 1 << 20)
        void limited() {
            keep = new byte[64 * 1024];
        }

        @Test
        @AllocationLimit(bytes = 1 << 20)
        @ProfileAlloc(interval = "1k")
        void limitedAndProfiled() {
            keep = new byte[64 * 1024];
        }
    }

    /**
     * A limit records nothing: the test's summary holds its exact bytes, and the sampled allocation
     * profile is written only when the test asks for it with {@code @ProfileAlloc}.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aLimitWritesTheExactBytesAndASampledProfileOnlyWhenAskedFor() throws Exception {
        run(Written.class, Map.of())
                .testEvents()
                .assertStatistics(s -> s.started(2).succeeded(2));
        Path limited = folder(Written.class, "limited()");
        try (Stream<Path> files = Files.list(limited)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("summary.json");
        }
        Map<String, Object> summary =
                (Map<String, Object>) Json.parse(Files.readString(limited.resolve("summary.json")));
        // a byte[65536] is 65,536 bytes and a 16-byte header
        assertThat((Map<String, Object>) summary.get("allocations"))
                .containsEntry("bytes", 65_552L)
                .containsEntry("exact", true);
        assertThat((Map<String, Object>) summary.get("profiles")).isEmpty();
        assertThat(summary).containsEntry("status", "passed").containsEntry("artifacts", java.util.List.of());
        assertThat((Long) summary.get("durationNanos")).isPositive();

        Path profiled = folder(Written.class, "limitedAndProfiled()");
        assertThat(Artifacts.read(profiled.resolve("alloc.pb.gz")).sampleTypes())
                .extracting(Object::toString)
                .containsExactly("alloc_objects/count", "alloc_space/bytes");
        assertThat(profiled.resolve("alloc.html")).isRegularFile();
        Map<String, Object> both = (Map<String, Object>) Json.parse(Files.readString(profiled.resolve("summary.json")));
        assertThat((Map<String, Object>) both.get("allocations"))
                .containsEntry("bytes", 65_552L)
                .containsEntry("exact", true);
        assertThat((Map<String, Object>) both.get("profiles")).containsOnlyKeys("alloc");

        // the run report lists both tests with their exact bytes
        String html = Files.readString(out.resolve("index.html"));
        assertThat(html).contains("limited()", "limitedAndProfiled()").contains("64.02 KiB");
    }

    // --- baselines ----------------------------------------------------------------------------------

    static int baselineBytes = 64;

    static class WithBaseline {
        @Test
        @AllocationLimit(baseline = true)
        void measured() {
            keep = new byte[baselineBytes];
        }
    }

    static final String KEY = WithBaseline.class.getName() + "#measured()";

    @Test
    void aRegressionBeyondTheBaselineFailsWithOldAndNewFiguresAndSites() throws Exception {
        Files.writeString(out.resolve("baseline.txt"), "# a comment\n" + KEY + " = 80 B/op\n");
        baselineBytes = 64;
        run(WithBaseline.class, Map.of())
                .testEvents()
                .assertStatistics(s -> s.started(1).succeeded(1));
        baselineBytes = 128;
        EngineExecutionResults results = run(WithBaseline.class, Map.of());
        results.testEvents().assertStatistics(s -> s.started(1).failed(1));
        results.testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("measured"),
                                finishedWithFailure(
                                        instanceOf(AssertionFailedError.class),
                                        message(
                                                m -> withoutLines(m)
                                                        .equals(
                                                                "Expecting WithBaseline.measured() to allocate at most 80 B/op (baseline 80 B/op + tolerance)\n"
                                                                        + "but it allocated 144 B/op (1 objects/op), 64 B/op more than the baseline:\n"
                                                                        + "  144 B/op  1 objects/op  byte[]  <- AllocationLimitTest$WithBaseline.measured(AllocationLimitTest.java:N)\n"
                                                                        + "Baseline: [" + out.resolve("baseline.txt")
                                                                        + "], entry [" + KEY
                                                                        + "]. If the new figure is intended,"
                                                                        + " update it with -Djprof.baseline.update=true and commit the file.")))));
        // within the tolerance: passes
        run(WithBaseline.class, Map.of("jprof.baseline.tolerance.bytes", "64"))
                .testEvents()
                .assertStatistics(s -> s.succeeded(1));
        run(WithBaseline.class, Map.of("jprof.baseline.tolerance.percent", "80"))
                .testEvents()
                .assertStatistics(s -> s.succeeded(1));
        run(WithBaseline.class, Map.of("jprof.baseline.tolerance.percent", "79"))
                .testEvents()
                .assertStatistics(s -> s.failed(1));
    }

    @Test
    void updateRewritesTheBaselineKeepingOtherEntriesSorted() throws Exception {
        Files.writeString(
                out.resolve("baseline.txt"),
                "z.Other#test() = 12 B/op\n" + KEY + " = 80 B/op\na.Other#test() = 1.5 B/op\n");
        baselineBytes = 128;
        run(WithBaseline.class, Map.of("jprof.baseline.update", "true"))
                .testEvents()
                .assertStatistics(s -> s.succeeded(1));
        assertThat(Files.readAllLines(out.resolve("baseline.txt")))
                .containsExactly(
                        "# jprof allocation baseline: bytes per run of each test body, one test per line, sorted.",
                        "# Rewrite with: mvn test -Djprof.baseline.update=true",
                        "a.Other#test() = 1.5 B/op",
                        KEY + " = 144 B/op",
                        "z.Other#test() = 12 B/op");
        run(WithBaseline.class, Map.of()).testEvents().assertStatistics(s -> s.succeeded(1));
    }

    @Test
    void anImprovementIsReportedSoThatTheBaselineCanBeLowered() throws Exception {
        Files.writeString(out.resolve("baseline.txt"), KEY + " = 1000 B/op\n");
        baselineBytes = 64;
        EngineExecutionResults results = run(WithBaseline.class, Map.of());
        results.testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(results.allEvents().reportingEntryPublished().stream()
                        .flatMap(e -> e.getPayload(org.junit.platform.engine.reporting.ReportEntry.class).stream())
                        .flatMap(r -> r.getKeyValuePairs().values().stream()))
                .containsExactly("WithBaseline.measured() allocated 80 B/op, less than its baseline of 1000 B/op:"
                        + " lower the baseline with -Djprof.baseline.update=true");
    }

    @Test
    void aTestWithoutEntryFailsByDefaultOrIsRecordedOrPasses() throws Exception {
        baselineBytes = 64;
        run(WithBaseline.class, Map.of())
                .testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("measured"),
                                finishedWithFailure(
                                        message(
                                                "No allocation baseline for WithBaseline.measured() (entry [" + KEY
                                                        + "]) in ["
                                                        + out.resolve("baseline.txt") + "]; it allocated 80 B/op.\n"
                                                        + "Record it with -Djprof.baseline.update=true (or set jprof.baseline.missing=record) and commit the file."))));
        run(WithBaseline.class, Map.of("jprof.baseline.missing", "pass"))
                .testEvents()
                .assertStatistics(s -> s.succeeded(1));
        assertThat(out.resolve("baseline.txt")).doesNotExist();
        run(WithBaseline.class, Map.of("jprof.baseline.missing", "record"))
                .testEvents()
                .assertStatistics(s -> s.succeeded(1));
        assertThat(Files.readAllLines(out.resolve("baseline.txt"))).contains(KEY + " = 80 B/op");
    }

    // --- parallel execution does not mix figures -------------------------------------------------------

    static class Parallel {
        @RepeatedTest(20)
        @AllocationLimit(bytes = 0)
        void nothing() {
            for (int i = 0; i < 10_000; i++) {
                counter++;
            }
        }

        @RepeatedTest(20)
        @AllocationLimit(bytes = 80 * 1_000)
        void exactly80k() {
            for (int i = 0; i < 1_000; i++) {
                keep = new byte[64];
            }
        }

        @RepeatedTest(20)
        void unlimitedNoise() {
            for (int i = 0; i < 1_000; i++) {
                keep = new byte[1_000];
            }
        }
    }

    @Test
    void parallelTestsDoNotMixTheirFigures() {
        run(Parallel.class, parallel(3))
                .testEvents()
                .assertStatistics(s -> s.started(60).succeeded(60));
    }

    // --- warmup: one-time work out of the counted run -------------------------------------------------

    static final java.util.concurrent.atomic.AtomicInteger BODY_RUNS = new java.util.concurrent.atomic.AtomicInteger();

    /** Each instance fills a cache on first use: 10,016 bytes in the first run of a body, none after. */
    static class FirstRunAllocates {
        private byte[] cache;

        private byte[] cache() {
            if (cache == null) {
                cache = new byte[10_000];
            }
            return cache;
        }

        @Test
        @AllocationLimit(bytes = 0)
        void cold() {
            counter += cache().length;
        }

        @Test
        @AllocationLimit(bytes = 0, warmup = 1)
        void warmedUp() {
            counter += cache().length;
        }

        @Test
        @AllocationLimit(bytes = 0, warmup = 3)
        void runsFourTimes(org.junit.jupiter.api.TestInfo info) {
            BODY_RUNS.incrementAndGet();
            counter += cache().length + info.getDisplayName().length();
        }
    }

    @Test
    void warmupLeavesOneTimeWorkOutOfTheCountedRun() {
        BODY_RUNS.set(0);
        EngineExecutionResults results = run(FirstRunAllocates.class, Map.of("jprof.alloc.sites", "false"));
        results.testEvents().assertStatistics(s -> s.started(3).succeeded(2).failed(1));
        results.testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("cold"),
                                finishedWithFailure(
                                        instanceOf(AssertionFailedError.class),
                                        message(m -> m.startsWith(
                                                "Expecting FirstRunAllocates.cold() to allocate at most 0 B/op\n"
                                                        + "but it allocated 10016 B/op")))))
                .haveExactly(
                        1,
                        event(
                                test("warmedUp"),
                                org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully()));
        // three warm-up runs and the counted one, on the same instance with the same arguments
        assertThat(BODY_RUNS.get()).isEqualTo(4);
    }

    static class BadWarmup {
        @Test
        @AllocationLimit(bytes = 0, warmup = -1)
        void negative() {}

        @TestFactory
        @AllocationLimit(bytes = 0, warmup = 1)
        Stream<DynamicTest> dynamic() {
            return Stream.of(DynamicTest.dynamicTest("one", () -> counter++));
        }
    }

    @Test
    void warmupMustBePositiveAndNeedsATestMethod() {
        run(BadWarmup.class, Map.of())
                .testEvents()
                .assertStatistics(s -> s.started(2).failed(2))
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("negative"),
                                finishedWithFailure(
                                        instanceOf(
                                                org.junit.jupiter.api.extension.ExtensionConfigurationException.class),
                                        message(m -> m.contains("negative()]: warmup must be >= 0, was -1")))))
                .haveExactly(
                        1,
                        event(
                                test("dynamic-test:#1"),
                                finishedWithFailure(
                                        instanceOf(
                                                org.junit.jupiter.api.extension.ExtensionConfigurationException.class),
                                        message(
                                                m -> m.contains(
                                                        "warmup = 1 needs a test method to run again, and a dynamic test cannot be run again")))));
    }

    // --- the injected Jprof ----------------------------------------------------------------------------

    static final Map<String, AllocationReport> REPORTS = new HashMap<>();

    @WithJprof
    static class Injected {
        @Test
        void perRun(Jprof jprof) throws Exception {
            REPORTS.put("perRun", jprof.allocations(() -> keep = new byte[64], 10_000));
            JprofAssertions.assertThat(jprof.allocations(() -> counter++))
                    .bytesPerOp()
                    .isZero();
        }
    }

    /** Objects are counted when asked for, and only then. */
    @WithJprof
    static class InjectedObjects {
        @Test
        void objects(Jprof jprof) throws Exception {
            REPORTS.put(
                    "objects",
                    jprof.allocations(AllocationOptions.runs(10_000).withObjects(true), () -> keep = new byte[64]));
        }

        @Test
        void objectsNotAskedFor(Jprof jprof) throws Exception {
            JprofAssertions.assertThat(jprof.allocations(() -> keep = new byte[64], 1_000))
                    .objectsPerOp()
                    .isEqualTo(1.0);
        }
    }

    static class NoAnnotation {
        @Test
        void perRun(Jprof jprof) throws Exception {
            JprofAssertions.assertThat(jprof.allocations(() -> keep = new byte[64], 100))
                    .allocatesAtMost(80);
        }
    }

    @Test
    void testsTakeAJprofParameter() {
        run(Injected.class, Map.of())
                .testEvents()
                .assertStatistics(s -> s.started(1).succeeded(1));
        AllocationReport r = REPORTS.get("perRun");
        assertThat(r.name()).isEqualTo("Injected.perRun()");
        assertThat(r.totalBytes()).isEqualTo(800_000);
        // bytes by default: no profiler run, so no objects and no allocation profile
        assertThat(r.objectsCounted()).as(r.toString()).isFalse();
        assertThat(r.siteSource()).isEqualTo(AllocationReport.SiteSource.NONE);
        assertThat(r.method()).contains("objects not counted (AllocationOptions.withObjects(true) counts them)");
        assertThat(out.resolve(Injected.class.getName())
                        .resolve("perRun(Jprof)")
                        .resolve("alloc.pb.gz"))
                .doesNotExist();
        // asked for: exact objects, and the counting run's allocation profile beside the test
        EngineExecutionResults objects = run(InjectedObjects.class, Map.of());
        objects.testEvents().assertStatistics(s -> s.started(2).succeeded(1).failed(1));
        AllocationReport o = REPORTS.get("objects");
        assertThat(o.totalBytes()).isEqualTo(800_000);
        assertThat(o.totalObjects()).as(o.toString()).isEqualTo(10_000);
        assertThat(o.siteSource()).isEqualTo(AllocationReport.SiteSource.EXACT);
        assertThat(out.resolve(InjectedObjects.class.getName())
                        .resolve("objects(Jprof)")
                        .resolve("alloc.pb.gz"))
                .isRegularFile();
        // an assertion on objects that were not asked for fails, saying how to ask
        objects.testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("objectsNotAskedFor"),
                                finishedWithFailure(
                                        instanceOf(AssertionError.class),
                                        message(m -> m.startsWith(
                                                        "Expecting InjectedObjects.objectsNotAskedFor() to have a counted number of objects/op")
                                                && m.contains("AllocationOptions.withObjects(true) counts them")))));
        // without any annotation, through JUnit's extension auto-detection
        run(NoAnnotation.class, Map.of("junit.jupiter.extensions.autodetection.enabled", "true"))
                .testEvents()
                .assertStatistics(s -> s.started(1).succeeded(1));
    }
}
