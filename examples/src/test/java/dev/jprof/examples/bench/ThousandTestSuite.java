package dev.jprof.examples.bench;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.jprof.examples.AccessLogParser;
import dev.jprof.examples.LruCache;
import dev.jprof.examples.Router;
import dev.jprof.examples.SampleTraffic;
import dev.jprof.examples.TrafficReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * A suite of 1,000 tests of the example service, each a few milliseconds of parsing, routing, caching
 * and reporting, run by the JUnit Platform: {@link #main} records the whole run with async-profiler as
 * jprof's one recording per test JVM would (CPU every 1 ms, allocations every 128 KiB, every
 * contended lock), for {@link ConversionCost}. Not a test of this build: Surefire's default includes
 * ({@code *Test}, {@code *Tests}, {@code Test*}, {@code *TestCase}) do not match its name.
 */
public class ThousandTestSuite {

    static final int TESTS = 1_000;
    /** What {@link #main} records; the kinds of the measurement, at jprof's default intervals. */
    static final String COMMAND = "start,event=cpu,interval=1ms,alloc=128k,lock=0,loglevel=ERROR,jfr,file=";

    private static final LruCache<String, String> CACHE = new LruCache<>(256);

    @TestFactory
    Stream<DynamicTest> thousandTests() {
        return IntStream.range(0, TESTS).mapToObj(i -> DynamicTest.dynamicTest("test " + i, () -> oneTest(i)));
    }

    /** One test: its own mix of the example service's work, so that tests differ in what they run. */
    static void oneTest(int i) {
        List<String> lines = SampleTraffic.lines(200 + (i % 7) * 100);
        AccessLogParser.Result parsed = new AccessLogParser().parseAll(lines);
        Assertions.assertEquals(0, parsed.rejected());
        if (i % 2 == 0) {
            TrafficReport report = new TrafficReport().recordAll(parsed.requests());
            Assertions.assertTrue(report.routes() > 0);
        }
        if (i % 3 == 0) {
            Router router = new Router()
                    .add("/users/{id}", p -> "user " + p.get("id"))
                    .add("/users/{id}/orders/{order}", p -> "order " + p.get("order"));
            for (AccessLogParser.Request r : parsed.requests()) {
                router.route(r.path());
            }
        }
        if (i % 5 == 0) {
            for (AccessLogParser.Request r : parsed.requests()) {
                CACHE.get(r.path(), Router::normalize);
            }
        }
    }

    /** {@code <out.jfr>}: runs the suite under async-profiler, recording into {@code out.jfr}. */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]).toAbsolutePath();
        Files.deleteIfExists(out);
        one.profiler.AsyncProfiler profiler = one.profiler.AsyncProfiler.getInstance();
        profiler.execute(COMMAND + out);
        TestExecutionSummary summary;
        try {
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(ThousandTestSuite.class))
                    .build();
            Launcher launcher = LauncherFactory.create();
            SummaryGeneratingListener listener = new SummaryGeneratingListener();
            launcher.execute(request, listener);
            summary = listener.getSummary();
        } finally {
            profiler.execute("stop");
        }
        if (summary.getTestsSucceededCount() != TESTS) {
            summary.printFailuresTo(new java.io.PrintWriter(System.err, true), 10);
            throw new IllegalStateException(
                    "Expected " + TESTS + " passing tests, got " + summary.getTestsSucceededCount());
        }
    }
}
