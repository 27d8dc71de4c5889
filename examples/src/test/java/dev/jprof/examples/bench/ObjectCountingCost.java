package dev.jprof.examples.bench;

import dev.jprof.alloc.internal.Attribution;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * What counting objects exactly costs per counted allocation: one count of an operation that allocates
 * {@value #ALLOCS} {@code byte[64]} (and the array holding them), with async-profiler recording every
 * allocation, from a caller {@code depth} frames deep (a JUnit test's body runs about 80 frames down).
 * The score is nanoseconds per counted allocation, the whole count included: starting and stopping
 * the recording of every allocation, the runs, and reading the recording back.
 *
 * <ul>
 *   <li>{@code thread=caller}: the runs on the calling thread, as jprof counted before 0.1
 *       ({@code Attribution.run}); every allocation's stack holds the caller's frames.
 *   <li>{@code thread=fresh}: the runs on a fresh thread of their own ({@code Attribution.count}, what
 *       {@code Allocations.measure} and {@code @AllocationLimit} use now), a few frames deep.
 * </ul>
 *
 * Every count is checked to be exact (what was recorded is the thread's allocation counter to the
 * byte, and at least the {@value #ALLOCS} + 1 objects), so a faster wrong count cannot score.
 *
 * <p>The score is wall time, which on a shared, loaded machine is several times the CPU time the count
 * takes. Each fork therefore also prints {@code cpu ns per counted allocation}: the JVM process's CPU
 * time over each measured count (every thread: the counting thread, jprof's worker reading the
 * recording, the JIT and the GC), mean, median and range over the measured iterations (the process's CPU clock ticks in 10 ms steps
 * on Linux, a sixth or so of one count: the mean evens that out). Run with {@code mvn -B verify -pl examples -am -Pjmh -DskipTests -Djmh.args=ObjectCountingCost}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(ObjectCountingCost.ALLOCS)
@Warmup(iterations = 3)
@Measurement(iterations = 9)
@Fork(1)
public class ObjectCountingCost {

    static final int ALLOCS = 20_000;

    @Param({"caller", "fresh"})
    public String thread;

    @Param({"80"})
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
        cpu.print("thread=" + thread + ", depth=" + depth);
    }

    @Benchmark
    public long count() throws Throwable {
        cpu.begin();
        Attribution.Result r = at(depth);
        if (measuring) {
            cpu.end(ALLOCS);
        }
        // exact: the recorded bytes are the thread's own counter to the byte, and every byte[64] is there
        // (the JVM may add an object of its own to a run, a deoptimization materializing one: jprof's
        // callers compare with a second series; here it only must not be missing anything)
        if (!r.exact()
                || r.bytes() != r.counts().bytes()
                || r.objects() < ALLOCS + 1
                || r.bytes() < 16L + 4L * ALLOCS + 80L * ALLOCS) {
            throw new IllegalStateException("Not exact: " + r.objects() + " objects, " + r.bytes() + " bytes recorded, "
                    + r.counts().bytes() + " bytes counted");
        }
        return r.objects();
    }

    private Attribution.Result at(int frames) throws Throwable {
        if (frames > 0) {
            return at(frames - 1);
        }
        return thread.equals("fresh") ? Attribution.count(1, op) : Attribution.run(1, op);
    }
}
