package dev.jprof.capture.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.jprof.api.spi.Hook;
import dev.jprof.api.spi.Listener;
import dev.jprof.profile.Sample;
import dev.jprof.trace.RegionSlice;
import dev.jprof.trace.Timeline;
import dev.jprof.trace.TraceLog;
import dev.jprof.trace.TraceThread;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apiguardian.api.API;

/**
 * The regions, tasks and logs that code marks with {@code dev.jprof.api.Jprof}, kept while the
 * {@link Recorder} has windows: installed as the JVM's {@link Hook} when the first window or suite
 * opens and removed when the recording goes idle, so that a region costs one volatile read when
 * nothing records.
 *
 * <p>Why a hook and not a JFR event: profiles come from async-profiler's recording, which holds no JDK
 * events, and a hook knows each thread's open regions with times on the clock every sample's time
 * converts to (epoch nanoseconds), so a sample is labelled by a lookup of its thread and time. Traces
 * read the same spans.
 */
@API(status = INTERNAL, since = "0.1")
public final class Regions implements Listener {

    /** Label key of a profile sample taken inside a region: the innermost region's name. */
    public static final String REGION_LABEL = Sample.REGION_LABEL;

    private static final Regions INSTANCE = new Regions();

    /** One region; {@code end} is 0 while it is open. */
    static final class Span {
        final long threadId;
        final String threadName;
        final String name;
        final long taskId;
        final long start;
        volatile long end;

        Span(long threadId, String threadName, String name, long taskId, long start) {
            this.threadId = threadId;
            this.threadName = threadName;
            this.name = name;
            this.taskId = taskId;
            this.start = start;
        }

        boolean contains(long at) {
            long e = end;
            return start <= at && (e == 0 || at < e);
        }
    }

    private record Log(long threadId, String threadName, long at, String category, String message, long taskId) {}

    /**
     * Per thread, its regions by start time (the thread appends, the worker reads and prunes). Entries stay
     * when emptied: a thread may be adding to the list it holds.
     */
    private final Map<Long, List<Span>> threads = new ConcurrentHashMap<>();
    /** Task id to its name and when it ended (0: running). */
    private final Map<Long, TaskInfo> tasks = new ConcurrentHashMap<>();

    private static final class TaskInfo {
        final String name;
        volatile long end;

        TaskInfo(String name) {
            this.name = name;
        }
    }

    private final ConcurrentLinkedQueue<Log> logs = new ConcurrentLinkedQueue<>();

    private Regions() {}

    public static Regions get() {
        return INSTANCE;
    }

    /** Starts receiving regions (idempotent). */
    void install() {
        if (Hook.current() != this) {
            Hook.install(this);
        }
    }

    boolean installed() {
        return Hook.current() == this;
    }

    /** Stops receiving regions; those kept stay until {@link #prune}d. */
    void uninstall() {
        Hook.uninstall(this);
    }

    @Override
    @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+
    public Object regionStarted(Thread thread, String name, long taskId) {
        Span s = new Span(thread.getId(), thread.getName(), name, taskId, Clock.epochNanos());
        List<Span> list = threads.computeIfAbsent(s.threadId, k -> new ArrayList<>());
        synchronized (list) {
            list.add(s);
        }
        return s;
    }

    @Override
    public void regionEnded(Object handle) {
        ((Span) handle).end = Clock.epochNanos();
    }

    @Override
    public void taskStarted(long id, String name) {
        tasks.put(id, new TaskInfo(name));
    }

    @Override
    public void taskEnded(long id) {
        TaskInfo t = tasks.get(id);
        if (t != null) {
            t.end = Clock.epochNanos(); // kept while its regions may still be read
        }
    }

    @Override
    @SuppressWarnings("deprecation")
    public void logged(Thread thread, long taskId, String category, String message) {
        logs.add(new Log(thread.getId(), thread.getName(), Clock.epochNanos(), category, message, taskId));
    }

    /** The name of the innermost region of thread {@code threadId} open at {@code epochNanos}, or {@code null}. */
    String at(long threadId, long epochNanos) {
        List<Span> list = threads.get(threadId);
        if (list == null) {
            return null;
        }
        synchronized (list) {
            // the last span started at or before the time: spans are in start order
            int lo = 0;
            int hi = list.size() - 1;
            int last = -1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (list.get(mid).start <= epochNanos) {
                    last = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            for (int i = last; i >= 0; i--) {
                Span s = list.get(i);
                if (s.contains(epochNanos)) {
                    return s.name; // the latest started that still holds the time: the innermost
                }
            }
        }
        return null;
    }

    /** The labels of a sample of {@code javaThreadId} at {@code epochNanos}: {@code labels} plus {@value #REGION_LABEL} inside a region. */
    Map<String, String> label(Map<String, String> labels, long javaThreadId, long epochNanos) {
        String region = at(javaThreadId, epochNanos);
        if (region == null) {
            return labels;
        }
        Map<String, String> with = new java.util.HashMap<>(labels);
        with.put(REGION_LABEL, region);
        return with;
    }

    /**
     * {@code timeline} with the regions and logs of its span: those of its threads, and of any other
     * thread, which joins it as not the test's.
     */
    Timeline addTo(Timeline timeline) {
        long from = timeline.startEpochNanos();
        long to = from + timeline.durationNanos();
        Map<Long, TraceThread> byId = new LinkedHashMap<>();
        timeline.threads().forEach(t -> byId.put(t.id(), t));
        List<TraceThread> added = new ArrayList<>();
        List<RegionSlice> regions = new ArrayList<>();
        for (List<Span> list : threads.values()) {
            List<Span> copy;
            synchronized (list) {
                copy = new ArrayList<>(list);
            }
            for (Span s : copy) {
                long end = s.end == 0 ? to : Math.min(s.end, to);
                if (s.start > to || end < from) {
                    continue;
                }
                TraceThread t = thread(byId, added, s.threadId, s.threadName);
                long start = Math.max(s.start, from);
                regions.add(new RegionSlice(
                        s.name, t, start - from, Math.max(0, end - start), s.taskId, taskName(s.taskId)));
            }
        }
        List<TraceLog> marks = new ArrayList<>();
        for (Log l : logs) {
            if (l.at >= from && l.at <= to) {
                marks.add(new TraceLog(
                        thread(byId, added, l.threadId, l.threadName), l.at - from, l.category, l.message, l.taskId));
            }
        }
        if (regions.isEmpty() && marks.isEmpty()) {
            return timeline;
        }
        List<TraceThread> all = new ArrayList<>(timeline.threads());
        all.addAll(added);
        return new Timeline(
                from, timeline.durationNanos(), timeline.samplingInterval(), all, timeline.slices(), regions, marks);
    }

    private String taskName(long id) {
        TaskInfo t = id == 0 ? null : tasks.get(id);
        return t == null ? "" : t.name;
    }

    private static TraceThread thread(Map<Long, TraceThread> byId, List<TraceThread> added, long id, String name) {
        return byId.computeIfAbsent(id, k -> {
            TraceThread t = new TraceThread(id, name, false);
            added.add(t);
            return t;
        });
    }

    /** Forgets the regions that ended, and the logs made, before {@code epochNanos}: no window can read them any more. */
    void prune(long epochNanos) {
        for (Iterator<Map.Entry<Long, List<Span>>> it = threads.entrySet().iterator(); it.hasNext(); ) {
            List<Span> list = it.next().getValue();
            synchronized (list) {
                list.removeIf(s -> s.end != 0 && s.end < epochNanos);
            }
        }
        logs.removeIf(l -> l.at < epochNanos);
        tasks.values().removeIf(t -> t.end != 0 && t.end < epochNanos);
    }
}
