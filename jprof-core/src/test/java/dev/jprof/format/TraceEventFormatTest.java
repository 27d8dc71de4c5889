package dev.jprof.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.capture.Workloads;
import dev.jprof.internal.Json;
import dev.jprof.profile.Frame;
import dev.jprof.trace.Slice;
import dev.jprof.trace.SliceKind;
import dev.jprof.trace.Timeline;
import dev.jprof.trace.TraceThread;
import dev.jprof.trace.TraceWorkloads;
import dev.jprof.trace.Tracer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks trace.json against the rules of the Trace Event Format (the "JSON Object Format" of
 * Google's published specification, as Perfetto's JSON importer and chrome://tracing read it).
 */
class TraceEventFormatTest {

    @TempDir
    Path dir;

    /** Parses {@code json} strictly and checks every rule; returns the events. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> validate(String json) {
        Object root = Json.parse(json);
        assertThat(root).isInstanceOf(Map.class);
        Map<String, Object> top = (Map<String, Object>) root;
        assertThat(top.get("displayTimeUnit")).isIn("ms", "ns");
        assertThat(top.get("traceEvents")).isInstanceOf(List.class);
        List<Map<String, Object>> events = (List<Map<String, Object>>) top.get("traceEvents");
        Map<List<Object>, String> threadNames = new HashMap<>();
        Set<List<Object>> tracks = new HashSet<>();
        Map<List<Object>, List<double[]>> completes = new HashMap<>();
        for (Map<String, Object> e : events) {
            assertThat(e).as("event %s", e).containsKeys("name", "ph", "ts", "pid", "tid");
            assertThat(e.get("name")).as("name of %s", e).isInstanceOf(String.class);
            assertThat(e.get("pid")).as("pid of %s", e).isInstanceOf(Long.class);
            assertThat(e.get("tid")).as("tid of %s", e).isInstanceOf(Long.class);
            assertThat(e.get("ts")).as("ts of %s", e).isInstanceOf(Number.class);
            assertThat(((Number) e.get("ts")).doubleValue()).as("ts of %s", e).isNotNegative();
            List<Object> track = List.of(e.get("pid"), e.get("tid"));
            switch ((String) e.get("ph")) {
                case "M" -> {
                    assertThat(e.get("name")).isIn("process_name", "thread_name", "thread_sort_index");
                    assertThat(e.get("args")).as("args of %s", e).isInstanceOf(Map.class);
                    Map<String, Object> args = (Map<String, Object>) e.get("args");
                    if (e.get("name").equals("thread_name")) {
                        assertThat(args.get("name")).isInstanceOf(String.class);
                        assertThat(threadNames.put(track, (String) args.get("name")))
                                .as("one name per thread")
                                .isNull();
                    } else if (e.get("name").equals("thread_sort_index")) {
                        assertThat(args.get("sort_index")).isInstanceOf(Long.class);
                    }
                }
                case "X" -> {
                    assertThat(e.get("dur")).as("dur of %s", e).isInstanceOf(Number.class);
                    double dur = ((Number) e.get("dur")).doubleValue();
                    assertThat(dur).isNotNegative();
                    double ts = ((Number) e.get("ts")).doubleValue();
                    // times are microseconds with nanosecond decimals: compare them as whole nanoseconds, so
                    // that adding two doubles cannot make a slice end past its parent's end
                    long tsNanos = Math.round(ts * 1000);
                    long endNanos = tsNanos + Math.round(dur * 1000);
                    completes.computeIfAbsent(track, k -> new ArrayList<>()).add(new double[] {tsNanos, endNanos});
                    tracks.add(track);
                    if (e.containsKey("args")) {
                        assertThat(e.get("args")).isInstanceOf(Map.class);
                    }
                }
                case "i" -> {
                    assertThat(e.get("s")).isIn("g", "p", "t");
                    tracks.add(track);
                }
                case "s", "t", "f" -> {
                    // flow events: one id links them; "bp":"e" binds each to the slice enclosing it
                    assertThat(e.get("id")).as("id of %s", e).isInstanceOf(Long.class);
                    assertThat(e.get("bp")).as("bp of %s", e).isEqualTo("e");
                    tracks.add(track);
                }
                default -> throw new AssertionError("unexpected phase in " + e);
            }
        }
        assertThat(threadNames.keySet()).as("every track has a thread_name").containsAll(tracks);
        // complete events on one thread must nest: each either ends before the next starts or encloses it
        completes.forEach((track, slices) -> {
            List<double[]> open = new ArrayList<>();
            for (double[] s : slices) {
                open.removeIf(o -> o[1] <= s[0]);
                for (double[] o : open) {
                    assertThat(s[0])
                            .as("slice %s on %s starts inside %s", List.of(s[0], s[1]), track, List.of(o[0], o[1]))
                            .isGreaterThanOrEqualTo(o[0]);
                    assertThat(s[1])
                            .as("slice %s on %s nests in %s", List.of(s[0], s[1]), track, List.of(o[0], o[1]))
                            .isLessThanOrEqualTo(o[1]);
                }
                open.add(s);
            }
        });
        return events;
    }

    @Test
    void aRealTraceIsValidTraceEventFormat() throws Throwable {
        Timeline t = Tracer.trace(() -> {
            TraceWorkloads.contend(50);
            TraceWorkloads.awaitLatch(20);
            TraceWorkloads.socketRead(10);
            TraceWorkloads.fileIo(4096);
            System.gc();
            // at least ten of JFR's 10 ms samples, also when other processes share the cores
            Workloads.spinCpuTime(150);
        });
        Path file = dir.resolve("trace.json");
        TraceEventFormat.write(t, file, "MyTest › works() \"quoted\"\n");
        List<Map<String, Object>> events = validate(Files.readString(file));
        Set<Object> names = new HashSet<>();
        events.forEach(e -> names.add(e.get("name")));
        assertThat(names)
                .contains(
                        "blocked",
                        "parked",
                        "sleeping",
                        "socket read",
                        "file write",
                        "file read",
                        "GC pause",
                        "running",
                        "test start",
                        "test end",
                        "MyTest › works() \"quoted\"\n");
        assertThat(events)
                .filteredOn(e -> e.get("name").equals("thread_name"))
                .extracting(e -> (Object) String.valueOf(((Map<?, ?>) e.get("args")).get("name")))
                .contains("waiter", "holder", Thread.currentThread().getName(), "GC pauses (whole JVM)");
        assertThat(events).filteredOn(e -> e.get("name").equals("blocked")).anySatisfy(e -> {
            Map<?, ?> args = (Map<?, ?>) e.get("args");
            assertThat(args.get("detail")).isEqualTo(TraceWorkloads.Account.class.getName());
            assertThat((List<?>) args.get("stack")).anyMatch(f -> f.toString().contains("TraceWorkloads.enterAccount"));
        });
    }

    @Test
    void slicesThatWouldOverlapAreCutSoThatTheyNest() {
        TraceThread main = new TraceThread(1, "main", true);
        TraceThread other = new TraceThread(7, "pool-1", false);
        List<Frame> stack = List.of(Frame.of("a.B.c"));
        Timeline t = new Timeline(
                0,
                10_000_000,
                Duration.ofMillis(1),
                List.of(main, other),
                List.of(
                        new Slice(SliceKind.PARKED, main, 1_000_000, 3_000_000, "x", stack),
                        new Slice(
                                SliceKind.FILE_READ, main, 2_000_000, 3_000_000, "", stack), // would end after the park
                        new Slice(SliceKind.BLOCKED, other, 500, 1_234_567, "java.lang.Object", List.of()),
                        new Slice(SliceKind.GC_PAUSE, null, 0, 12_345, "Pause Young", List.of())));
        String json = TraceEventFormat.toJson(t, "synthetic");
        List<Map<String, Object>> events = validate(json);
        assertThat(events)
                .filteredOn(e -> e.get("name").equals("file read"))
                .singleElement()
                .satisfies(e -> assertThat(e.get("dur")).isEqualTo(2000L));
        assertThat(json).contains("\"ts\":0.500,\"dur\":1234.567").contains("\"pool-1 (not the test's)\"");
        assertThat(events)
                .filteredOn(e -> e.get("name").equals("GC pause"))
                .singleElement()
                .satisfies(e -> assertThat(e.get("tid")).isEqualTo(TraceEventFormat.GC_TRACK_TID));
    }

    @Test
    void microsecondsKeepNanosecondDecimals() {
        assertThat(TraceEventFormat.micros(0)).isEqualTo("0");
        assertThat(TraceEventFormat.micros(1_000)).isEqualTo("1");
        assertThat(TraceEventFormat.micros(1_234_567)).isEqualTo("1234.567");
        assertThat(TraceEventFormat.micros(5)).isEqualTo("0.005");
        assertThat(TraceEventFormat.micros(2_040)).isEqualTo("2.040");
    }

    @Test
    void writesAtomically() throws IOException {
        Path file = dir.resolve("sub/trace.json");
        TraceEventFormat.write(
                new Timeline(0, 1, Duration.ofMillis(10), List.of(new TraceThread(1, "main", true)), List.of()),
                file,
                "t");
        assertThat(validate(Files.readString(file))).isNotEmpty();
    }
}
