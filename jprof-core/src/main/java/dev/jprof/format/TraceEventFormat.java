package dev.jprof.format;

import dev.jprof.internal.JsonStrings;
import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.internal.AtomicFiles;
import dev.jprof.internal.Units;
import dev.jprof.profile.Frame;
import dev.jprof.trace.Slice;
import dev.jprof.trace.SliceKind;
import dev.jprof.trace.Timeline;
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
        b.append(",\"startEpochNanos\":\"").append(timeline.startEpochNanos())
                .append("\",\"samplingInterval\":\"").append(Units.format(timeline.samplingInterval())).append("\"}");
        b.append(",\"traceEvents\":[\n");
        List<String> events = new ArrayList<>();
        events.add(metadata("process_name", pid, owner, "name", quote("JVM " + pid + ": " + title)));
        List<TraceThread> ordered = new ArrayList<>(threads.stream().filter(TraceThread::test).toList());
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
                events.add(metadata("thread_name", pid, t.id(), "name", quote(t.test() ? t.name() : t.name() + " (not the test's)")));
                events.add(metadata("thread_sort_index", pid, t.id(), "sort_index", Integer.toString(sort)));
            }
        }
        events.add(instant("test start", 0, pid, owner));
        events.add(complete(title.isEmpty() ? "trace" : title, "jprof,test", 0, timeline.durationNanos(), pid, owner, "", List.of()));
        Map<Long, Deque<Long>> open = new HashMap<>();
        open.computeIfAbsent(owner, k -> new ArrayDeque<>()).push(timeline.durationNanos());
        for (Slice s : timeline.slices()) {
            long tid = s.thread() == null ? GC_TRACK_TID : s.thread().id();
            Deque<Long> ends = open.computeIfAbsent(tid, k -> new ArrayDeque<>());
            while (!ends.isEmpty() && ends.peek() <= s.startNanos()) {
                ends.pop();
            }
            long end = ends.isEmpty() ? s.endNanos() : Math.min(s.endNanos(), ends.peek());
            ends.push(end);
            events.add(complete(s.kind().label(), "jprof," + s.kind().name().toLowerCase(java.util.Locale.ROOT),
                    s.startNanos(), end - s.startNanos(), pid, tid, s.detail(), s.stack()));
        }
        events.add(instant("test end", timeline.durationNanos(), pid, owner));
        b.append(String.join(",\n", events));
        return b.append("\n]}\n").toString();
    }

    private static String metadata(String name, long pid, long tid, String key, String value) {
        return "{\"name\":\"" + name + "\",\"ph\":\"M\",\"ts\":0,\"pid\":" + pid + ",\"tid\":" + tid
                + ",\"args\":{\"" + key + "\":" + value + "}}";
    }

    private static String instant(String name, long atNanos, long pid, long tid) {
        return "{\"name\":\"" + name + "\",\"cat\":\"jprof,marker\",\"ph\":\"i\",\"s\":\"g\",\"ts\":" + micros(atNanos)
                + ",\"pid\":" + pid + ",\"tid\":" + tid + "}";
    }

    private static String complete(String name, String cat, long startNanos, long durationNanos, long pid, long tid,
            String detail, List<Frame> stack) {
        StringBuilder b = new StringBuilder(128);
        b.append("{\"name\":");
        string(b, name);
        b.append(",\"cat\":\"").append(cat).append("\",\"ph\":\"X\",\"ts\":").append(micros(startNanos))
                .append(",\"dur\":").append(micros(durationNanos))
                .append(",\"pid\":").append(pid).append(",\"tid\":").append(tid).append(",\"args\":{");
        boolean first = true;
        if (!detail.isEmpty()) {
            b.append("\"detail\":");
            string(b, detail);
            first = false;
        }
        if (!stack.isEmpty()) {
            b.append(first ? "" : ",").append("\"stack\":[");
            for (int i = 0; i < stack.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                string(b, stack.get(i).toString());
            }
            b.append(']');
        }
        return b.append("}}").toString();
    }

    /** {@code 1234.567} for 1,234,567 ns. */
    static String micros(long nanos) {
        long n = Math.max(0, nanos);
        long frac = n % 1000;
        return frac == 0 ? Long.toString(n / 1000) : (n / 1000) + "." + String.format(java.util.Locale.ROOT, "%03d", frac);
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
