package dev.jprof.examples.bench;

import dev.jprof.alloc.AllocationOptions;
import dev.jprof.alloc.AllocationReport;
import dev.jprof.alloc.Allocations;
import dev.jprof.capture.Profiler.ThrowingRunnable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * What a user pays for an exact object count through the public API: {@code Allocations.measure} of one run with objects
 * counted (as {@code @AllocationLimit} does), of an operation that allocates {@value #ALLOCS} {@code byte[64]} (the example of
 * {@code @AllocationLimit(bytes = 800_000, objects = 10_000)}). The score is nanoseconds per counted allocation,
 * the whole call included; each fork also prints the process CPU time per counted allocation. Each count is
 * checked: at least {@value #ALLOCS} objects per run. The call is made {@code depth} frames down, as from a test.
 *
 * <pre>
 * mvn -B verify -pl examples -am -Pjmh -DskipTests -Djmh.args=MeasureObjectsCost
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(MeasureObjectsCost.ALLOCS)
@Warmup(iterations = 3)
@Measurement(iterations = 9)
@Fork(1)
public class MeasureObjectsCost {

    static final int ALLOCS = 10_000;

    /** How deep below the benchmark the call is made: a JUnit test's body runs about 80 frames down. */
    @org.openjdk.jmh.annotations.Param({"80"})
    public int depth;

    private final ThrowingRunnable op = ProcessCpuPerAllocation.allocating(ALLOCS);
    private final ProcessCpuPerAllocation cpu = new ProcessCpuPerAllocation();
    private boolean measuring;

    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
        measuring = params.getType() == IterationType.MEASUREMENT;
    }

    @TearDown(Level.Trial)
    public void printCpu() {
        cpu.print("Allocations.measure, objects, depth=" + depth);
    }

    @Benchmark
    public double measure() throws Throwable {
        cpu.begin();
        AllocationReport r = at(depth);
        if (measuring) {
            cpu.end(ALLOCS);
        }
        if (!r.objectsCounted() || r.objectsPerOp() < ALLOCS) {
            throw new IllegalStateException("Not exact: " + r);
        }
        return r.objectsPerOp();
    }

    private AllocationReport at(int frames) throws Throwable {
        if (frames > 0) {
            return at(frames - 1);
        }
        return Allocations.measure(AllocationOptions.runs(1).withObjects(true), op);
    }
}
