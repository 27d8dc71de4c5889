package dev.jprof.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/** The run report written at the end of a run: per-test summaries, index.html, summary.json, the console line. */
class RunReportTest extends EngineTestKitBase {

    static class Profiled {
        @Test
        @ProfileCpu
        @ProfileAlloc
        void both() {
            Burn.inTestBody(60);
            // 64 MiB: about 16 samples at the default interval (4 MiB), so that the sampled figure is never 0
            HotAnnotationsTest.allocateMegabytes(64);
        }

        @ParameterizedTest
        @ValueSource(strings = {"a b", "ü#?%"})
        @ProfileCpu
        void odd(String s) {
            Burn.inTestBody(20);
        }

        @Test
        @ProfileLock
        void fails() {
            throw new AssertionError("boom <b>");
        }

        @Test
        void notProfiled() {}
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyProfiledTestIsARowWithWorkingLinks() throws IOException {
        String console = console(Profiled.class);

        assertThat(console.lines().filter(l -> l.startsWith("jprof: ")))
                .containsExactly("jprof: report " + out.resolve("index.html")
                        + " — 4 profiled tests (cpu 3, alloc 1, lock 1), 1 failed");
        var run = (java.util.Map<String, Object>)
                dev.jprof.internal.Json.parse(Files.readString(out.resolve("summary.json")));
        assertThat(run)
                .containsEntry("schema", "jprof.run-summary/1")
                .containsEntry("tests", 4L)
                .containsEntry("failed", 1L);
        List<java.util.Map<String, Object>> results = (List<java.util.Map<String, Object>>) run.get("results");
        assertThat(results)
                .extracting(r -> r.get("test"))
                .containsExactly("both()", "fails()", "odd(String) › [1] a b", "odd(String) › [2] ü#?%");
        java.util.Map<String, Object> both = results.get(0);
        assertThat(both)
                .containsEntry("status", "passed")
                .containsEntry("class", Profiled.class.getName())
                .containsKeys("engine", "durationNanos", "finishedAt", "uniqueId", "run");
        assertThat(results)
                .extracting(r -> r.get("run"))
                .as("one run")
                .containsOnly(run.get("run"))
                .doesNotContainNull();
        java.util.Map<String, Object> cpu =
                (java.util.Map<String, Object>) ((java.util.Map<String, Object>) both.get("profiles")).get("cpu");
        assertThat(cpu)
                .containsEntry("pprof", "cpu.pb.gz")
                .containsEntry("flameGraph", "cpu.html")
                .containsEntry("sampleType", "cpu");
        assertThat((Long) cpu.get("samples")).isPositive();
        assertThat((List<Object>) cpu.get("top")).hasSizeBetween(1, 5);
        assertThat((java.util.Map<String, Object>) both.get("allocations")).containsEntry("sampled", true);
        assertThat((Long) ((java.util.Map<String, Object>) both.get("allocations")).get("bytes"))
                .isGreaterThan(1L << 20);
        assertThat(results.get(1)).containsEntry("status", "failed").containsEntry("failure", "boom <b>");
        // the per-test summary is the same object
        assertThat(dev.jprof.internal.Json.parse(Files.readString(
                        out.resolve(Profiled.class.getName()).resolve("both()").resolve("summary.json"))))
                .isEqualTo(both);

        String html = Files.readString(out.resolve("index.html"));
        assertThat(html)
                .contains("4 profiled tests (cpu 3, alloc 1, lock 1), 1 failed")
                .contains("boom &lt;b&gt;")
                .doesNotContain("http://", "https://", "<link", "src=");
        assertThat(Pattern.compile("<tr class=\"").matcher(html).results().count())
                .isEqualTo(4);
        List<String> hrefs = new ArrayList<>();
        Matcher m = Pattern.compile("href=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            hrefs.add(m.group(1));
        }
        assertThat(hrefs).hasSize(5 + 3 + 3 + 3); // both: 2 kinds x 2 + summary; fails: lock x 2 + summary; odd: 3 each
        URI base = out.resolve("index.html").toUri();
        for (String href : hrefs) {
            assertThat(Path.of(base.resolve(href))).as(href).isRegularFile();
        }
    }

    /** The body's own time, measured inside each fixture body: the last run of a body wins. */
    static final java.util.Map<String, Long> BODY_NANOS = new java.util.concurrent.ConcurrentHashMap<>();

    private static final long SLEEP_MILLIS = 100;
    private static final int WARMUP = 4;

    private static void sleepTimed(String name, long millis) throws InterruptedException {
        long start = System.nanoTime();
        Thread.sleep(millis);
        BODY_NANOS.put(name, System.nanoTime() - start);
    }

    static class Timed {
        /** Four warm-up runs of the body inside the capture window, then the counted run: the test's own time. */
        @Test
        @ProfileCpu
        @AllocationLimit(bytes = 1 << 20, warmup = WARMUP)
        void warmedUp() throws InterruptedException {
            sleepTimed("warmedUp", SLEEP_MILLIS);
        }

        @Test
        @Trace
        @ProfileWall
        void traced() throws InterruptedException {
            sleepTimed("traced", 20);
        }
    }

    @SuppressWarnings("unchecked")
    private static java.util.Map<String, Object> summary(Path dir) throws IOException {
        return (java.util.Map<String, Object>)
                dev.jprof.internal.Json.parse(Files.readString(dir.resolve("summary.json")));
    }

    @Test
    void durationIsTheTestsOwnTimeAndTheWindowIsKeptApart() throws IOException {
        run(Timed.class);

        // @AllocationLimit's warm-up runs are inside the capture window, but not the test's own time
        java.util.Map<String, Object> warmed =
                summary(out.resolve(Timed.class.getName()).resolve("warmedUp()"));
        long duration = (Long) warmed.get("durationNanos");
        long window = (Long) warmed.get("windowNanos");
        assertThat(duration).as("duration").isGreaterThanOrEqualTo(BODY_NANOS.get("warmedUp"));
        assertThat(window).as("window").isGreaterThanOrEqualTo((WARMUP + 1) * SLEEP_MILLIS * 1_000_000);
        assertThat(duration)
                .as("duration leaves out the %d warm-up runs of the window", WARMUP)
                .isLessThanOrEqualTo(window - WARMUP * SLEEP_MILLIS * 1_000_000);

        // @Trace's recording events are in the window, not in the test's own time
        java.util.Map<String, Object> traced =
                summary(out.resolve(Timed.class.getName()).resolve("traced()"));
        assertThat((Long) traced.get("durationNanos"))
                .isGreaterThanOrEqualTo(BODY_NANOS.get("traced"))
                .isLessThanOrEqualTo((Long) traced.get("windowNanos"));

        // the report's Duration column shows and sorts by the test's own time
        String html = Files.readString(out.resolve("index.html"));
        assertThat(html).contains("<td class=\"num\" data-sort=\"" + duration + "\" title=\"");
        assertThat(html).doesNotContain("data-sort=\"" + window + "\"");
    }

    static class LongSetUp {
        @BeforeEach
        void setUp() throws InterruptedException {
            Thread.sleep(SLEEP_MILLIS);
        }

        @Test
        void quick() throws InterruptedException {
            sleepTimed("quick", 1);
        }
    }

    @Test
    void inAWholeSuiteRunDurationIsTheTestsStartToItsEnd() throws IOException {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create()
                .execute(
                        LauncherDiscoveryRequestBuilder.request()
                                .selectors(selectClass(LongSetUp.class))
                                .configurationParameter("jprof.profile", "cpu")
                                .configurationParameter("jprof.output.dir", out.toString())
                                .build(),
                        listener);
        assertThat(listener.getSummary().getTestsSucceededCount()).isEqualTo(1);

        java.util.Map<String, Object> s =
                summary(out.resolve(LongSetUp.class.getName()).resolve("quick()"));
        // the listener's test start..end holds @BeforeEach and the window, which opens after the start
        assertThat((Long) s.get("durationNanos"))
                .isGreaterThanOrEqualTo(SLEEP_MILLIS * 1_000_000 + BODY_NANOS.get("quick"))
                .isGreaterThanOrEqualTo((Long) s.get("windowNanos"));
    }

    static class OverItsLimit {
        @Test
        @AllocationLimit(bytes = 1024)
        void allocatesAMegabyte() {
            HotAnnotationsTest.allocateMegabytes(1);
        }

        @Test
        @AllocationLimit(bytes = 1 << 20)
        void withinItsLimit() {}
    }

    /** A test that fails only its allocation limit is failed in its summary, the run summary and the page. */
    @Test
    @SuppressWarnings("unchecked")
    void aFailedAllocationLimitIsAFailedTestInTheReport() throws IOException {
        String console = console(OverItsLimit.class);

        java.util.Map<String, Object> over =
                summary(out.resolve(OverItsLimit.class.getName()).resolve("allocatesAMegabyte()"));
        assertThat(over).containsEntry("status", "failed");
        assertThat((String) over.get("failure")).contains("allocatesAMegabyte");
        assertThat((java.util.Map<String, Object>) over.get("allocations")).containsEntry("exact", true);
        assertThat((Long) ((java.util.Map<String, Object>) over.get("allocations")).get("bytes"))
                .isGreaterThan(1L << 20);
        assertThat(summary(out.resolve(OverItsLimit.class.getName()).resolve("withinItsLimit()")))
                .containsEntry("status", "passed");
        // a limit alone records no profile, so no kind is counted
        assertThat(console).contains(" — 2 profiled tests, 1 failed");
        assertThat(Files.readString(out.resolve("index.html")))
                .containsPattern("<tr class=\"failed\">.*allocatesAMegabyte\\(\\)")
                .containsPattern("<tr class=\"passed\">.*withinItsLimit\\(\\)");
    }
}
