package dev.jprof.alloc;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.alloc.internal.Attribution;
import dev.jprof.alloc.internal.ThreadAllocations;
import dev.jprof.capture.CaptureException;
import dev.jprof.capture.Profiler.ThrowingRunnable;
import java.util.ArrayList;
import java.util.List;
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
        return report(options, counts, options.runs(), n -> Attribution.count(n, () -> repeat(op, n)));
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

    /** Finds sites over a given number of runs. */
    @API(status = EXPERIMENTAL, since = "0.1")
    @FunctionalInterface
    public interface SiteFinder {
        Attribution.Result find(int runs) throws Throwable;
    }

    /**
     * The report for runs measured by {@code counts}; {@code sites} re-runs the operation under a
     * profiler when objects are asked for and it allocated, or when the counters could not see all its
     * bytes (a thread it started ended before it returned). Public for jprof's JUnit extension, which measures
     * one run of a test body itself.
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    public static AllocationReport report(AllocationOptions options, ThreadAllocations.Counts counts, int runs,
            SiteFinder sites) throws Throwable {
        List<String> notes = new ArrayList<>();
        long bytes = counts.bytes();
        boolean exact = counts.complete();
        long ops = runs;
        long objects = -1;
        long objectOps = 0;
        List<String> threads = counts.threads();
        String method = "bytes from the JVM's per-thread allocation counters (exact)";
        if (!exact) {
            notes.add(counts.problem());
        }
        if (bytes == 0 && exact) {
            objects = 0;
            objectOps = runs;
            method += "; 0 bytes means 0 objects";
        }
        Attribution.Result attribution = null;
        // the profiler also recovers the bytes of threads that ended before the counters were read
        boolean wanted = (options.objects() && bytes > 0) || !exact;
        if (wanted && sites != null) {
            int siteRuns = exact ? siteRuns(options, (double) bytes / runs, runs) : runs;
            try {
                attribution = sites.find(siteRuns);
                if (exact && attribution.exact() && attribution.bytes() * ops != bytes * attribution.ops()) {
                    // a run disturbed by the JVM (see measure) allocates more: try once more
                    Attribution.Result again = sites.find(siteRuns);
                    if (again.exact() && again.bytes() * ops == bytes * again.ops()) {
                        attribution = again;
                    }
                }
            } catch (CaptureException e) {
                notes.add("Allocation sites not found: " + e.getMessage());
            }
        }
        if (attribution == null && objects < 0 && sites != null && !options.objects()) {
            method += "; objects not counted (AllocationOptions.withObjects(true) counts them)";
        }
        AllocationReport.SiteSource source = AllocationReport.SiteSource.NONE;
        List<dev.jprof.alloc.AllocationSite> found = List.of();
        if (attribution != null) {
            found = attribution.sites();
            source = attribution.exact() ? AllocationReport.SiteSource.EXACT : AllocationReport.SiteSource.SAMPLED;
            if (attribution.exact()) {
                objects = attribution.objects();
                objectOps = attribution.ops();
                method += "; objects and sites from async-profiler recording every allocation over "
                        + (attribution.ops() == runs ? "as many runs" : attribution.ops() + " runs")
                        + (attribution.freshThread() ? " on a fresh thread" : "");
                boolean unambiguous = attribution.counts().threadsStarted() <= attribution.counts().threadsCreated();
                if (!exact && unambiguous) {
                    bytes = attribution.bytes();
                    ops = attribution.ops();
                    threads = attribution.threads();
                    exact = true;
                    method = "bytes, objects and sites from async-profiler recording every allocation of the"
                            + " operation's threads (exact), because " + counts.problem();
                    notes.clear();
                } else if (exact && attribution.bytes() * ops != bytes * attribution.ops()) {
                    objects = -1;
                    objectOps = 0;
                    notes.add("Run again to find the sites, it allocated " + AllocationReport.format(attribution.bytes(), attribution.ops())
                            + " B/op instead of " + AllocationReport.format(bytes, ops) + " B/op"
                            + (attribution.bytes() < bytes * attribution.ops() / ops
                                    ? ": the rest was one-time work in the measured run (the first execution of a lambda or"
                                            + " method reference links it, a class is loaded or initialized, a cache filled)"
                                    : ": the operation does not allocate the same in every run"));
                }
            } else {
                method += "; sites sampled by JFR (async-profiler is not available): approximate, objects not counted";
            }
        }
        return new AllocationReport(options.name(), ops, bytes, objects, objectOps, threads, method, exact, found, source,
                notes, attribution == null ? null : attribution.profile());
    }

    private static int siteRuns(AllocationOptions options, double bytesPerOp, int runs) {
        // at least 16 bytes per object: an upper bound of the objects per run
        double objectsPerOp = Math.max(1, bytesPerOp / 16);
        long fit = (long) (options.maxSiteSamples() / objectsPerOp);
        return (int) Math.max(1, Math.min(runs, fit));
    }
}
