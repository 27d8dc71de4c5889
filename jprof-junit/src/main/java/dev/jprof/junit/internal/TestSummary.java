package dev.jprof.junit.internal;

import dev.jprof.analysis.HotFunction;
import dev.jprof.analysis.ProfileAnalysis;
import dev.jprof.capture.CaptureResult;
import dev.jprof.capture.internal.Recorder;
import dev.jprof.format.internal.ProfileArtifacts;
import dev.jprof.format.internal.RunReport;
import dev.jprof.internal.AtomicFiles;
import dev.jprof.internal.Json;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentest4j.TestAbortedException;

/**
 * A test's {@code summary.json}, next to its profiles: what the run report shows of it.
 *
 * <pre>
 * {
 *   "schema": "jprof.test-summary/1",
 *   "class": "com.acme.ParserTest",          test class
 *   "test": "parses(String) › [1] small",    test method and invocation, as display names
 *   "uniqueId": "[engine:junit-jupiter]/…",  JUnit unique id
 *   "folder": "com.acme.ParserTest/parses(String)/[1] small",   relative to the output directory, '/'-separated
 *   "status": "passed" | "failed" | "aborted",
 *   "failure": "message" | null,
 *   "engine": "async-profiler/ctimer",       the engine that really ran
 *   "durationNanos": 123456789,              the test's own time: its body as JUnit ran it (whole-suite mode: the
 *                                            test's start to its end); before 0.1's windowNanos, the capture window
 *   "windowNanos": 124000000,                how long the capture window was open (the profiles' duration)
 *   "finishedAt": "2026-05-01T10:15:32.123Z",
 *   "pid": 4242,                             the test JVM (Surefire fork)
 *   "run": "5871@2026-05-01T10:14:02.120Z",  the build tool invocation (see RunReport.currentRun): the report shows one run
 *   "artifacts": ["cpu.pb.gz", "cpu.html", "trace.json", …],   optional: every file of the test, relative to its folder
 *   "profiles": {                            one entry per captured kind, in cpu, wall, alloc, lock order
 *     "cpu": {
 *       "pprof": "cpu.pb.gz", "flameGraph": "cpu.html",
 *       "sampleType": "cpu", "unit": "nanoseconds",
 *       "samples": 523,                      sampling events (see ProfileAnalysis.sampleCount)
 *       "total": 523000000,                  total of the sample type
 *       "jvm": 120000000,                    optional: total on JVM-internal threads during the test, left out of the profile
 *       "top": [ {"function": "…", "flat": 1, "flatPercent": 45.2, "cum": 2, "cumPercent": 80.1}, … ]   5 by flat
 *       "diff": {…}                          optional: with jprof.compare, the change since the earlier run (see Comparisons)
 *     }
 *   },
 *   "allocations": {"bytes": 800000, "objects": 10000, "sampled": true}   when alloc was captured: estimates
 *   "allocations": {"bytes": 4096, "objects": 12, "exact": true}          or, from @AllocationLimit, exact counts
 * }
 * </pre>
 */
final class TestSummary {

    static final String FILE = RunReport.TEST_SUMMARY;
    static final String SCHEMA = RunReport.TEST_SCHEMA;
    static final int TOP = 5;

    private TestSummary() {}

    /** Deletes the summary a previous run left in {@code dir}. */
    static void clear(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(FILE));
    }

    /** The exact bytes an {@code @AllocationLimit} test's body allocated (its objects are counted only when a limit needs them). */
    record Exact(long bytes) {}

    /**
     * Writes {@code dir/summary.json} atomically; {@code testNanos} is the test's own time ({@code durationNanos}),
     * {@code diffs} are the comparisons with an earlier run, by kind.
     */
    static void write(
            Path outputDir,
            TestId test,
            Recorder.Result result,
            List<String> artifacts,
            Throwable failure,
            Exact exact,
            long testNanos,
            Map<ProfileKind, Map<String, Object>> diffs)
            throws IOException {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("schema", SCHEMA);
        s.put("class", test.testClass().getName());
        s.put("test", test.display());
        s.put("uniqueId", test.uniqueId());
        s.put("folder", outputDir.relativize(test.dir()).toString().replace('\\', '/'));
        s.put("status", failure == null ? "passed" : failure instanceof TestAbortedException ? "aborted" : "failed");
        s.put(
                "failure",
                failure == null ? null : String.valueOf(failure.getMessage()).strip());
        CaptureResult capture = result.capture();
        s.put("engine", capture != null ? capture.engine() : "jfr");
        long window = capture != null
                ? capture.duration().toNanos()
                : result.timeline().durationNanos();
        s.put("durationNanos", testNanos >= 0 ? testNanos : window);
        s.put("windowNanos", window);
        s.put("finishedAt", Instant.now().toString());
        s.put("pid", ProcessHandle.current().pid());
        s.put("run", RunReport.currentRun());
        Map<String, Object> profiles = new LinkedHashMap<>();
        for (ProfileKind kind : ProfileKind.values()) {
            Profile p = capture == null ? null : capture.profiles().get(kind);
            if (p != null) {
                Map<String, Object> m = profile(kind, p);
                m.put("jvm", result.jvm().getOrDefault(kind, 0L));
                if (diffs.containsKey(kind)) {
                    m.put("diff", diffs.get(kind));
                }
                profiles.put(kind.id(), m);
            }
        }
        s.put("profiles", profiles);
        s.put("artifacts", artifacts);
        if (result.gapNanos() > 0) {
            s.put("gapNanos", result.gapNanos());
        }
        Profile alloc = capture == null ? null : capture.profiles().get(ProfileKind.ALLOC);
        if (exact != null) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("bytes", exact.bytes());
            a.put("exact", true);
            s.put("allocations", a);
        } else if (alloc != null) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("bytes", alloc.total(alloc.valueIndex("alloc_space")));
            a.put("objects", alloc.total(alloc.valueIndex("alloc_objects")));
            a.put("sampled", true);
            s.put("allocations", a);
        }
        byte[] json = (Json.write(s, true) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(test.dir().resolve(FILE), out -> out.write(json));
    }

    /**
     * Adds {@code names} to the {@code "artifacts"} of the summary in {@code dir}, for files written
     * after it (a thread dump taken after the test); does nothing when the folder has no summary.
     */
    static void addArtifacts(Path dir, List<String> names) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> s =
                new LinkedHashMap<>((Map<String, Object>) Json.parse(Files.readString(file, StandardCharsets.UTF_8)));
        List<Object> listed = new java.util.ArrayList<>(s.get("artifacts") instanceof List<?> l ? l : List.of());
        for (String n : names) {
            if (!listed.contains(n)) {
                listed.add(n);
            }
        }
        s.put("artifacts", listed);
        byte[] json = (Json.write(s, true) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(json));
    }

    private static Map<String, Object> profile(ProfileKind kind, Profile p) {
        ProfileAnalysis a = ProfileAnalysis.of(p);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pprof", ProfileArtifacts.pprofFileName(kind));
        m.put("flameGraph", ProfileArtifacts.flameGraphFileName(kind));
        m.put("sampleType", a.valueType().type());
        m.put("unit", a.valueType().unit());
        m.put("samples", a.sampleCount());
        m.put("total", a.total());
        List<Object> top = new ArrayList<>();
        for (HotFunction f : a.top(TOP)) {
            top.add(RunReport.row(f));
        }
        m.put("top", top);
        return m;
    }
}
