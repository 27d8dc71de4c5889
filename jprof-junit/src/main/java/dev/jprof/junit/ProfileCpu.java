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
 * Writes a CPU profile of the test: where it spends CPU time.
 *
 * <p>On a test method, or on a class for every test in it (also {@code @Nested} classes inside it);
 * combinable with the other {@code @Profile…} annotations, which then come from the JVM's one recording;
 * usable as a meta-annotation. Capture starts immediately before the test method and stops right
 * after it, not around {@code @BeforeEach}/{@code @AfterEach}. Each invocation of a
 * {@code @ParameterizedTest}, {@code @RepeatedTest} or dynamic test gets its own folder.
 *
 * <p>Artifacts: {@code target/jprof/<test class>/<test method>/cpu.pb.gz} (pprof, open with
 * {@code go tool pprof -http=: cpu.pb.gz}) and {@code cpu.html} (a flame graph).
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
public @interface ProfileCpu {

    /**
     * The sampling interval, for example {@code "1ms"} or {@code "250us"}. Empty (the default) takes the configuration parameter {@code jprof.cpu.interval} (default {@code 3ms}).
     */
    String interval() default "";
}
