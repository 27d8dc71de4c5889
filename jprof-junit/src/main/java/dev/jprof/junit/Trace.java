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
 * Records a timeline of the test, Go's {@code go test -trace} for the JVM: what every thread did,
 * when: running (CPU samples), blocked on a monitor, waiting ({@code Object.wait}), parked (locks,
 * latches, queues, futures), sleeping, socket and file I/O, and the JVM's GC pauses. Every event is
 * recorded with threshold 0, so short waits are not lost.
 *
 * <p>Artifacts in {@code target/jprof/<test class>/<test method>/}: {@code trace.jfr} (the JDK Flight
 * Recorder recording; open it in JDK Mission Control) and {@code trace.json} (Trace Event Format;
 * open it in Perfetto UI, {@code https://ui.perfetto.dev}, or {@code chrome://tracing}): one track
 * per thread, the test's threads first (the test thread and the threads it started), then the GC
 * pauses of the whole JVM, then other threads, labelled {@code (not the test's)}; the test itself
 * is a slice around everything, with {@code test start} and {@code test end} markers.
 *
 * <p>The recording covers the test method only, like the {@code @Profile…} annotations; it is a
 * JDK {@code jdk.jfr.Recording}, independent of async-profiler, so it combines with any of them.
 * For assertions inside a test, use {@link dev.jprof.trace.Tracer} and
 * {@code dev.jprof.assertj.JprofAssertions}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Profiling
public @interface Trace {

    /**
     * How often running threads are sampled, for example {@code "1ms"} (JFR's limit). Empty (the
     * default) takes the configuration parameter {@code jprof.trace.interval} (default {@code 10ms}).
     */
    String interval() default "";
}
