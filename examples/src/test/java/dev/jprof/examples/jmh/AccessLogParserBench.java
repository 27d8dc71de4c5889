package dev.jprof.examples.jmh;

import dev.jprof.examples.AccessLogParser;
import dev.jprof.examples.Router;
import dev.jprof.examples.TrafficReport;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The example program's hot paths as JMH benchmarks. {@code mvn verify} runs them briefly with
 * {@code -prof dev.jprof.jmh.JprofProfiler} and gates their allocation per operation against
 * {@code jmh-baseline.json}. One fixed input each, so that allocation per op is the same in every run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AccessLogParserBench {

    private final AccessLogParser parser = new AccessLogParser();
    private final String line =
            "203.0.113.9 - - [25/Nov/2026:10:15:32 +0000] \"GET /users/42/orders HTTP/1.1\" 200 512 17ms";
    private final AccessLogParser.Request request = parser.parseLine(line);

    /** Regex match, six groups, one record. */
    @Benchmark
    public AccessLogParser.Request parseLine() {
        return parser.parseLine(line);
    }

    /** Splits the path and rebuilds it with placeholders. */
    @Benchmark
    public String normalizeRoute() {
        return Router.normalize(request.path());
    }

    /** Aggregates into an existing route: boxes the status count. */
    @Benchmark
    public TrafficReport record(ReportState state) {
        state.report.record(request);
        return state.report;
    }

    /** A report that already knows the route. */
    @State(Scope.Thread)
    public static class ReportState {
        final TrafficReport report = new TrafficReport();
    }
}
