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
 * Writes a block profile of the test, Go's {@code -blockprofile} for the JVM: everywhere a thread
 * waited for another thread, and for how long (values {@code contentions/count},
 * {@code delay/nanoseconds}, as Go's).
 *
 * <p>Blocking is what Go counts: entering a contended monitor ({@code synchronized}),
 * {@code Object.wait}, and every park ({@code LockSupport.park}: locks, conditions, latches,
 * semaphores, blocking queues, futures, {@code Thread.join} of a virtual thread). Not
 * {@code Thread.sleep}, not I/O: {@link Trace} shows those. Compare {@link ProfileLock}, Go's
 * mutex profile: only contention on locks (monitors and {@code java.util.concurrent.locks}).
 *
 * <p>Recorded with JDK Flight Recorder ({@code jdk.JavaMonitorEnter}, {@code jdk.JavaMonitorWait},
 * {@code jdk.ThreadPark}, threshold 0) whatever {@code jprof.engine} is, around the test method
 * only; combinable with {@link Trace} and the {@code @Profile…} annotations.
 *
 * <p>Artifacts: {@code target/jprof/<test class>/<test method>/block.pb.gz} (pprof, open with
 * {@code go tool pprof -http=: block.pb.gz}) and {@code block.html} (a flame graph of the delay).
 */
@API(status = EXPERIMENTAL, since = "0.1")
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Profiling
public @interface ProfileBlock {}
