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
 * Fails the test when its body, run once as JUnit runs it, allocates more than a limit, or more than
 * its entry in the committed baseline file allows; the failure lists where the bytes come from.
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
 * other extensions registered after jprof's run inside the counted call.
 *
 * <p><b>Sites</b>: when a limit or the baseline is exceeded (or {@link #objects()} is set and the body
 * allocates), jprof runs the test method once more on the same instance with the same arguments,
 * without {@code @BeforeEach}, under async-profiler recording every allocation, and writes that
 * run's {@code alloc.pb.gz} and {@code alloc.html} into the test's folder. Dynamic tests are not run
 * again. Set {@code jprof.alloc.sites=false} to never run a test twice.
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
}
