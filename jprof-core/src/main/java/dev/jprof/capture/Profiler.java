package dev.jprof.capture;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.capture.internal.CaptureEngine;
import dev.jprof.capture.internal.Engines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import org.apiguardian.api.API;

/**
 * Captures profiles of a piece of code; no test framework needed.
 *
 * <pre>{@code
 * try (ProfilingSession session = Profiler.start(ProfileOptions.of(ProfileKind.CPU))) {
 *     parser.parse(document);
 *     Profile cpu = session.stop().profile(ProfileKind.CPU);
 * }
 * }</pre>
 *
 * <p>async-profiler allows one session per JVM, so sessions are exclusive: {@link #start} waits
 * until the running session, if any, stops; on the thread that started it, it fails at once
 * (sessions cannot nest).
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Profiler {

    private static final Semaphore EXCLUSIVE = new Semaphore(1, true);
    /** The thread that started the running session, if any. */
    private static volatile Thread holder;

    private Profiler() {}

    /** Code that may throw. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Throwable;
    }

    /**
     * Starts capturing the kinds in {@code options}.
     *
     * @throws CaptureException when the engine cannot start (for example async-profiler forced but
     *     not loadable), naming the cause
     * @throws IllegalArgumentException when {@code options} has no kinds
     */
    public static ProfilingSession start(ProfileOptions options) {
        if (options.kinds().isEmpty()) {
            throw new IllegalArgumentException("Nothing to profile: the options name no profile kind");
        }
        if (holder == Thread.currentThread()) {
            throw new CaptureException("A profiling session is already running on this thread [" + holder.getName()
                    + "]; sessions cannot nest (one async-profiler session per JVM). Is this test also annotated with"
                    + " @ProfileCpu/@ProfileWall/@ProfileAlloc/@ProfileLock? Capture in one place only.");
        }
        try {
            EXCLUSIVE.acquire();
            holder = Thread.currentThread();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaptureException("Interrupted while waiting for another profiling session to stop", e);
        }
        Path jfr = null;
        try {
            CaptureEngine engine = Engines.get().create(options.engine());
            jfr = Files.createTempFile("jprof-", ".jfr");
            ProfilingSession session = new ProfilingSession(options, engine, Profiler::release, jfr);
            engine.start(options, jfr);
            return session;
        } catch (IOException | RuntimeException e) {
            release();
            deleteQuietly(jfr);
            if (e instanceof CaptureException ce) {
                throw ce;
            }
            throw new CaptureException("Cannot start profiling: " + e, e);
        }
    }

    /**
     * Runs {@code code} under a capture and returns its profiles. When {@code code} throws, the
     * capture is discarded and the exception propagates.
     */
    public static CaptureResult profile(ProfileOptions options, ThrowingRunnable code) throws Throwable {
        try (ProfilingSession session = start(options)) {
            code.run();
            return session.stop();
        }
    }

    private static void release() {
        holder = null;
        EXCLUSIVE.release();
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // temporary file
            }
        }
    }
}
