package dev.jprof.examples.bench;

import dev.jprof.alloc.AllocationOptions;
import dev.jprof.alloc.AllocationReport;
import dev.jprof.alloc.Allocations;
import dev.jprof.capture.Profiler.ThrowingRunnable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What measuring costs: {@code Allocations.measure} of 1,000 runs of a ~1 µs operation that allocates
 * nothing, against the bare loop of the same 1,000 runs. The ratio of the two scores is jprof's
 * overhead. Run with {@code mvn -B verify -pl examples -am -Pjmh -DskipTests}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AllocationsCost {

    static final int RUNS = 1_000;

    private final long[] data = new long[256];
    private long sink;
    private ThrowingRunnable op;
    private AllocationOptions options;

    @Setup
    public void setUp() {
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 0x9E3779B97F4A7C15L;
        }
        op = this::oneMicrosecond;
        // JMH warms up; bytes only (the default): objects would be counted only if asked for
        options = AllocationOptions.runs(RUNS).withWarmup(0);
    }

    /** About 1 µs of arithmetic over a small array, allocating nothing. */
    void oneMicrosecond() {
        long h = sink;
        for (int r = 0; r < 4; r++) {
            for (long d : data) {
                h = (h ^ d) * 0x100000001B3L;
            }
        }
        sink = h;
    }

    @Benchmark
    public long bareLoop() throws Throwable {
        for (int i = 0; i < RUNS; i++) {
            op.run();
        }
        return sink;
    }

    @Benchmark
    public long allocations() throws Throwable {
        AllocationReport r = Allocations.measure(options, op);
        return sink + r.totalBytes();
    }
}
