package dev.jprof.capture;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.capture.internal.Recorder;
import dev.jprof.capture.internal.SessionWindow;
import java.util.concurrent.CompletableFuture;
import org.apiguardian.api.API;

/**
 * A running capture, started by {@link Profiler#start(ProfileOptions)}: a window on the JVM's one
 * recording, holding the samples of the threads that ran while it was open (the JVM's own threads,
 * such as the JIT compilers and the garbage collectors, left out). Sessions may overlap and nest.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ProfilingSession implements AutoCloseable {

    private final ProfileOptions options;
    private final SessionWindow window;

    ProfilingSession(ProfileOptions options, Recorder.Window window) {
        this.options = options;
        this.window = new SessionWindow(window, "profiling session");
    }

    /** What this session captures. */
    public ProfileOptions options() {
        return options;
    }

    /**
     * Stops the capture and returns one profile per kind.
     *
     * @throws CaptureException when the recording cannot be read
     * @throws IllegalStateException when already stopped
     */
    public CaptureResult stop() {
        return window.stop(Recorder.Result::capture, "Cannot read the recording");
    }

    /**
     * Stops the capture at once; the recording is read on jprof's worker thread (never part of a
     * profile) a moment later, so that the caller can go on.
     *
     * @return the profiles, or a {@link CaptureException} when the recording cannot be read
     * @throws IllegalStateException when already stopped
     */
    public CompletableFuture<CaptureResult> stopAsync() {
        return window.stopAsync(Recorder.Result::capture);
    }

    /** Discards the capture if {@link #stop()} was not called. */
    @Override
    public void close() {
        window.close();
    }
}
