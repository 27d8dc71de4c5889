package dev.jprof.trace;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.capture.CaptureException;
import dev.jprof.capture.ProfileOptions;
import dev.jprof.capture.internal.Recorder;
import dev.jprof.capture.internal.SessionWindow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.apiguardian.api.API;

/** A running trace, started by {@link Tracer#start(TraceOptions)}; stop it once. */
@API(status = EXPERIMENTAL, since = "0.1")
public final class TraceSession implements AutoCloseable {

    private final TraceOptions options;
    private final SessionWindow window;

    TraceSession(TraceOptions options) {
        this.options = options;
        this.window = new SessionWindow(
                Recorder.get().open(ProfileOptions.of(), options, Recorder.Scope.APPLICATION, options.label()),
                "trace session");
    }

    /** What this session records. */
    public TraceOptions options() {
        return options;
    }

    /**
     * Stops tracing and reads the recording.
     *
     * @throws CaptureException when the recording cannot be written or read
     * @throws IllegalStateException when already stopped
     */
    public Timeline stop() {
        return window.stop(r -> keep(r, null), "Cannot read the trace");
    }

    /**
     * Stops tracing at once; the recording is read on jprof's worker thread a moment later.
     *
     * @param jfrFile where to keep the raw recording (JDK Mission Control opens it), or {@code null}
     *     to discard it once read; it holds the JVM's recording around the trace
     * @return the timeline, or a {@link CaptureException}
     * @throws IllegalStateException when already stopped
     */
    public CompletableFuture<Timeline> stopAsync(Path jfrFile) {
        return window.stopAsync(r -> keep(r, jfrFile));
    }

    private static Timeline keep(Recorder.Result r, Path jfrFile) {
        try {
            if (jfrFile != null) {
                r.traceRecording().writeTo(jfrFile); // whole or absent, readable like every other artifact
            } else {
                r.traceRecording().discard();
            }
        } catch (IOException e) {
            throw new CaptureException("Cannot keep the trace recording [" + jfrFile + "]: " + e, e);
        }
        return r.timeline();
    }

    /** Stops tracing if {@link #stop()} was not called, discarding the recording. */
    @Override
    public void close() {
        window.close();
    }
}
