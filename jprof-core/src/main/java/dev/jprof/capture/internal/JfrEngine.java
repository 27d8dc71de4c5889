package dev.jprof.capture.internal;

import dev.jprof.capture.CaptureException;
import dev.jprof.capture.ProfileOptions;
import dev.jprof.profile.ProfileKind;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import jdk.jfr.Recording;

/**
 * The JDK's Flight Recorder: the fallback where async-profiler's native library cannot load.
 *
 * <p>CPU uses {@code jdk.ExecutionSample}; wall adds {@code jdk.NativeMethodSample} (threads in
 * native code), so threads blocked inside the JVM are not seen; allocation uses the TLAB events
 * (the interval is the JVM's, not {@code jprof.alloc.interval}); lock uses {@code jdk.JavaMonitorEnter}
 * and {@code jdk.ThreadPark} on {@code java.util.concurrent.locks}.
 */
final class JfrEngine implements CaptureEngine {

    /** JFR will not sample more often than this. */
    static final Duration MIN_PERIOD = Duration.ofMillis(1);

    private Recording recording;
    private Path file;

    @Override
    public String name() {
        return "jfr";
    }

    @Override
    public void start(ProfileOptions o, Path jfrFile) {
        Recording r = new Recording();
        r.setName("jprof");
        r.setToDisk(true);
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
            r.enable("jdk.JavaMonitorEnter").withThreshold(o.lockThreshold()).withStackTrace();
            r.enable("jdk.ThreadPark").withThreshold(o.lockThreshold()).withStackTrace();
        }
        r.start();
        this.recording = r;
        this.file = jfrFile;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public void stop() {
        Recording r = recording;
        recording = null;
        if (r == null) {
            throw new CaptureException("JFR recording was not started");
        }
        try (r) {
            r.stop();
            r.dump(file);
        } catch (IOException | IllegalStateException e) {
            throw new CaptureException("JFR recording could not be written to [" + file + "]: " + e.getMessage(), e);
        }
    }
}
