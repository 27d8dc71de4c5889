package dev.jprof.format;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.internal.AtomicFiles;
import dev.jprof.internal.JsonStrings;
import dev.jprof.internal.Units;
import dev.jprof.profile.Frame;
import dev.jprof.trace.RegionSlice;
import dev.jprof.trace.Slice;
import dev.jprof.trace.Timeline;
import dev.jprof.trace.TraceLog;
import dev.jprof.trace.TraceThread;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * Writes a {@link Timeline} as Trace Event Format JSON, which Perfetto UI ({@code ui.perfetto.dev})
 * and {@code chrome://tracing} open.
 *
 * <ul>
 *   <li>One process, the JVM ({@code pid} = its process id), named after the title.
 *   <li>One track per thread ({@code tid} = the Java thread id), named by {@code thread_name}
 *       metadata: the test's threads first, then a {@code GC pauses (whole JVM)} track, then the
 *       other threads, whose names end with {@code (not the test's)}.
 *   <li>Complete events ({@code "ph":"X"}) named {@code running}, {@code blocked}, {@code waiting},
 *       {@code parked}, {@code sleeping}, {@code socket read}... with {@code args.detail} (the
 *       monitor's class, the file...) and {@code args.stack} (frames, leaf first).
 *   <li>The trace itself as a slice on the test thread around all others, and two global instant
 *       events {@code test start} and {@code test end}.
 *   <li>Regions that code marked ({@code dev.jprof.api.Jprof.region}) as complete events named after
 *       the region ({@code cat} {@code jprof,region}) enclosing what their thread did meanwhile; the
 *       regions of one task linked by flow events ({@code ph} {@code s}/{@code t}/{@code f},
 *       {@code id} = the task's id, {@code cat} {@code jprof,task}); logs as thread-scoped instant
 *       events named by the message, with {@code args.category}.
 * </ul>
 *
 * <p>Timestamps are microseconds since the trace started, with nanosecond decimals. On each track
 * slices nest properly (a slice that would overlap the end of an enclosing one is cut there), as
 * the format requires for complete events on one thread.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class TraceEventFormat {

    /** The {@code tid} of the track of GC pauses; Java thread ids never get this high. */
    public static final long GC_TRACK_TID = 999_999_999L;

    private TraceEventFormat() {}

    /**
     * Writes {@code timeline} to {@code file} atomically.
     *
     * @param title names the process, for example the test
     * @throws IOException naming the file
     */
    public static void write(Timeline timeline, Path file, String title) throws IOException {
        byte[] json = toJson(timeline, title).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(json));
    }

    /** The JSON text; see the class documentation. */
    public static String toJson(Timeline timeline, String title) {
        long pid = ProcessHandle.current().pid();
        List<TraceThread> threads = timeline.threads();
        long owner = threads.isEmpty() ? 1 : threads.get(0).id();
        StringBuilder b = new StringBuilder(4096 + timeline.slices().size() * 256);
        b.append("{\"displayTimeUnit\":\"ms\",\"otherData\":{\"producer\":\"jprof\",\"title\":");
        string(b, title);
        b.append(",\"startEpochNanos\":\"")
                .append(timeline.startEpochNanos())
                .append("\",\"samplingInterval\":\"")
                .append(Units.format(timeline.samplingInterval()))
                .append("\"}");
        b.append(",\"traceEvents\":[\n");
        List<String> events = new ArrayList<>();
        events.add(metadata("process_name", pid, owner, "name", quote("JVM " + pid + ": " + title)));
        List<TraceThread> ordered =
                new ArrayList<>(threads.stream().filter(TraceThread::test).toList());
        int gcIndex = ordered.size();
        ordered.addAll(threads.stream().filter(t -> !t.test()).toList());
        for (int i = 0; i <= ordered.size(); i++) {
            if (i == gcIndex) {
                events.add(metadata("thread_name", pid, GC_TRACK_TID, "name", quote("GC pauses (whole JVM)")));
                events.add(metadata("thread_sort_index", pid, GC_TRACK_TID, "sort_index", Integer.toString(i)));
            }
            if (i < ordered.size()) {
                TraceThread t = ordered.get(i);
                int sort = i < gcIndex ? i : i + 1;
                events.add(metadata(
                        "thread_name",
                        pid,
                        t.id(),
                        "name",
                        quote(t.test() ? t.name() : t.name() + " (not the test's)")));
                events.add(metadata("thread_sort_index", pid, t.id(), "sort_index", Integer.toString(sort)));
            }
        }
        // a trace repeats a few stacks many times (every park of a loop): each is written out once
        java.util.IdentityHashMap<List<Frame>, String> stacks = new java.util.IdentityHashMap<>();
        events.add(instant("test start", 0, pid, owner));
        events.add(complete(
                title.isEmpty() ? "trace" : title,
                "jprof,test",
                0,
                timeline.durationNanos(),
                pid,
                owner,
                "",
                List.of(),
                stacks));
        Map<Long, Deque<Long>> open = new HashMap<>();
        open.computeIfAbsent(owner, k -> new ArrayDeque<>()).push(timeline.durationNanos());
        for (Marked m : nested(timeline)) {
            long tid = m.tid();
            Deque<Long> ends = open.computeIfAbsent(tid, k -> new ArrayDeque<>());
            while (!ends.isEmpty() && ends.peek() <= m.start()) {
                ends.pop();
            }
            long end = ends.isEmpty() ? m.end() : Math.min(m.end(), ends.peek());
            ends.push(end);
            if (m.region() != null) {
                RegionSlice r = m.region();
                events.add(complete(
                        r.name(),
                        "jprof,region",
                        m.start(),
                        end - m.start(),
                        pid,
                        tid,
                        r.taskId() == 0 ? "" : "task " + r.task() + " (" + r.taskId() + ")",
                        List.of(),
                        stacks));
            } else {
                Slice sl = m.slice();
                events.add(complete(
                        sl.kind().label(),
                        "jprof," + sl.kind().name().toLowerCase(java.util.Locale.ROOT),
                        m.start(),
                        end - m.start(),
                        pid,
                        tid,
                        sl.detail(),
                        sl.stack(),
                        stacks));
            }
        }
        events.addAll(flows(timeline, pid));
        for (TraceLog l : timeline.logs()) {
            StringBuilder e = new StringBuilder(128).append("{\"name\":");
            string(e, l.message());
            e.append(",\"cat\":\"jprof,log\",\"ph\":\"i\",\"s\":\"t\",\"ts\":")
                    .append(micros(l.atNanos()))
                    .append(",\"pid\":")
                    .append(pid)
                    .append(",\"tid\":")
                    .append(l.thread().id())
                    .append(",\"args\":{\"category\":");
            string(e, l.category());
            if (l.taskId() != 0) {
                e.append(",\"task\":").append(l.taskId());
            }
            events.add(e.append("}}").toString());
        }
        events.add(instant("test end", timeline.durationNanos(), pid, owner));
        b.append(String.join(",\n", events));
        return b.append("\n]}\n").toString();
    }

    /** A slice or a region on a track, as written. */
    private record Marked(long tid, long start, long end, Slice slice, RegionSlice region) {}

    /**
     * The slices and regions of each track, ordered so that they nest: a region encloses what its thread
     * did during it, so slices are cut where a region of their thread starts or ends, and at the same
     * start a region comes before a slice as long.
     */
    private static List<Marked> nested(Timeline timeline) {
        Map<Long, java.util.TreeSet<Long>> bounds = new HashMap<>();
        List<Marked> all = new ArrayList<>();
        for (RegionSlice r : timeline.regions()) {
            java.util.TreeSet<Long> b = bounds.computeIfAbsent(r.thread().id(), k -> new java.util.TreeSet<>());
            b.add(r.startNanos());
            b.add(r.endNanos());
            all.add(new Marked(r.thread().id(), r.startNanos(), r.endNanos(), null, r));
        }
        for (Slice sl : timeline.slices()) {
            long tid = sl.thread() == null ? GC_TRACK_TID : sl.thread().id();
            long from = sl.startNanos();
            java.util.TreeSet<Long> b = bounds.get(tid);
            if (b != null) {
                for (long cut : b.subSet(sl.startNanos(), false, sl.endNanos(), false)) {
                    all.add(new Marked(tid, from, cut, sl, null));
                    from = cut;
                }
            }
            all.add(new Marked(tid, from, sl.endNanos(), sl, null));
        }
        all.sort(java.util.Comparator.comparingLong(Marked::start)
                .thenComparing(java.util.Comparator.comparingLong((Marked m) -> m.end() - m.start())
                        .reversed())
                .thenComparing(m -> m.region() == null));
        return all;
    }

    /** Flow events ({@code s}, {@code t}, {@code f}) linking the regions of each task, in order of their start. */
    private static List<String> flows(Timeline timeline, long pid) {
        Map<Long, List<RegionSlice>> byTask = new java.util.TreeMap<>();
        for (RegionSlice r : timeline.regions()) {
            if (r.taskId() != 0) {
                byTask.computeIfAbsent(r.taskId(), k -> new ArrayList<>()).add(r);
            }
        }
        List<String> events = new ArrayList<>();
        byTask.forEach((id, regions) -> {
            if (regions.size() < 2) {
                return;
            }
            for (int i = 0; i < regions.size(); i++) {
                RegionSlice r = regions.get(i);
                String ph = i == 0 ? "s" : i == regions.size() - 1 ? "f" : "t";
                StringBuilder e = new StringBuilder(128).append("{\"name\":");
                string(e, r.task());
                e.append(",\"cat\":\"jprof,task\",\"ph\":\"")
                        .append(ph)
                        .append("\",\"id\":")
                        .append(id)
                        .append(",\"bp\":\"e\",\"ts\":")
                        .append(micros(r.startNanos()))
                        .append(",\"pid\":")
                        .append(pid)
                        .append(",\"tid\":")
                        .append(r.thread().id())
                        .append('}');
                events.add(e.toString());
            }
        });
        return events;
    }

    private static String metadata(String name, long pid, long tid, String key, String value) {
        return "{\"name\":\"" + name + "\",\"ph\":\"M\",\"ts\":0,\"pid\":" + pid + ",\"tid\":" + tid + ",\"args\":{\""
                + key + "\":" + value + "}}";
    }

    private static String instant(String name, long atNanos, long pid, long tid) {
        return "{\"name\":\"" + name + "\",\"cat\":\"jprof,marker\",\"ph\":\"i\",\"s\":\"g\",\"ts\":" + micros(atNanos)
                + ",\"pid\":" + pid + ",\"tid\":" + tid + "}";
    }

    private static String complete(
            String name,
            String cat,
            long startNanos,
            long durationNanos,
            long pid,
            long tid,
            String detail,
            List<Frame> stack,
            java.util.IdentityHashMap<List<Frame>, String> written) {
        StringBuilder b = new StringBuilder(128);
        b.append("{\"name\":");
        string(b, name);
        b.append(",\"cat\":\"")
                .append(cat)
                .append("\",\"ph\":\"X\",\"ts\":")
                .append(micros(startNanos))
                .append(",\"dur\":")
                .append(micros(durationNanos))
                .append(",\"pid\":")
                .append(pid)
                .append(",\"tid\":")
                .append(tid)
                .append(",\"args\":{");
        boolean first = true;
        if (!detail.isEmpty()) {
            b.append("\"detail\":");
            string(b, detail);
            first = false;
        }
        if (!stack.isEmpty()) {
            b.append(first ? "" : ",").append("\"stack\":");
            String json = written.get(stack);
            if (json == null) {
                StringBuilder a = new StringBuilder(stack.size() * 48).append('[');
                for (int i = 0; i < stack.size(); i++) {
                    if (i > 0) {
                        a.append(',');
                    }
                    string(a, stack.get(i).toString());
                }
                json = a.append(']').toString();
                written.put(stack, json);
            }
            b.append(json);
        }
        return b.append("}}").toString();
    }

    /** {@code 1234.567} for 1,234,567 ns. */
    static String micros(long nanos) {
        long n = Math.max(0, nanos);
        long frac = n % 1000;
        return frac == 0 ? Long.toString(n / 1000) : (n / 1000) + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac;
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        string(b, s);
        return b.toString();
    }

    private static void string(StringBuilder b, String s) {
        JsonStrings.quote(b, s);
    }
}
