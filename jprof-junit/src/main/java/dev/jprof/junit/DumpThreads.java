package dev.jprof.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.junit.internal.ThreadDumpExtension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Dumps every thread of the JVM when the test fails or times out, the JVM's goroutine profile:
 * {@code threads.txt} (states, stacks, locks held and waited for with their owners, deadlocks; as
 * {@code jstack} prints them) and {@code threads.pb.gz} (one {@code threads/count} sample per thread
 * with its stack and labels {@code thread} and {@code state}: {@code go tool pprof -top} shows where
 * the threads are) in {@code target/jprof/<test class>/<test method>/}.
 *
 * <p><b>Timeouts.</b> When a JUnit timeout applies to the test ({@code @Timeout} on the method or
 * its classes, else {@code junit.jupiter.execution.timeout.test.method.default},
 * {@code ...testtemplate.method.default}, {@code ...testable.method.default},
 * {@code junit.jupiter.execution.timeout.default}, as JUnit reads them), the dump is taken shortly
 * <em>before</em> the deadline, while the test thread is still stuck where it was: 10% of the
 * timeout before it, at least 5 ms and at most 250 ms. JUnit then interrupts the thread (or, in
 * {@code SEPARATE_THREAD} mode, abandons it) and the dump shows where it was stuck. The dump is kept
 * only if the test then fails.
 *
 * <p>A thread dump does not need the JVM to itself, so unlike {@code @Profile…} this annotation
 * does not serialize tests under parallel execution; the dump then shows concurrent tests' threads
 * too. Dynamic tests ({@code @TestFactory}) are not dumped.
 */
@API(status = EXPERIMENTAL, since = "0.1")
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ThreadDumpExtension.class)
public @interface DumpThreads {

    /** When to dump. */
    When value() default When.ON_FAILURE;

    /** When {@link DumpThreads} writes a dump. */
    enum When {
        /** When the test fails, including by a JUnit timeout (the default). */
        ON_FAILURE,
        /** After every test, passed or failed; on a timeout, the dump from before the deadline. */
        ALWAYS
    }
}
