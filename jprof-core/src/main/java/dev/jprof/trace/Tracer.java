package dev.jprof.trace;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.capture.CaptureException;
import dev.jprof.capture.Profiler.ThrowingRunnable;
import org.apiguardian.api.API;

/**
 * Records a timeline of what threads do, with the JDK's Flight Recorder (a {@code jdk.jfr.Recording},
 * independent of async-profiler, so it can run alongside a profiling session):
 *
 * <pre>{@code
 * Timeline t = Tracer.trace(TraceOptions.all(), () -> pipeline.run(batch));
 * assertThat(t.time("pipeline-worker", SliceKind.BLOCKED)).isLessThan(Duration.ofMillis(5));
 * }</pre>
 *
 * <p>Thread ids are decided by who started what: the thread calling {@link #start} and the threads
 * it and they start while tracing are the test's ({@link TraceThread#test()}); other threads that
 * did something meanwhile are in the timeline too, marked as not the test's.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Tracer {

    private Tracer() {}

    /**
     * Starts tracing.
     *
     * @throws CaptureException when Flight Recorder is not available or cannot start
     */
    public static TraceSession start(TraceOptions options) {
        return new TraceSession(options);
    }

    /** Traces {@code code}; when it throws, the trace is discarded and the exception propagates. */
    public static Timeline trace(TraceOptions options, ThrowingRunnable code) throws Throwable {
        try (TraceSession session = start(options)) {
            code.run();
            return session.stop();
        }
    }

    /** Traces {@code code} with {@link TraceOptions#all()}. */
    public static Timeline trace(ThrowingRunnable code) throws Throwable {
        return trace(TraceOptions.all(), code);
    }
}
