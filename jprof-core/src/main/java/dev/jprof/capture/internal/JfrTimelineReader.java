package dev.jprof.capture.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.jprof.capture.CaptureException;
import dev.jprof.profile.Frame;
import dev.jprof.trace.Slice;
import dev.jprof.trace.SliceKind;
import dev.jprof.trace.Timeline;
import dev.jprof.trace.TraceOptions;
import dev.jprof.trace.TraceThread;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import org.apiguardian.api.API;

/**
 * Reads a trace's JFR recording into a {@link Timeline}. Frames are named by {@link JfrConverter},
 * exactly as in profiles.
 *
 * <ul>
 *   <li>The window is that of the trace's own {@link TraceWindowEvent}; every slice is clipped to it.
 *   <li>Running slices: consecutive {@code jdk.ExecutionSample}s of a thread no more than 1.5
 *       intervals apart make one slice, which lasts until one interval after its last sample or
 *       until the thread's next other slice starts, whichever is first.
 *   <li>The test's threads: the one that started the trace, and transitively the threads they
 *       started ({@code jdk.ThreadStart}'s {@code parentThread}) during it.
 *   <li>jprof's worker thread and Flight Recorder's own threads ({@code JFR ...}) are left out.
 * </ul>
 */
@API(status = INTERNAL, since = "0.1")
public final class JfrTimelineReader {

    private final TraceOptions options;
    private final long ownerId;
    private final String ownerName;
    private final long traceId;
    private final JfrConverter.Stacks stacks = new JfrConverter.Stacks();
    private final Map<String, Integer> roots;
    private final List<Raw> raws = new ArrayList<>();
    /** Per thread, its CPU samples: when, and the stack. */
    private final Map<Long, List<Sample>> samples = new HashMap<>();

    private final Map<Long, String> names = new LinkedHashMap<>();
    /** Per thread started, its parent and when. */
    private final Map<Long, long[]> parents = new HashMap<>();

    private final Map<Long, String> collectors = new HashMap<>();
    /** The spans of this trace's {@link TraceWindowEvent}s. */
    private final List<long[]> windows = new ArrayList<>();

    public JfrTimelineReader(TraceOptions options, long ownerThreadId, String ownerThreadName) {
        this(options, ownerThreadId, ownerThreadName, -1);
    }

    /**
     * A reader of the trace whose {@link TraceWindowEvent} has {@code traceId}, or (when it is -1) of the
     * trace of the thread's whose span begins nearest the start it is {@linkplain #read given}.
     */
    JfrTimelineReader(TraceOptions options, long ownerThreadId, String ownerThreadName, long traceId) {
        this.traceId = traceId;
        this.options = options;
        this.ownerId = ownerThreadId;
        this.ownerName = ownerThreadName;
        this.roots = JfrConverter.ranks(options.rootFunctions());
        names.put(ownerId, ownerName);
    }

    private record Raw(
            SliceKind kind,
            long thread,
            long start,
            long end,
            String detail,
            List<Frame> stack,
            long gcId,
            long bytes) {}

    /**
     * Reads {@code jfrFile}; {@code startEpochNanos} and {@code endEpochNanos} are the window used when
     * the recording holds no {@link TraceWindowEvent} of this trace's thread.
     *
     * @throws CaptureException naming the file when it cannot be read
     */
    public Timeline read(Path jfrFile, long startEpochNanos, long endEpochNanos) {
        return read(jfrFile, startEpochNanos, endEpochNanos, true);
    }

    /**
     * Reads {@code jfrFile} for exactly {@code [startEpochNanos, endEpochNanos]}, whatever
     * {@link TraceWindowEvent}s of traces that ran meanwhile it holds (a flight recording).
     *
     * @throws CaptureException naming the file when it cannot be read
     */
    public Timeline readSpan(Path jfrFile, long startEpochNanos, long endEpochNanos) {
        return read(jfrFile, startEpochNanos, endEpochNanos, false);
    }

    private Timeline read(Path jfrFile, long startEpochNanos, long endEpochNanos, boolean traceWindows) {
        try (RecordingFile file = new RecordingFile(jfrFile)) {
            while (file.hasMoreEvents()) {
                accept(file.readEvent());
            }
        } catch (IOException | RuntimeException e) {
            throw new CaptureException("Cannot read the trace recording [" + jfrFile + "]: " + e, e);
        }
        return timeline(startEpochNanos, endEpochNanos, traceWindows);
    }

    /**
     * Takes one event of the recording; events may come from several files (segments of one
     * recording), in any order.
     */
    void accept(RecordedEvent e) {
        String type = e.getEventType().getName();
        if (type.equals(TraceWindowEvent.NAME)) {
            if (e.getLong("ownerThreadId") == ownerId && (traceId < 0 || e.getLong("traceId") == traceId)) {
                windows.add(new long[] {nanos(e.getStartTime()), nanos(e.getEndTime())});
            }
            return;
        }
        switch (type) {
            case "jdk.ThreadStart" -> {
                RecordedThread child = e.getThread("thread");
                RecordedThread parent = e.hasField("parentThread") ? e.getThread("parentThread") : null;
                if (child != null && child.getJavaThreadId() > 0) {
                    names.putIfAbsent(child.getJavaThreadId(), name(child));
                    if (parent != null && parent.getJavaThreadId() > 0) {
                        parents.put(
                                child.getJavaThreadId(),
                                new long[] {parent.getJavaThreadId(), nanos(e.getStartTime())});
                    }
                }
            }
            case "jdk.ExecutionSample" -> {
                RecordedThread t = e.getThread("sampledThread");
                List<Frame> stack = JfrConverter.stack(stacks, e.getStackTrace(), roots);
                if (t != null && t.getJavaThreadId() > 0 && stack != null) {
                    long id = t.getJavaThreadId();
                    names.putIfAbsent(id, name(t));
                    long at = nanos(e.getStartTime());
                    samples.computeIfAbsent(id, k -> new ArrayList<>()).add(new Sample(at, stack));
                }
            }
            case "jdk.GarbageCollection" -> collectors.put(e.getLong("gcId"), e.getString("name"));
            case "jdk.GCPhasePause" ->
                raws.add(new Raw(
                        SliceKind.GC_PAUSE,
                        0,
                        nanos(e.getStartTime()),
                        nanos(e.getEndTime()),
                        nonNull(e.getString("name")),
                        List.of(),
                        e.getLong("gcId"),
                        0));
            default -> {
                SliceKind kind = kindOf(type);
                if (kind != null) {
                    RecordedThread t = e.getThread("eventThread");
                    List<Frame> stack = JfrConverter.stack(stacks, e.getStackTrace(), roots);
                    if (t != null && t.getJavaThreadId() > 0 && stack != null) {
                        names.putIfAbsent(t.getJavaThreadId(), name(t));
                        raws.add(new Raw(
                                kind,
                                t.getJavaThreadId(),
                                nanos(e.getStartTime()),
                                nanos(e.getEndTime()),
                                detail(kind, e),
                                stack,
                                -1,
                                bytes(kind, e)));
                    }
                }
            }
        }
    }

    /**
     * The timeline of what was {@linkplain #accept accepted}: the window of this trace's own
     * {@link TraceWindowEvent} nearest {@code startEpochNanos} when {@code traceWindows}, else (or
     * when there is none) exactly {@code [startEpochNanos, endEpochNanos]}.
     */
    Timeline timeline(long startEpochNanos, long endEpochNanos, boolean traceWindows) {
        long windowStart = startEpochNanos;
        long windowEnd = endEpochNanos;
        long bestDistance = Long.MAX_VALUE;
        if (traceWindows) {
            for (long[] w : windows) {
                if (Math.abs(w[0] - startEpochNanos) < bestDistance) {
                    bestDistance = Math.abs(w[0] - startEpochNanos);
                    windowStart = w[0];
                    windowEnd = w[1];
                }
            }
        }

        // the test's threads: the owner and, transitively, the threads they started
        Set<Long> test = new LinkedHashSet<>();
        test.add(ownerId);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<Long, long[]> p : parents.entrySet()) {
                long[] parent = p.getValue();
                // a trace's threads are those started during it; a span's, any its threads started
                boolean during = !traceWindows || (parent[1] >= windowStart && parent[1] <= windowEnd);
                if (during && test.contains(parent[0]) && test.add(p.getKey())) {
                    grew = true;
                }
            }
        }
        Map<Long, TraceThread> threads = new LinkedHashMap<>();
        for (long id : test) {
            threads.put(id, new TraceThread(id, names.getOrDefault(id, "thread-" + id), true));
        }
        names.entrySet().stream()
                .filter(n -> !test.contains(n.getKey()))
                .sorted(Map.Entry.comparingByKey())
                .forEach(n -> threads.put(n.getKey(), new TraceThread(n.getKey(), n.getValue(), false)));
        // the JVM's and the test runner's own threads (Surefire's channel parks all the time, Reference
        // Handler and Common-Cleaner wait) are not the test's, as in profiles
        threads.values()
                .removeIf(t ->
                        t.name().equals(Background.THREAD_NAME) || (!t.test() && JvmThreads.isJvm(t.name(), t.id())));

        long ws = windowStart;
        long we = Math.max(windowStart, windowEnd);
        List<Slice> slices = new ArrayList<>();
        Map<Long, List<Slice>> byThread = new HashMap<>();
        for (Raw r : raws) {
            if (!options.kinds().contains(r.kind)) {
                continue; // the JVM's recording holds what every trace open at the time asked for
            }
            long start = Math.max(r.start, ws);
            long end = Math.min(r.end, we);
            if (end < start || r.start > we || r.end < ws) {
                continue;
            }
            if (r.kind == SliceKind.GC_PAUSE) {
                String collector = collectors.get(r.gcId);
                slices.add(new Slice(
                        r.kind,
                        null,
                        start - ws,
                        end - start,
                        collector == null ? r.detail : r.detail + " [" + collector + "]",
                        r.stack));
                continue;
            }
            TraceThread t = threads.get(r.thread);
            if (t != null) {
                Slice s = new Slice(r.kind, t, start - ws, end - start, r.detail, r.stack, r.bytes);
                slices.add(s);
                byThread.computeIfAbsent(r.thread, k -> new ArrayList<>()).add(s);
            }
        }
        long interval = options.samplingInterval().toNanos();
        samples.forEach((id, times) -> {
            TraceThread t = threads.get(id);
            if (t == null || !options.kinds().contains(SliceKind.RUNNING)) {
                return;
            }
            // a copy: a thread that only ran has no other slices, and List.of() cannot be sorted
            List<Slice> others = new ArrayList<>(byThread.getOrDefault(id, List.of()));
            others.sort(Comparator.comparingLong(Slice::startNanos));
            times.sort(Comparator.comparingLong(Sample::at));
            int i = 0;
            while (i < times.size()) {
                long first = times.get(i).at();
                long last = first;
                int count = 1;
                while (i + count < times.size() && times.get(i + count).at() - last <= interval * 3 / 2) {
                    last = times.get(i + count).at();
                    count++;
                }
                List<Frame> stack = heaviestPath(
                        times.subList(i, i + count).stream().map(Sample::stack).toList());
                i += count;
                long start = Math.max(first, ws) - ws;
                long end = Math.min(last + interval, we) - ws;
                for (Slice o : others) { // a run ends where the thread's next other slice begins
                    if (o.startNanos() >= start && o.startNanos() < end) {
                        end = o.startNanos();
                        break;
                    }
                }
                if (first > we || end < start) {
                    continue;
                }
                slices.add(new Slice(
                        SliceKind.RUNNING,
                        t,
                        start,
                        end - start,
                        count + (count == 1 ? " sample" : " samples"),
                        stack));
            }
        });
        Set<TraceThread> busy = new java.util.HashSet<>();
        slices.forEach(s -> busy.add(s.thread()));
        List<TraceThread> seen = threads.values().stream()
                .filter(t -> t.test() || busy.contains(t))
                .toList();
        return new Timeline(ws, we - ws, options.samplingInterval(), seen, slices);
    }

    /** A CPU sample of one thread: when it was taken, and its stack, leaf first. */
    private record Sample(long at, List<Frame> stack) {}

    /**
     * The heaviest path of a run's sampled stacks (leaf first, as is the result): from the root down,
     * the function most of them went through at each depth, down to where more samples end than go on
     * through any one function. Lines are merged, as a flame graph merges them, and the path shows the
     * function's commonest line. A run's first sample may catch the thread before it entered its work
     * (only {@code Thread.run} on the stack), and samples of a busy loop seldom share a whole stack
     * (the line or the callee differs); the heaviest path is the flame graph's widest column, what
     * the run was doing. On a tie, the one seen first wins.
     */
    static List<Frame> heaviestPath(List<List<Frame>> stacks) {
        List<List<Frame>> paths = new ArrayList<>(stacks);
        List<Frame> rootFirst = new ArrayList<>();
        for (int depth = 0; ; depth++) {
            int d = depth;
            int ended = 0;
            Map<String, Integer> functions = new LinkedHashMap<>();
            for (List<Frame> p : paths) {
                if (p.size() <= d) {
                    ended++;
                } else {
                    functions.merge(frameAt(p, d).function(), 1, Integer::sum);
                }
            }
            String next = commonest(functions);
            if (next == null || functions.get(next) < ended) {
                break;
            }
            paths.removeIf(p -> p.size() <= d || !frameAt(p, d).function().equals(next));
            Map<Frame, Integer> lines = new LinkedHashMap<>();
            paths.forEach(p -> lines.merge(frameAt(p, d), 1, Integer::sum));
            rootFirst.add(commonest(lines));
        }
        Collections.reverse(rootFirst);
        return rootFirst;
    }

    /** The frame {@code depth} frames below the root of a leaf-first stack. */
    private static Frame frameAt(List<Frame> leafFirst, int depth) {
        return leafFirst.get(leafFirst.size() - 1 - depth);
    }

    /** The key with the highest count, the first in iteration order on a tie; {@code null} when empty. */
    private static <K> K commonest(Map<K, Integer> counts) {
        K best = null;
        int most = 0;
        for (Map.Entry<K, Integer> e : counts.entrySet()) {
            if (e.getValue() > most) {
                best = e.getKey();
                most = e.getValue();
            }
        }
        return best;
    }

    private static SliceKind kindOf(String type) {
        return switch (type) {
            case "jdk.JavaMonitorEnter" -> SliceKind.BLOCKED;
            case "jdk.JavaMonitorWait" -> SliceKind.WAITING;
            case "jdk.ThreadPark" -> SliceKind.PARKED;
            case "jdk.ThreadSleep" -> SliceKind.SLEEPING;
            case "jdk.SocketRead" -> SliceKind.SOCKET_READ;
            case "jdk.SocketWrite" -> SliceKind.SOCKET_WRITE;
            case "jdk.FileRead" -> SliceKind.FILE_READ;
            case "jdk.FileWrite" -> SliceKind.FILE_WRITE;
            case "jdk.VirtualThreadPinned" -> SliceKind.PINNED;
            default -> null;
        };
    }

    private static String detail(SliceKind kind, RecordedEvent e) {
        return switch (kind) {
            case BLOCKED, WAITING -> className(e.getClass("monitorClass"));
            case PARKED -> className(e.getClass("parkedClass"));
            case SOCKET_READ, SOCKET_WRITE -> {
                String host = nonNull(e.getString("host"));
                yield (host.isEmpty() ? nonNull(e.getString("address")) : host) + ":" + e.getInt("port");
            }
            case FILE_READ, FILE_WRITE -> nonNull(e.getString("path"));
            // JDK 24+ says why (for example "Native or VM frame on stack") and what blocked
            case PINNED -> e.hasField("pinnedReason") ? nonNull(e.getString("pinnedReason")) : "";
            default -> "";
        };
    }

    /** The bytes an I/O event moved ({@code bytesRead}, {@code bytesWritten}); 0 for other kinds and at end of stream (-1). */
    private static long bytes(SliceKind kind, RecordedEvent e) {
        if (!kind.isIo()) {
            return 0;
        }
        String field = kind == SliceKind.SOCKET_READ || kind == SliceKind.FILE_READ ? "bytesRead" : "bytesWritten";
        return e.hasField(field) ? Math.max(0, e.getLong(field)) : 0;
    }

    private static String className(RecordedClass c) {
        return c == null ? "" : JfrConverter.javaClassName(c.getName());
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private static String name(RecordedThread t) {
        String n = t.getJavaName();
        if (n != null && n.isEmpty()) {
            return "thread-" + t.getJavaThreadId(); // an unnamed virtual thread
        }
        return n != null ? n : t.getOSName() == null ? "thread-" + t.getJavaThreadId() : t.getOSName();
    }

    static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
