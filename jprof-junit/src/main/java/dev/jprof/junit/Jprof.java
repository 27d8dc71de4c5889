package dev.jprof.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.alloc.AllocationOptions;
import dev.jprof.alloc.AllocationReport;
import dev.jprof.capture.Profiler.ThrowingRunnable;
import org.apiguardian.api.API;

/**
 * jprof inside a test: declare a parameter of this type in a test method (or a lifecycle method) of
 * a class or method that uses any jprof annotation, or {@link WithJprof @WithJprof}.
 *
 * <pre>{@code
 * @Test
 * @WithJprof
 * void routingDoesNotAllocate(Jprof jprof) throws Exception {
 *     assertThat(jprof.allocations(() -> router.route(request), 10_000)).bytesPerOp().isZero();
 * }
 * }</pre>
 *
 * <p>With JUnit's extension auto-detection ({@code junit.jupiter.extensions.autodetection.enabled=true})
 * no annotation is needed at all.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface Jprof {

    /**
     * What {@code op} allocates per run, like Go's {@code testing.AllocsPerRun}: 1,000 warm-up runs,
     * then 1,000 counted runs. See {@link #allocations(AllocationOptions, ThrowingRunnable)}.
     */
    AllocationReport allocations(ThrowingRunnable op) throws Exception;

    /** What {@code op} allocates per run over {@code runs} runs, after as many warm-up runs. */
    AllocationReport allocations(ThrowingRunnable op, int runs) throws Exception;

    /**
     * What {@code op} allocates per run, measured as {@code dev.jprof.alloc.Allocations#measure}
     * does; the report is named after the test unless {@code options} names it, and the allocation
     * profile of the site-finding run, if any, is written to the test's folder as {@code alloc.pb.gz}.
     * An exception thrown by {@code op} propagates.
     */
    AllocationReport allocations(AllocationOptions options, ThrowingRunnable op) throws Exception;
}
