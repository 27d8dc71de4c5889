package dev.jprof.capture.internal;

import dev.jprof.capture.CaptureException;
import dev.jprof.capture.ProfileOptions;
import dev.jprof.profile.ProfileKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import one.profiler.AsyncProfiler;

/**
 * async-profiler through its Java API, writing one JFR file for as long as it runs. A cut asks it to
 * {@code dump}, which ends the current JFR chunk and starts a new one without stopping (about 1 ms,
 * measured here), and copies the chunks completed since the previous cut into a segment file.
 * {@code event=cpu} (the default) falls back to {@code ctimer} or {@code itimer} by itself where
 * perf events are denied; {@link JfrConverter} reads back which engine ran.
 */
final class AsyncProfilerChannel implements Channel {

    private static final int CHUNK_HEADER = 16;

    private final AsyncProfiler profiler;
    private final ProfileOptions options;
    private final Path file;
    private final Path dir;
    private long offset;
    private int segments;

    private AsyncProfilerChannel(AsyncProfiler profiler, ProfileOptions options, Path file) {
        this.profiler = profiler;
        this.options = options;
        this.file = file;
        this.dir = file.getParent();
    }

    /** Starts async-profiler recording into a new file in {@code dir}. */
    static AsyncProfilerChannel start(AsyncProfiler profiler, ProfileOptions options, Path dir) {
        Path file;
        try {
            file = Files.createTempFile(dir, "jprof-", ".jfr");
        } catch (IOException e) {
            throw new CaptureException("Cannot create a recording in [" + dir + "]: " + e, e);
        }
        String command = startCommand(options, file);
        try {
            profiler.execute(command);
        } catch (IOException | IllegalStateException e) {
            delete(file);
            throw new CaptureException(
                    "async-profiler did not start with [" + command + "]: " + e.getMessage()
                            + (String.valueOf(e.getMessage()).contains("already")
                                    ? " (is async-profiler also attached as an agent to this JVM?)"
                                    : ""),
                    e);
        }
        return new AsyncProfilerChannel(profiler, options, file);
    }

    /** The command async-profiler's {@code execute} receives; package-private for tests. */
    static String startCommand(ProfileOptions o, Path jfrFile) {
        StringBuilder cmd = new StringBuilder("start");
        if (o.kinds().contains(ProfileKind.CPU)) {
            cmd.append(",event=")
                    .append(o.cpuEvent())
                    .append(",interval=")
                    .append(o.cpuInterval().toNanos());
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
        return cmd.append(",loglevel=ERROR,jfr,file=")
                .append(jfrFile.toAbsolutePath())
                .toString();
    }

    @Override
    public String name() {
        return "async-profiler";
    }

    @Override
    public ProfileOptions options() {
        return options;
    }

    @Override
    public Segment cut() {
        long horizon = Clock.epochNanos();
        try {
            profiler.execute("dump,jfr,file=" + file.toAbsolutePath());
        } catch (IOException | IllegalStateException e) {
            throw new CaptureException(
                    "async-profiler did not dump its recording [" + file + "]: " + e.getMessage(), e);
        }
        return copy(horizon);
    }

    @Override
    public Segment stop() {
        try {
            profiler.execute("stop");
        } catch (IOException | IllegalStateException e) {
            throw new CaptureException("async-profiler did not stop: " + e.getMessage(), e);
        }
        try {
            return copy(Clock.epochNanos());
        } finally {
            delete(file);
        }
    }

    /** The chunks completed since the last segment, copied into a file of their own. */
    private Segment copy(long horizon) {
        if (!Files.exists(file)) {
            throw new CaptureException("The recording [" + file + "] was deleted while async-profiler wrote it");
        }
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            long end = offset;
            ByteBuffer header = ByteBuffer.allocate(CHUNK_HEADER);
            while (end + CHUNK_HEADER <= size) {
                header.clear();
                in.read(header, end);
                header.flip();
                if (header.getInt(0) != 0x464c5200) { // "FLR\0"
                    throw new CaptureException("The recording [" + file + "] has no JFR chunk at byte " + end);
                }
                long chunk = header.getLong(8);
                if (chunk <= 0 || end + chunk > size) {
                    break; // the chunk being written
                }
                end += chunk;
            }
            segments++;
            Path out = dir.resolve(file.getFileName() + "." + segments + ".segment");
            try (FileChannel o = FileChannel.open(
                    out, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                long pos = offset;
                while (pos < end) {
                    pos += in.transferTo(pos, end - pos, o);
                }
            }
            offset = end;
            // one file, never overlapping: every event of the segment is its own
            return new Segment(this, out, Long.MIN_VALUE, Long.MAX_VALUE, horizon);
        } catch (IOException e) {
            throw new CaptureException("Cannot read the recording [" + file + "]: " + e, e);
        }
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a recording in jprof's own folder; the next run's clean-up removes it
        }
    }
}
