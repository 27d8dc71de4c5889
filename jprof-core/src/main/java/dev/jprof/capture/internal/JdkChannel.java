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
    private Consumer<Recording> settings;
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
        return detach().write();
    }

    /**
     * Like {@link #cut()}, the recording going on with other {@code settings} (the next recording starts
     * before the current one stops, so no event is lost in between), and the segment written out later ({@link Stopped#write()}), on another
     * thread: stopping is quick, writing out takes as long as the recording is big.
     */
    Stopped detach(Consumer<Recording> settings) {
        this.settings = settings;
        Recording next = newRecording();
        long boundary = Clock.epochNanos();
        Stopped s;
        try {
            s = halt(boundary);
        } catch (CaptureException e) {
            next.close();
            throw e;
        }
        current = next;
        from = boundary;
        return s;
    }

    /** Like {@link #cut()}, the segment written out later. */
    Stopped detach() {
        return detach(settings);
    }

    /** Like {@link #stop()}, the last segment written out later. */
    Stopped detachLast() {
        return halt(Long.MAX_VALUE);
    }

    @Override
    public Segment stop() {
        return detachLast().write();
    }

    private Stopped halt(long to) {
        Recording r = current;
        try {
            if (r.getState() == jdk.jfr.RecordingState.RUNNING) {
                r.stop();
            }
        } catch (RuntimeException e) {
            r.close();
            throw new CaptureException("Flight Recorder could not stop: " + e, e);
        }
        return new Stopped(this, r, from, to, Math.min(to, Clock.epochNanos()));
    }

    /**
     * A stopped recording of a channel, not yet written out.
     *
     * @param horizonNanos every event that ended before this epoch time is in this or an earlier segment
     */
    record Stopped(JdkChannel channel, Recording recording, long from, long to, long horizonNanos) {

        /**
         * Writes the recording into a file of its own and closes it.
         *
         * @throws CaptureException naming the folder when it cannot be written
         */
        Segment write() {
            try (recording) {
                Path file = Files.createTempFile(channel.dir, "jprof-jdk-", ".jfr");
                recording.dump(file);
                return new Segment(channel, file, from, to, horizonNanos);
            } catch (IOException | RuntimeException e) {
                throw new CaptureException(
                        "Flight Recorder could not write its recording into [" + channel.dir + "]: " + e, e);
            }
        }
    }
}
