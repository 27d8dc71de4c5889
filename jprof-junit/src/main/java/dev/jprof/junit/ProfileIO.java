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
 * Writes an I/O profile of the test, Go's {@code go tool trace -pprof=net} and {@code -pprof=syscall}
 * for the JVM: every socket and file read and write of the test's threads, with the time blocked in it
 * and the bytes it moved (values {@code bytes/bytes} and {@code delay/nanoseconds}, the default), and
 * labels {@code file} (the path) or {@code address} ({@code host:port}), {@code op} ({@code read},
 * {@code write}) and {@code thread}: {@code go tool pprof -tagfocus address=127.0.0.1 io.pb.gz}.
 *
 * <p>Recorded with JDK Flight Recorder ({@code jdk.SocketRead}, {@code jdk.SocketWrite},
 * {@code jdk.FileRead}, {@code jdk.FileWrite}, threshold 0, with stacks) whatever {@code jprof.engine}
 * is, around the test method only; combinable with {@link Trace}, {@link ProfileBlock} and the
 * {@code @Profile…} annotations. What the JDK does not instrument, such as memory-mapped files, is
 * not seen.
 *
 * <p>Artifacts: {@code target/jprof/<test class>/<test method>/io.pb.gz} (pprof, open with
 * {@code go tool pprof -http=: io.pb.gz}) and {@code io.html} (a flame graph of the delay).
 */
@API(status = EXPERIMENTAL, since = "0.1")
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Profiling
public @interface ProfileIO {}
