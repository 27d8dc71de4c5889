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
 * Writes an allocation profile of the test: where it allocates, sampled every so many bytes (values {@code alloc_objects/count}, {@code alloc_space/bytes}; the allocated class is the {@code class} label).
 *
 * <p>On a test method, or on a class for every test in it (also {@code @Nested} classes inside it);
 * combinable with the other {@code @Profile…} annotations, which then come from the JVM's one recording;
 * usable as a meta-annotation. Capture starts immediately before the test method and stops right
 * after it, not around {@code @BeforeEach}/{@code @AfterEach}. Each invocation of a
 * {@code @ParameterizedTest}, {@code @RepeatedTest} or dynamic test gets its own folder.
 *
 * <p>Artifacts: {@code target/jprof/<test class>/<test method>/alloc.pb.gz} (pprof, open with
 * {@code go tool pprof -http=: alloc.pb.gz}) and {@code alloc.html} (a flame graph).
 *
 * <p>Under JUnit's parallel execution profiled tests run in parallel too: each profile holds the
 * thread that ran the test and the threads created while it ran, not the JVM's own threads.
 */
@API(status = EXPERIMENTAL, since = "0.1")
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Profiling
public @interface ProfileAlloc {

    /**
     * The sampling interval in bytes, for example {@code "128k"} or {@code "1m"}. Empty (the default) takes the configuration parameter {@code jprof.alloc.interval} (default {@code 4m}).
     */
    String interval() default "";
}
