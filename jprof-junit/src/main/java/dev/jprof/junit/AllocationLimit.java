package dev.jprof.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.junit.internal.Profiling;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Fails the test when its body, run once as JUnit runs it (after {@link #warmup()} uncounted runs),
 * allocates more than a limit, or more than its entry in the committed baseline file allows; the
 * failure lists where the bytes come from.
 *
 * <pre>{@code
 * @Test
 * @AllocationLimit(bytes = 0)
 * void parseIntoDoesNotAllocate() { parser.parseInto(buffer, line); }
 *
 * @Test
 * @AllocationLimit(baseline = true)        // compared with jprof-baseline.txt
 * void parseAllocatesNoMoreThanBefore() { parser.parse(line); }
 * }</pre>
 *
 * <p><b>What is counted</b>: the bytes allocated on the Java heap by the test method's invocation on
 * the test thread, and by the threads it starts (see {@code dev.jprof.alloc.Allocations}); not
 * {@code @BeforeEach}/{@code @AfterEach}, not argument resolution, not JUnit's reflective call of
 * the method (measured at run time on an empty method and subtracted; the method's reflective
 * accessor is created before counting starts), not other tests running in parallel. Interceptors of
 * other extensions registered after jprof's run inside the counted call. Bytes are counted exactly
 * from the JVM's per-thread counters at almost no cost; objects only when {@link #objects()} is set
 * (async-profiler recording every allocation: microseconds per allocation).
 *
 * <p><b>Order-independent figures</b>: the counted run includes one-time work that the test happens to
 * do first (a class initialized, a lambda linked on its first execution, a cache filled), so a test may
 * allocate more when it runs alone than after other tests. {@link #warmup()} runs the body that many
 * times before the counted run, so that the figure is the same in any order.
 *
 * <p><b>Sites</b>: when a limit or the baseline is exceeded (or {@link #objects()} is set and the body
 * allocates), jprof runs the test method once more on the same instance with the same arguments,
 * without {@code @BeforeEach}, under async-profiler recording every allocation, and writes that
 * run's {@code alloc-sites.pb.gz} and {@code alloc-sites.html} into the test's folder. Dynamic tests are
 * not run again. Set {@code jprof.alloc.sites=false} to never run a test twice.
 *
 * <p><b>Artifacts</b>: a limit records no profile of its own; the test's {@code summary.json} and the
 * run report hold the exact bytes. A sampled {@code alloc.pb.gz}/{@code alloc.html} of the body is
 * written when the test also has {@link ProfileAlloc} (or {@code jprof.profile=alloc} is set).
 *
 * <p>On a method, or on a class for each of its tests; the method's annotation wins. Under parallel
 * execution no lock is held: counting is per thread.
 */
@API(status = EXPERIMENTAL, since = "0.1")
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Profiling
public @interface AllocationLimit {

    /** No limit. */
    long NONE = -1;

    /** The most bytes the test body may allocate; {@link #NONE} (the default) for no limit. */
    long bytes() default NONE;

    /**
     * The most objects the test body may allocate; {@link #NONE} (the default) for no limit. Objects
     * are counted exactly by async-profiler; where it is not available the test fails saying so,
     * unless the body allocated 0 bytes.
     */
    long objects() default NONE;

    /**
     * Compare the bytes with this test's entry in the baseline file ({@code jprof.baseline.file},
     * default {@code jprof-baseline.txt} in the module): more than the entry plus the tolerance
     * ({@code jprof.baseline.tolerance.bytes}, {@code jprof.baseline.tolerance.percent}) fails;
     * less is reported so that the entry can be lowered; {@code -Djprof.baseline.update=true}
     * rewrites the entries of the tests that ran. A test without an entry follows
     * {@code jprof.baseline.missing}: {@code fail} (default), {@code record} or {@code pass}.
     */
    boolean baseline() default false;

    /**
     * How many times the test method runs before the counted run: on the same instance with the same
     * arguments, without {@code @BeforeEach} in between, and not counted. {@code 0} (the default)
     * counts the first run, as JUnit runs it; {@code 1} or more leaves one-time work (class
     * initialization, lambda linkage, caches filled on first use) out of the figure, which then does
     * not depend on which tests ran before. A test whose body may not run twice on one instance keeps
     * {@code 0}. Not for dynamic tests, which cannot be run again.
     */
    int warmup() default 0;
}
