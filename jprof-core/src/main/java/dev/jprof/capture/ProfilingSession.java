package dev.jprof.capture;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.capture.internal.Background;
import dev.jprof.capture.internal.CaptureEngine;
import dev.jprof.capture.internal.JfrConverter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.apiguardian.api.API;

/**
 * A running capture, started by {@link Profiler#start(ProfileOptions)}. Only one runs in a JVM at a
 * time; {@link #stop()} (or {@link #close()}) lets the next one start.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ProfilingSession implements AutoCloseable {

    private final ProfileOptions options;
    private final CaptureEngine engine;
    private final Runnable release;
    private final Path jfrFile;
    private final String ownerThread;
    private final long ownerThreadId;
    private final long ownerCpuStart;
    private final long startEpochNanos;
    private final long startNanoTime;
    private boolean stopped;

    ProfilingSession(ProfileOptions options, CaptureEngine engine, Runnable release, Path jfrFile) {
        this.options = options;
        this.engine = engine;
        this.release = release;
        this.jfrFile = jfrFile;
        this.ownerThread = Thread.currentThread().getName();
        this.ownerThreadId = Thread.currentThread().getId();
        this.ownerCpuStart = threadCpuNanos(ownerThreadId);
        Instant now = Instant.now();
        this.startEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        this.startNanoTime = System.nanoTime();
    }

    /** What this session captures. */
    public ProfileOptions options() {
        return options;
    }

    /**
     * Stops the capture and converts it into one profile per kind.
     *
     * @throws CaptureException when the engine fails to stop or its recording cannot be read
     * @throws IllegalStateException when already stopped
     */
    public CaptureResult stop() {
        return stopRecording().convert();
    }

    /**
     * Stops the capture at once and converts it on jprof's worker thread (never part of a profile),
     * so that the caller can go on while the recording is read. The next session can start as soon
     * as this returns.
     *
     * @return the profiles, or a {@link CaptureException} when the recording cannot be read
     * @throws CaptureException when the engine fails to stop
     * @throws IllegalStateException when already stopped
     */
    public CompletableFuture<CaptureResult> stopAsync() {
        Stopped stopped = stopRecording();
        return CompletableFuture.supplyAsync(stopped::convert, Background.executor());
    }

    private synchronized Stopped stopRecording() {
        if (stopped) {
            throw new IllegalStateException("This profiling session was already stopped");
        }
        stopped = true;
        try {
            engine.stop();
            long durationNanos = System.nanoTime() - startNanoTime;
            long ownerCpu = ownerCpuStart < 0 ? -1 : threadCpuNanos(ownerThreadId) - ownerCpuStart;
            return new Stopped(durationNanos, ownerCpu);
        } catch (RuntimeException e) {
            deleteRecording();
            throw e;
        } finally {
            release.run();
        }
    }

    /** A finished recording, not yet read. */
    private final class Stopped {
        private final long durationNanos;
        private final long ownerCpu;

        Stopped(long durationNanos, long ownerCpu) {
            this.durationNanos = durationNanos;
            this.ownerCpu = ownerCpu;
        }

        CaptureResult convert() {
            try {
                JfrConverter.Result result = new JfrConverter(options, engine.name(), ownerThread)
                        .convert(jfrFile, startEpochNanos, durationNanos, ownerCpu);
                return new CaptureResult(result.profiles(), result.engine(), Duration.ofNanos(durationNanos));
            } finally {
                deleteRecording();
            }
        }
    }

    private static long threadCpuNanos(long threadId) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return threads.isThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled() ? threads.getThreadCpuTime(threadId) : -1;
    }

    /** Stops the capture if {@link #stop()} was not called, discarding what it recorded. */
    @Override
    public synchronized void close() {
        if (!stopped) {
            stopped = true;
            try {
                engine.stop();
            } finally {
                deleteRecording();
                release.run();
            }
        }
    }

    private void deleteRecording() {
        try {
            Files.deleteIfExists(jfrFile);
        } catch (IOException ignored) {
            // a temporary file; the JVM's temp directory is cleaned by the OS
        }
    }
}
