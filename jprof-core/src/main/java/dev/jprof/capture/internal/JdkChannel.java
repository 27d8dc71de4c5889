package dev.jprof.capture.internal;

import dev.jprof.capture.CaptureException;
import dev.jprof.capture.ProfileOptions;
import dev.jprof.profile.ProfileKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import jdk.jfr.Recording;

/**
 * A JDK Flight Recorder recording, read in segments: a cut starts the next recording before it stops
 * the current one, so nothing is lost between them; an event that both hold belongs to the segment
 * its end time falls in ({@link Segment#toNanos()}). The first recording of a JVM costs about half a
 * second (JDK 17, measured here); the next ones a few milliseconds.
 *
 * <p>Serves as the profiling channel where async-profiler cannot load (CPU from
 * {@code jdk.ExecutionSample}; wall adds {@code jdk.NativeMethodSample}, so threads blocked inside
 * the JVM are not seen; allocation from the TLAB events, at the JVM's own interval; lock from
 * {@code jdk.JavaMonitorEnter} and {@code jdk.ThreadPark} on {@code java.util.concurrent.locks}), and
 * as the channel of trace events.
 */
final class JdkChannel implements Channel {

    /** JFR will not sample more often than this. */
    static final Duration MIN_PERIOD = Duration.ofMillis(1);

    private final ProfileOptions options;
    private final Consumer<Recording> settings;
    private final Path dir;
    private Recording current;
    private long from = Long.MIN_VALUE;

    private JdkChannel(ProfileOptions options, Consumer<Recording> settings, Path dir) {
        this.options = options;
        this.settings = settings;
        this.dir = dir;
    }

    /** A channel recording the events {@code settings} enables. */
    static JdkChannel start(ProfileOptions options, Consumer<Recording> settings, Path dir) {
        JdkChannel c = new JdkChannel(options, settings, dir);
        c.current = c.newRecording();
        return c;
    }

    /** A profiling channel for what {@code options} asks for. */
    static JdkChannel profiling(ProfileOptions o, Path dir) {
        return start(
                o,
                r -> {
                    if (o.kinds().contains(ProfileKind.CPU) || o.kinds().contains(ProfileKind.WALL)) {
                        Duration period = o.kinds().contains(ProfileKind.CPU) ? o.cpuInterval() : o.wallInterval();
                        r.enable("jdk.ExecutionSample").withPeriod(max(period, MIN_PERIOD));
                    }
                    if (o.kinds().contains(ProfileKind.WALL)) {
                        r.enable("jdk.NativeMethodSample").withPeriod(max(o.wallInterval(), MIN_PERIOD));
                    }
                    if (o.kinds().contains(ProfileKind.ALLOC)) {
                        r.enable("jdk.ObjectAllocationInNewTLAB").withStackTrace();
                        r.enable("jdk.ObjectAllocationOutsideTLAB").withStackTrace();
                    }
                    if (o.kinds().contains(ProfileKind.LOCK)) {
                        r.enable("jdk.JavaMonitorEnter")
                                .withThreshold(o.lockThreshold())
                                .withStackTrace();
                        r.enable("jdk.ThreadPark")
                                .withThreshold(o.lockThreshold())
                                .withStackTrace();
                    }
                },
                dir);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private Recording newRecording() {
        try {
            Recording r = new Recording();
            r.setName("jprof");
            r.setToDisk(true);
            settings.accept(r);
            r.start();
            return r;
        } catch (RuntimeException | LinkageError e) {
            throw new CaptureException("Flight Recorder could not start: " + e, e);
        }
    }

    @Override
    public String name() {
        return "jfr";
    }

    @Override
    public ProfileOptions options() {
        return options;
    }

    @Override
    public Segment cut() {
        Recording next = newRecording();
        long boundary = Clock.epochNanos();
        Segment s = finish(boundary);
        current = next;
        from = boundary;
        return s;
    }

    @Override
    public Segment stop() {
        return finish(Long.MAX_VALUE);
    }

    /** Stops recording now; {@link #written()} writes the recording out later, on another thread. */
    void halt() {
        try {
            current.stop();
        } catch (RuntimeException e) {
            current.close();
            throw new CaptureException("Flight Recorder could not stop: " + e, e);
        }
    }

    /** The recording stopped by {@link #halt()}, written into a file of its own. */
    Segment written() {
        return finish(Long.MAX_VALUE);
    }

    /** Drops the recording. */
    void discard() {
        current.close();
    }

    private Segment finish(long to) {
        Recording r = current;
        try (r) {
            if (r.getState() == jdk.jfr.RecordingState.RUNNING) {
                r.stop();
            }
            long horizon = Clock.epochNanos();
            Path file = Files.createTempFile(dir, "jprof-jdk-", ".jfr");
            r.dump(file);
            return new Segment(this, file, from, to, Math.min(to, horizon));
        } catch (IOException | RuntimeException e) {
            throw new CaptureException("Flight Recorder could not write its recording into [" + dir + "]: " + e, e);
        }
    }
}
