package dev.jprof.capture.internal;

import dev.jprof.capture.CaptureException;
import dev.jprof.capture.ProfileOptions;
import dev.jprof.profile.ProfileKind;
import java.io.IOException;
import java.nio.file.Path;
import one.profiler.AsyncProfiler;

/**
 * async-profiler through its Java API, writing JFR. {@code event=cpu} (the default) falls back to
 * {@code ctimer} or {@code itimer} by itself where perf events are denied; {@link JfrConverter}
 * reads back which engine ran.
 */
final class AsyncProfilerEngine implements CaptureEngine {

    private final AsyncProfiler profiler;

    AsyncProfilerEngine(AsyncProfiler profiler) {
        this.profiler = profiler;
    }

    @Override
    public String name() {
        return "async-profiler";
    }

    /** The command async-profiler's {@code execute} receives; package-private for tests. */
    static String startCommand(ProfileOptions o, Path jfrFile) {
        StringBuilder cmd = new StringBuilder("start");
        if (o.kinds().contains(ProfileKind.CPU)) {
            cmd.append(",event=").append(o.cpuEvent()).append(",interval=").append(o.cpuInterval().toNanos());
        }
        if (o.kinds().contains(ProfileKind.WALL)) {
            cmd.append(",wall=").append(o.wallInterval().toNanos());
        }
        if (o.kinds().contains(ProfileKind.ALLOC)) {
            // async-profiler reads alloc=0 as "its default interval" (512 KiB); alloc=1 records every allocation.
            cmd.append(",alloc=").append(Math.max(1, o.allocInterval()));
        }
        if (o.kinds().contains(ProfileKind.LOCK)) {
            cmd.append(",lock=").append(o.lockThreshold().toNanos());
        }
        // loglevel=ERROR: async-profiler's native messages would otherwise corrupt Surefire's channel.
        return cmd.append(",loglevel=ERROR,jfr,file=").append(jfrFile.toAbsolutePath()).toString();
    }

    @Override
    public void start(ProfileOptions options, Path jfrFile) {
        String command = startCommand(options, jfrFile);
        try {
            profiler.execute(command);
        } catch (IOException | IllegalStateException e) {
            throw new CaptureException("async-profiler did not start with [" + command + "]: " + e.getMessage()
                    + (String.valueOf(e.getMessage()).contains("already")
                            ? " (is async-profiler also attached as an agent to this JVM?)"
                            : ""), e);
        }
    }

    @Override
    public void stop() {
        try {
            profiler.execute("stop");
        } catch (IOException | IllegalStateException e) {
            throw new CaptureException("async-profiler did not stop: " + e.getMessage(), e);
        }
    }
}
