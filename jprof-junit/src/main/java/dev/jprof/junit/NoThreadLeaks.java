package dev.jprof.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.junit.internal.ThreadLeakExtension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fails the test if threads it started are still alive a short grace period after it ended, like
 * Go's {@code goleak}: the failure names each such thread, its state, its stack now and the stack
 * that started it.
 *
 * <p>"Threads it started" are the threads alive after the test (its {@code @BeforeEach} and
 * {@code @AfterEach} methods included) that were not alive before it; on JDK 21 and newer also the
 * virtual threads created during the test. A thread that ends within the grace period (an executor
 * shut down without waiting for its termination) is not a leak: the check waits for it, up to
 * {@link #grace()}. The JVM's own threads and well-known ones it starts on demand (the common
 * {@code ForkJoinPool}, virtual threads' carriers, Flight Recorder, RMI/JMX, Surefire's, jprof's) are
 * ignored; {@link #ignore()} and {@code jprof.threads.leaks.ignore} add patterns.
 *
 * <p>A test that fails keeps its own failure; the leak is added to it as a suppressed exception.
 * {@code jprof.threads.leaks=warn} turns the failure into a warning (logged, and published as a
 * report entry) for the whole run; {@code jprof.threads.leaks=fail} checks every test of the run that
 * the extension sees: with JUnit's extension auto-detection
 * ({@code junit.jupiter.extensions.autodetection.enabled=true}), all of them.
 *
 * <p>On a test method or class (including its {@code @Nested} classes); inherited.
 */
@API(status = EXPERIMENTAL, since = "0.1")
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ThreadLeakExtension.class)
public @interface NoThreadLeaks {

    /**
     * How long the check waits for the test's threads to end, as {@code "500ms"} or {@code "2s"};
     * empty takes {@code jprof.threads.leaks.grace} (default {@code 1s}). A test without leaks never
     * waits: the check returns as soon as every thread it started has ended.
     */
    String grace() default "";

    /**
     * Regular expressions on thread names (matching the whole name) of threads the test may leave
     * running, in addition to the built-in ones and those of {@code jprof.threads.leaks.ignore}.
     */
    String[] ignore() default {};
}
