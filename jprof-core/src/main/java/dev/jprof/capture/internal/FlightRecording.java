package dev.jprof.capture.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.jprof.capture.CaptureException;
import dev.jprof.format.Pprof;
import dev.jprof.format.TraceEventFormat;
import dev.jprof.internal.AtomicFiles;
import dev.jprof.profile.Frame;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import dev.jprof.profile.Sample;
import dev.jprof.trace.Timeline;
import dev.jprof.trace.TraceOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import org.apiguardian.api.API;

/**
 * A flight recorder, like Go's {@code trace.FlightRecorder}: a JDK Flight Recorder recording that
 * runs for the life of the JVM and keeps only its last {@code age} (JFR drops older chunks; at most
 * {@code maxBytes} on disk), written out only when asked: {@value #JFR} (the recording, at least the
 * last {@code age}: JFR keeps whole chunks), {@value #JSON} (Trace Event Format, what every thread did
 * in the last {@code age}) and {@value #CPU} (the CPU samples of that span).
 *
 * <p>It records what a trace does, more cheaply: CPU samples every {@value #SAMPLE_MILLIS} ms,
 * thread starts and ends, garbage collection pauses, and monitor waits, parks, sleeps and socket and
 * file I/O that last at least {@value #THRESHOLD_MILLIS} ms, with stacks.
 */
@API(status = INTERNAL, since = "0.1")
public final class FlightRecording implements AutoCloseable {

    public static final String JFR = "flight.jfr";
    public static final String JSON = "flight.json";
    public static final String CPU = "flight-cpu.pb.gz";
    static final long SAMPLE_MILLIS = 20;
    static final long THRESHOLD_MILLIS = 10;

    private final Recording recording;
    private final Duration age;

    private FlightRecording(Recording recording, Duration age) {
        this.recording = recording;
        this.age = age;
    }

    /**
     * Starts the recording.
     *
     * @throws CaptureException when Flight Recorder cannot start
     */
    public static FlightRecording start(Duration age, long maxBytes) {
        try {
            Recording r = new Recording();
            r.setName("jprof flight recorder");
            TraceEvents.enable(
                    r,
                    TraceOptions.all().withSamplingInterval(Duration.ofMillis(SAMPLE_MILLIS)),
                    Duration.ofMillis(THRESHOLD_MILLIS));
            r.setToDisk(true);
            r.setMaxAge(age);
            r.setMaxSize(maxBytes);
            r.start();
            return new FlightRecording(r, age);
        } catch (RuntimeException | Error e) {
            throw new CaptureException("jprof could not start its flight recorder (JDK Flight Recorder): " + e, e);
        }
    }

    /** How far back the files reach. */
    public Duration age() {
        return age;
    }

    /**
     * Writes {@value #JFR}, {@value #JSON} and {@value #CPU} into {@code dir}: the last {@link #age()}
     * up to now; {@code owner} is the thread whose track comes first in the timeline (the test's).
     *
     * @return the names of the files written
     * @throws IOException naming the file that could not be written or the recording that could not be read
     */
    public List<String> write(Path dir, String title, Thread owner) throws IOException {
        Files.createDirectories(dir);
        long end = nanos(Instant.now());
        long start = end - age.toNanos();
        Path dump = Files.createTempFile(dir, ".flight", ".jfr");
        try {
            recording.dump(dump);
            Timeline timeline = new JfrTimelineReader(
                            TraceOptions.all().withLabel(title), owner.getId(), owner.getName())
                    .readSpan(dump, start, end); // not the window of a @Trace test that ran meanwhile
            TraceEventFormat.write(
                    timeline, dir.resolve(JSON), title + " — flight recorder, last " + age.toMillis() + " ms");
            Pprof.write(cpu(dump, start, end), dir.resolve(CPU));
            AtomicFiles.adopt(dump, dir.resolve(JFR));
        } catch (CaptureException e) {
            throw new IOException(e.getMessage(), e);
        } finally {
            Files.deleteIfExists(dump);
        }
        return List.of(JFR, JSON, CPU);
    }

    /** The CPU samples ({@code jdk.ExecutionSample}) of {@code jfr} in {@code [start, end)}, labelled by thread. */
    static Profile cpu(Path jfr, long start, long end) throws IOException {
        long period = Duration.ofMillis(SAMPLE_MILLIS).toNanos();
        Profile.Builder b = Profile.builder(ProfileKind.CPU)
                .period(period)
                .startEpochNanos(start)
                .durationNanos(end - start)
                .comment("engine=jfr")
                .comment("flight recorder");
        JfrConverter.Stacks stacks = new JfrConverter.Stacks();
        Map<String, Integer> roots = JfrConverter.ranks(List.of());
        try (RecordingFile in = new RecordingFile(jfr)) {
            while (in.hasMoreEvents()) {
                RecordedEvent e = in.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                long at = nanos(e.getStartTime());
                if (at < start || at >= end || e.getStackTrace() == null) {
                    continue;
                }
                List<Frame> stack = JfrConverter.stack(stacks, e.getStackTrace(), roots);
                if (stack == null || stack.isEmpty()) {
                    continue;
                }
                RecordedThread t = e.getThread("sampledThread");
                String thread =
                        t == null ? "" : t.getJavaName() != null ? t.getJavaName() : String.valueOf(t.getOSName());
                b.addSample(stack, new long[] {1, period}, Map.of(Sample.THREAD_LABEL, thread));
            }
        }
        return b.build();
    }

    private static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    @Override
    public void close() {
        recording.close();
    }
}
