package dev.jprof.alloc;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.alloc.internal.AllocationReports;
import dev.jprof.alloc.internal.Attribution;
import dev.jprof.alloc.internal.ThreadAllocations;
import dev.jprof.capture.Profiler.ThrowingRunnable;
import org.apiguardian.api.API;

/**
 * Exact allocation per operation, like Go's {@code testing.AllocsPerRun}; no test framework needed.
 *
 * <pre>{@code
 * AllocationReport r = Allocations.measure(AllocationOptions.runs(10_000), () -> parser.parseInto(buffer, line));
 * assertThat(r).bytesPerOp().isZero();
 *
 * AllocationReport o = Allocations.measure(AllocationOptions.runs(10_000).withObjects(true), () -> parser.parse(line));
 * assertThat(o).objectsPerOp().isLessThanOrEqualTo(2);
 * }</pre>
 *
 * <p>By default only bytes are counted: exact, from the JVM's per-thread counters, at almost no cost.
 * Objects are counted when {@linkplain AllocationOptions#withObjects(boolean) asked}, at microseconds
 * per allocation.
 *
 * <h2>What is counted</h2>
 * <ul>
 *   <li><b>Bytes</b> allocated on the Java heap by the calling thread during the measured runs, read
 *       from the JVM's per-thread counters: exact to the byte, including TLAB-allocated objects and
 *       objects the JIT did not eliminate; not counted: the warm-up runs, objects the JIT removed by
 *       escape analysis (they are not allocated), native memory, and memory the JVM allocates for
 *       itself (class metadata, code).
 *   <li>Bytes allocated by <b>threads the operation creates</b> (a {@code new Thread}, an executor it
 *       creates): from their counters when they are still alive at the end of the runs; when some
 *       ended before (a joined thread, an executor shut down) their counters are gone, and the runs are
 *       counted again by async-profiler, which sees every allocation of every thread. Threads that
 *       existed before (a shared pool, {@code ForkJoinPool.commonPool()}) are not counted, and neither
 *       is other code running at the same time (a parallel test). When other code starts threads while
 *       the operation starts threads too, jprof cannot tell them apart: the report says so
 *       ({@link AllocationReport#exact()} is false).
 *   <li><b>Objects</b> and <b>sites</b>, when {@linkplain AllocationOptions#withObjects(boolean) asked}:
 *       counted by async-profiler recording every allocation ({@code alloc=1}, microseconds per
 *       allocation) in a further series of runs, only when the operation allocates. An operation that
 *       allocates 0 bytes allocates 0 objects, counted without a profiler, asked or not. Without async-profiler (Windows, musl), sites come from JFR's allocation samples,
 *       objects are not counted, and the report says so.
 * </ul>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Allocations {

    private Allocations() {}

    /**
     * Measures the bytes {@code op} allocates with the {@linkplain AllocationOptions#defaults() defaults}:
     * 1,000 warm-up runs and 1,000 runs; objects are not counted (unless it allocates nothing).
     */
    public static AllocationReport measure(ThrowingRunnable op) throws Throwable {
        return measure(AllocationOptions.defaults(), op);
    }

    /** Measures the bytes of {@code runs} runs of {@code op} after as many warm-up runs; objects are not counted. */
    public static AllocationReport measure(int runs, ThrowingRunnable op) throws Throwable {
        return measure(AllocationOptions.runs(runs), op);
    }

    /**
     * Measures {@code op}: {@link AllocationOptions#warmup()} runs, then {@link AllocationOptions#runs()}
     * counted runs; when they allocated, a second counted series (the smaller figure is kept: the
     * JVM's own events, such as a deoptimization, only add bytes) and, when
     * {@link AllocationOptions#objects()} asks for it, a series under async-profiler to count objects
     * and find sites. An exception thrown by {@code op} propagates.
     *
     * @throws IllegalStateException when the JVM does not count allocated bytes per thread
     */
    public static AllocationReport measure(AllocationOptions options, ThrowingRunnable op) throws Throwable {
        if (!ThreadAllocations.supported()) {
            ThreadAllocations.open(); // throws, naming the JVM
        }
        repeat(op, options.warmup());
        ThreadAllocations.Counts counts = series(op, options.runs());
        if (counts.bytes() > 0) {
            // The JVM's own events during a series (a deoptimization materializing objects that escape
            // analysis had removed, a class loaded late) only ever add bytes: count a second series
            // and keep the smaller. An operation that really allocates gives the same figure twice.
            ThreadAllocations.Counts again = series(op, options.runs());
            if (again.bytes() < counts.bytes()) {
                counts = again;
            }
        }
        return AllocationReports.report(
                options, counts, options.runs(), n -> Attribution.count(n, () -> repeat(op, n)));
    }

    private static ThreadAllocations.Counts series(ThrowingRunnable op, int runs) throws Throwable {
        ThreadAllocations.Window window = ThreadAllocations.open();
        try {
            repeat(op, runs);
        } catch (Throwable t) {
            window.close();
            throw t;
        }
        return window.close();
    }

    /** Runs {@code op} {@code n} times; a method of its own so that it is the same compiled loop every time. */
    private static void repeat(ThrowingRunnable op, int n) throws Throwable {
        for (int i = 0; i < n; i++) {
            op.run();
        }
    }
}
