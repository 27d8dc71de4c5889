package dev.jprof.trace;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.capture.CaptureException;
import dev.jprof.capture.internal.Background;
import dev.jprof.capture.internal.JfrTimelineReader;
import dev.jprof.capture.internal.TraceWindowEvent;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import jdk.jfr.Recording;
import org.apiguardian.api.API;

/** A running trace, started by {@link Tracer#start(TraceOptions)}; stop it once. */
@API(status = EXPERIMENTAL, since = "0.1")
public final class TraceSession implements AutoCloseable {

    /** The JFR events recorded for each kind; all with threshold 0 and stack traces. */
    private static final Map<SliceKind, String[]> EVENTS = Map.of(
            SliceKind.BLOCKED, new String[] {"jdk.JavaMonitorEnter"},
            SliceKind.WAITING, new String[] {"jdk.JavaMonitorWait"},
            SliceKind.PARKED, new String[] {"jdk.ThreadPark"},
            SliceKind.SLEEPING, new String[] {"jdk.ThreadSleep"},
            SliceKind.SOCKET_READ, new String[] {"jdk.SocketRead"},
            SliceKind.SOCKET_WRITE, new String[] {"jdk.SocketWrite"},
            SliceKind.FILE_READ, new String[] {"jdk.FileRead"},
            SliceKind.FILE_WRITE, new String[] {"jdk.FileWrite"},
            SliceKind.GC_PAUSE, new String[] {"jdk.GCPhasePause", "jdk.GarbageCollection"});

    private final TraceOptions options;
    private final Recording recording;
    private final TraceWindowEvent window;
    private final long ownerThreadId;
    private final String ownerThreadName;
    private final long startEpochNanos;
    private long endEpochNanos;
    private boolean stopped;
    private boolean closed;

    TraceSession(TraceOptions options) {
        this.options = options;
        Recording r;
        try {
            r = new Recording();
            r.setName("jprof-trace");
            r.setToDisk(true);
            for (SliceKind kind : options.kinds()) {
                if (kind == SliceKind.RUNNING) {
                    r.enable("jdk.ExecutionSample").withPeriod(options.samplingInterval());
                }
                for (String event : EVENTS.getOrDefault(kind, new String[0])) {
                    r.enable(event).withThreshold(Duration.ZERO).withStackTrace();
                }
            }
            r.enable("jdk.ThreadStart");
            r.enable("jdk.ThreadEnd");
            r.enable(TraceWindowEvent.class);
            r.start();
        } catch (RuntimeException | LinkageError e) {
            throw new CaptureException("Flight Recorder could not start a trace: " + e, e);
        }
        this.recording = r;
        Thread me = Thread.currentThread();
        this.ownerThreadId = me.getId();
        this.ownerThreadName = me.getName();
        this.startEpochNanos = epochNanos(Instant.now());
        this.window = new TraceWindowEvent();
        window.label = options.label();
        window.ownerThreadId = ownerThreadId;
        window.begin();
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
        stopRecording();
        return finish(null);
    }

    /**
     * Stops tracing at once; writes the recording and reads it on jprof's worker thread.
     *
     * @param jfrFile where to keep the raw recording (JDK Mission Control opens it), or {@code null}
     *     to discard it once read
     * @return the timeline, or a {@link CaptureException}
     * @throws IllegalStateException when already stopped
     */
    public CompletableFuture<Timeline> stopAsync(Path jfrFile) {
        stopRecording();
        return CompletableFuture.supplyAsync(() -> finish(jfrFile), Background.executor());
    }

    private synchronized void stopRecording() {
        if (stopped) {
            throw new IllegalStateException("This trace session was already stopped");
        }
        stopped = true;
        window.end();
        window.commit();
        endEpochNanos = epochNanos(Instant.now());
        try {
            recording.stop();
        } catch (RuntimeException e) {
            close();
            throw new CaptureException("Flight Recorder could not stop the trace: " + e, e);
        }
    }

    private Timeline finish(Path keep) {
        Path tmp = null;
        try {
            tmp = keep == null ? Files.createTempFile("jprof-trace-", ".jfr")
                    : Files.createTempFile(keep.toAbsolutePath().getParent(), "." + keep.getFileName(), ".tmp");
            recording.dump(tmp);
            closeRecording();
            Timeline timeline = new JfrTimelineReader(options, ownerThreadId, ownerThreadName)
                    .read(tmp, startEpochNanos, endEpochNanos);
            if (keep != null) {
                try {
                    Files.move(tmp, keep, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, keep, StandardCopyOption.REPLACE_EXISTING);
                }
                tmp = null;
            }
            return timeline;
        } catch (IOException | RuntimeException e) {
            throw e instanceof CaptureException ce ? ce
                    : new CaptureException("Cannot write or read the trace recording" + (keep == null ? "" : " [" + keep + "]") + ": " + e, e);
        } finally {
            closeRecording();
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temporary file
                }
            }
        }
    }

    private synchronized void closeRecording() {
        if (!closed) {
            closed = true;
            recording.close();
        }
    }

    /** Stops tracing if {@link #stop()} was not called, discarding the recording. */
    @Override
    public synchronized void close() {
        if (!stopped) {
            stopped = true;
            closeRecording();
        }
    }

    private static long epochNanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
