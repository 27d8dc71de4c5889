package dev.jprof.trace;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import dev.jprof.profile.Sample;
import dev.jprof.profile.ValueType;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * What the threads of a JVM did while a trace ran: for each thread, slices of running, blocked,
 * waiting, parked, sleeping and I/O, and the JVM's GC pauses. Made by {@link Tracer}; written as
 * Trace Event Format JSON (Perfetto UI, {@code chrome://tracing}) by
 * {@link dev.jprof.format.TraceEventFormat}.
 *
 * <p>Times are nanoseconds since the trace started; slices that began before it or ended after it
 * are clipped to it. Slices are sorted by start time.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Timeline {

    /** Label key of an I/O profile sample holding the file's path. */
    public static final String FILE_LABEL = "file";
    /** Label key of an I/O profile sample holding the socket's {@code host:port}. */
    public static final String ADDRESS_LABEL = "address";
    /** Label key of an I/O profile sample: {@code read} or {@code write}. */
    public static final String OP_LABEL = "op";

    /** Label key of a block profile sample holding the class of the object waited on. */
    public static final String OBJECT_LABEL = "lock";

    private final long startEpochNanos;
    private final long durationNanos;
    private final Duration samplingInterval;
    private final List<TraceThread> threads;
    private final List<Slice> slices;
    private final List<RegionSlice> regions;
    private final List<TraceLog> logs;

    /**
     * @param startEpochNanos when the trace started, in nanoseconds since the epoch
     * @param durationNanos how long it ran
     * @param samplingInterval the interval of the CPU samples that make {@link SliceKind#RUNNING} slices
     * @param threads the threads seen, the test's first
     * @param slices the slices, in any order
     */
    public Timeline(
            long startEpochNanos,
            long durationNanos,
            Duration samplingInterval,
            List<TraceThread> threads,
            List<Slice> slices) {
        this(startEpochNanos, durationNanos, samplingInterval, threads, slices, List.of(), List.of());
    }

    /**
     * A timeline with the regions and logs that code marked ({@code dev.jprof.api.Jprof}).
     *
     * @param regions the regions, in any order
     * @param logs the logs, in any order
     */
    public Timeline(
            long startEpochNanos,
            long durationNanos,
            Duration samplingInterval,
            List<TraceThread> threads,
            List<Slice> slices,
            List<RegionSlice> regions,
            List<TraceLog> logs) {
        this.regions = regions.stream()
                .sorted(Comparator.comparingLong(RegionSlice::startNanos)
                        .thenComparing(Comparator.comparingLong(RegionSlice::durationNanos)
                                .reversed()))
                .toList();
        this.logs = logs.stream()
                .sorted(Comparator.comparingLong(TraceLog::atNanos))
                .toList();
        this.startEpochNanos = startEpochNanos;
        this.durationNanos = durationNanos;
        this.samplingInterval = samplingInterval;
        this.threads = List.copyOf(threads);
        this.slices = slices.stream()
                .sorted(Comparator.comparingLong(Slice::startNanos)
                        .thenComparing(
                                Comparator.comparingLong(Slice::durationNanos).reversed()))
                .toList();
    }

    public long startEpochNanos() {
        return startEpochNanos;
    }

    public long durationNanos() {
        return durationNanos;
    }

    public Duration duration() {
        return Duration.ofNanos(durationNanos);
    }

    public Duration samplingInterval() {
        return samplingInterval;
    }

    /** The threads seen, the test's first. */
    public List<TraceThread> threads() {
        return threads;
    }

    /** The test's threads: the one that started the trace and those started by the test's threads meanwhile. */
    public List<TraceThread> testThreads() {
        return threads.stream().filter(TraceThread::test).toList();
    }

    /** The thread named {@code name}; if several have that name, the test's first, then the first seen. */
    public Optional<TraceThread> thread(String name) {
        return threads.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** All slices, by start time. */
    public List<Slice> slices() {
        return slices;
    }

    /** The slices of {@code kinds} (all kinds when none is given), by start time. */
    public List<Slice> slices(SliceKind... kinds) {
        Set<SliceKind> set = kinds.length == 0 ? EnumSet.allOf(SliceKind.class) : EnumSet.copyOf(Arrays.asList(kinds));
        return slices.stream().filter(s -> set.contains(s.kind())).toList();
    }

    /** The slices of {@code thread} of {@code kinds} (all kinds when none is given), by start time. */
    public List<Slice> slices(TraceThread thread, SliceKind... kinds) {
        return slices(kinds).stream().filter(s -> thread.equals(s.thread())).toList();
    }

    /** The total time {@code thread} spent in slices of {@code kinds}. */
    public Duration time(TraceThread thread, SliceKind... kinds) {
        return Duration.ofNanos(
                slices(thread, kinds).stream().mapToLong(Slice::durationNanos).sum());
    }

    /**
     * The total time {@code threadName} spent in slices of {@code kinds}.
     *
     * @throws NoSuchElementException naming the threads seen when there is no such thread
     */
    public Duration time(String threadName, SliceKind... kinds) {
        return time(requireThread(threadName), kinds);
    }

    /** The regions that code marked ({@code dev.jprof.api.Jprof.region}), by start time. */
    public List<RegionSlice> regions() {
        return regions;
    }

    /** The regions named {@code name}, by start time. */
    public List<RegionSlice> regions(String name) {
        return regions.stream().filter(r -> r.name().equals(name)).toList();
    }

    /**
     * The total time of the regions named {@code name}, on all threads; a region nested in one of the
     * same name counts once, so the total never exceeds the time of the threads that ran it.
     */
    public Duration regionTime(String name) {
        long total = 0;
        Map<TraceThread, Long> coveredTo = new java.util.HashMap<>();
        for (RegionSlice r : regions(name)) {
            long from = Math.max(r.startNanos(), coveredTo.getOrDefault(r.thread(), Long.MIN_VALUE));
            if (r.endNanos() > from) {
                total += r.endNanos() - from;
                coveredTo.put(r.thread(), r.endNanos());
            }
        }
        return Duration.ofNanos(total);
    }

    /** The messages that code logged ({@code dev.jprof.api.Jprof.log}), by time. */
    public List<TraceLog> logs() {
        return logs;
    }

    /** The total time of the JVM's GC pauses. */
    public Duration gcPauseTime() {
        return Duration.ofNanos(slices(SliceKind.GC_PAUSE).stream()
                .mapToLong(Slice::durationNanos)
                .sum());
    }

    /** The longest slice of {@code kinds}, if any; by default ({@code kinds} empty) the longest block: monitor enter, wait or park. */
    public Optional<Slice> longest(SliceKind... kinds) {
        List<Slice> candidates = kinds.length == 0 ? blocks() : slices(kinds);
        return candidates.stream().max(Comparator.comparingLong(Slice::durationNanos));
    }

    /** The slices in which a thread waited for another: monitor enter, {@code Object.wait}, park. */
    public List<Slice> blocks() {
        return slices.stream().filter(s -> s.kind().isBlocking()).toList();
    }

    /**
     * The contended monitor enters on objects of class {@code className} (Java form,
     * {@code com.acme.Account}, {@code java.lang.Object}).
     */
    public List<Slice> monitorContention(String className) {
        return slices(SliceKind.BLOCKED).stream()
                .filter(s -> s.detail().equals(className))
                .toList();
    }

    /**
     * The thread named {@code name}.
     *
     * @throws NoSuchElementException naming the threads seen
     */
    public TraceThread requireThread(String name) {
        return thread(name)
                .orElseThrow(() -> new NoSuchElementException("No thread [" + name + "] in the trace; threads seen: "
                        + threads.stream().map(TraceThread::name).toList()));
    }

    /**
     * The block profile: like Go's, every time a thread waited for another (monitor enter,
     * {@code Object.wait}, park of any kind), with sample types {@code contentions/count} and
     * {@code delay/nanoseconds}, labels {@code thread} and {@code lock} (the class waited on).
     * Sleeping and I/O are not blocking in this sense.
     */
    public Profile blockProfile() {
        Profile.Builder b = Profile.builder(ProfileKind.LOCK)
                .startEpochNanos(startEpochNanos)
                .durationNanos(durationNanos)
                .comment("engine=jfr")
                .comment("profile=block");
        for (Slice s : blocks()) {
            Map<String, String> labels = s.detail().isEmpty()
                    ? Map.of(Sample.THREAD_LABEL, s.thread().name())
                    : Map.of(Sample.THREAD_LABEL, s.thread().name(), OBJECT_LABEL, s.detail());
            b.addSample(s.stack(), new long[] {1, s.durationNanos()}, labels);
        }
        return b.build();
    }

    /**
     * The I/O profile, Go's {@code go tool trace -pprof=net} and {@code -pprof=syscall} in one: every
     * socket and file read and write, with sample types {@code bytes/bytes} and
     * {@code delay/nanoseconds} (the default: the time blocked), labels {@code thread}, {@code op}
     * ({@code read}, {@code write}) and {@code file} (the path) or {@code address} ({@code host:port}).
     */
    public Profile ioProfile() {
        Profile.Builder b = Profile.builder(List.of(ValueType.BYTES, ValueType.DELAY_NANOS))
                .periodType(ValueType.DELAY_NANOS)
                .defaultSampleType(ValueType.DELAY_NANOS.type())
                .startEpochNanos(startEpochNanos)
                .durationNanos(durationNanos)
                .comment("engine=jfr")
                .comment("profile=io");
        for (Slice s : slices) {
            if (!s.kind().isIo() || s.thread() == null) {
                continue;
            }
            boolean file = s.kind() == SliceKind.FILE_READ || s.kind() == SliceKind.FILE_WRITE;
            boolean read = s.kind() == SliceKind.FILE_READ || s.kind() == SliceKind.SOCKET_READ;
            Map<String, String> labels = new java.util.HashMap<>();
            labels.put(Sample.THREAD_LABEL, s.thread().name());
            labels.put(OP_LABEL, read ? "read" : "write");
            if (!s.detail().isEmpty()) {
                labels.put(file ? FILE_LABEL : ADDRESS_LABEL, s.detail());
            }
            b.addSample(s.stack(), new long[] {s.bytes(), s.durationNanos()}, labels);
        }
        return b.build();
    }

    @Override
    public String toString() {
        return "Timeline of " + Slice.millis(durationNanos) + ": " + threads.size() + " threads, " + slices.size()
                + " slices";
    }
}
