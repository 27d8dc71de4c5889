package dev.jprof.capture.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.jprof.capture.CaptureException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * A session's window on the JVM's one recording, stopped once: what {@code ProfilingSession} and
 * {@code TraceSession} share. Stopping twice fails; closing after a stop does nothing; closing
 * without one abandons the window.
 */
@API(status = INTERNAL, since = "0.1")
public final class SessionWindow {

    private final Recorder.Window window;
    private final String what;
    private boolean stopped;

    /**
     * @param what the session in errors: {@code profiling session}, {@code trace session}
     */
    public SessionWindow(Recorder.Window window, String what) {
        this.window = window;
        this.what = what;
    }

    /**
     * Closes the window, waits for its part of the recording to be read, and returns {@code read} of it.
     *
     * @param cannot the start of the error when the recording cannot be read: {@code Cannot read the trace}
     * @throws CaptureException when the recording cannot be read
     * @throws IllegalStateException when already stopped
     */
    public <T> T stop(Function<Recorder.Result, T> read, String cannot) {
        markStopped();
        try {
            return read.apply(window.closeAndJoin());
        } catch (CompletionException e) {
            throw e.getCause() instanceof CaptureException ce
                    ? ce
                    : new CaptureException(cannot + ": " + e.getCause(), e);
        }
    }

    /**
     * Closes the window at once; its part of the recording is read on jprof's worker thread.
     *
     * @throws IllegalStateException when already stopped
     */
    public <T> CompletableFuture<T> stopAsync(Function<Recorder.Result, T> read) {
        markStopped();
        return window.close().thenApply(read);
    }

    /** Abandons the window if it was not stopped. */
    public synchronized void close() {
        if (!stopped) {
            stopped = true;
            window.abandon();
        }
    }

    private synchronized void markStopped() {
        if (stopped) {
            throw new IllegalStateException("This " + what + " was already stopped");
        }
        stopped = true;
    }
}
