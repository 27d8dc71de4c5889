package dev.jprof.format.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.jprof.analysis.HotFunction;
import dev.jprof.analysis.ProfileAnalysis;
import dev.jprof.capture.internal.JvmThreads;
import dev.jprof.format.Pprof;
import dev.jprof.internal.AtomicFiles;
import dev.jprof.internal.Figures;
import dev.jprof.internal.Json;
import dev.jprof.profile.Frame;
import dev.jprof.profile.Profile;
import dev.jprof.profile.Sample;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * The report of a whole run: {@code index.html} and {@code summary.json} in the output directory,
 * rebuilt from the {@code summary.json} of every test of this run found below it.
 *
 * <p>Several JVMs (Surefire forks) may share one output directory. Each writes its tests' summaries
 * as they finish, then rebuilds the report under an exclusive file lock: the last JVM to finish sees
 * every summary and writes a report that includes every test. Files are replaced atomically, so a
 * reader never sees half a report.
 *
 * <p>A run is one build tool invocation: every test summary carries the {@linkplain #currentRun() run}
 * of the JVM that wrote it, and the report holds the tests of the run of the JVM that writes it.
 * Summaries of earlier runs (tests that did not run again, left until {@code mvn clean}) are left
 * out, counted, and listed in a collapsed section.
 *
 * <p>The run's {@code summary.json}:
 * <pre>
 * {
 *   "schema": "jprof.run-summary/1",
 *   "generatedAt": "2026-05-01T10:15:40Z",
 *   "run": "5871@2026-05-01T10:14:02.120Z",         this run (see TestSummary's "run")
 *   "tests": 12, "failed": 1,
 *   "kinds": {"cpu": 8, "alloc": 3, "lock": 1},     profiled tests per kind
 *   "earlierRuns": 6,                               summaries of earlier runs left out
 *   "modules": ["app", "core"],                     a joined report's modules (see JoinedReport), in order
 *   "suite": {                                      when suite/&lt;kind&gt;.pb.gz exist
 *     "cpu": {"pprof": "suite/cpu.pb.gz", "flameGraph": "suite/cpu.html", "sampleType": "cpu", "unit": "nanoseconds",
 *             "samples": 4567, "total": 45670000000, "tests": 48,
 *             "top": [ {"function": "…", "flat": …, "flatPercent": …, "cum": …, "cumPercent": …, "tests": 12}, … ],   20 by flat
 *             "topCum": [ … ] }                     20 by cum
 *   },
 *   "results": [ every test summary of this run (see TestSummary), ordered by class and test ],
 *   "benchmarks": [ every JMH benchmark summary of this run (jprof.jmh-summary/1, see JprofProfiler), with its
 *                   "folder" relative to the report ]              when there are such
 * }
 * </pre>
 */
@API(status = INTERNAL, since = "0.1")
public final class RunReport {

    /** The run report's page, in the output directory. */
    public static final String INDEX = "index.html";
    /** The run report's figures, in the output directory; also the name of each test's summary in its folder. */
    public static final String SUMMARY = "summary.json";
    /** The schema of the run's {@code summary.json}: {@value}. */
    public static final String SCHEMA = "jprof.run-summary/1";
    /** A test's summary, in its folder: {@value} (see jprof-junit's {@code TestSummary}). */
    public static final String TEST_SUMMARY = "summary.json";
    /** The schema of a test's {@code summary.json}: {@value}. */
    public static final String TEST_SCHEMA = "jprof.test-summary/1";
    /** The schema of a JMH benchmark's {@code summary.json}, in its folder (jprof-jmh's {@code JprofProfiler}): {@value}. */
    public static final String BENCHMARK_SCHEMA = "jprof.jmh-summary/1";
    /**
     * In a joined report, how many inputs held a test (see jprof-junit's {@code JoinedReport}): shown as "(ran N
     * times)".
     */
    public static final String COPIES = "copies";
    /** The folder, below the output directory, of the profiles of the whole run. */
    public static final String SUITE = "suite";
    /** The pprof string label that names a suite profile sample's test (its display id). */
    public static final String TEST_LABEL = "test";

    /** How many functions the report lists per suite profile, by flat and by cum. */
    public static final int SUITE_TOP = 20;
    /** A test's module in a {@linkplain #writeJoined joined} report, and the pprof label that names a joined suite sample's module. */
    public static final String MODULE = "module";

    private static final String LOCK = ".jprof-report.lock";
    private static final List<String> KINDS = List.of("cpu", "wall", "alloc", "lock", "block");
    /** Artifacts a test folder may hold, in the order the report lists them. */
    public static final List<String> KNOWN_ARTIFACTS = List.of(
            "cpu.html",
            "cpu.pb.gz",
            "wall.html",
            "wall.pb.gz",
            "alloc.html",
            "alloc.pb.gz",
            "lock.html",
            "lock.pb.gz",
            "block.html",
            "block.pb.gz",
            "io.html",
            "io.pb.gz",
            "alloc-sites.html",
            "alloc-sites.pb.gz",
            "trace.json",
            "trace.jfr",
            "threads.txt",
            "threads.pb.gz");

    private static final Set<String> FLAME_GRAPHS = Set.of(
            "cpu.html",
            "wall.html",
            "alloc.html",
            "lock.html",
            "block.html",
            "io.html",
            "alloc-sites.html",
            "cpu-diff.html",
            "wall-diff.html",
            "alloc-diff.html",
            "lock-diff.html");
    private static final String TEMPLATE = "run-report.html";
    private static final Set<String> JAVA_LAUNCHERS = Set.of("java", "java.exe", "javaw.exe");
    /** How far up the process tree the build tool's JVM is looked for (Surefire: fork, shell, Maven). */
    private static final int ANCESTORS = 4;

    private RunReport() {}

    /**
     * The identity of this run, shared by every test JVM one build tool invocation starts: the pid and
     * start time of the nearest ancestor process that is a JVM (Maven's JVM for Surefire and Failsafe
     * forks, which it starts through a shell), or of this JVM when no ancestor is one or the process
     * tree cannot be read.
     */
    public static String currentRun() {
        return CurrentRun.ID;
    }

    private static final class CurrentRun {
        static final String ID = runOf(ProcessHandle.current());
    }

    /** The {@linkplain #currentRun() run} of a JVM. */
    public static String runOf(ProcessHandle jvm) {
        try {
            Optional<ProcessHandle> p = jvm.parent();
            for (int i = 0; i < ANCESTORS && p.isPresent(); i++) {
                ProcessHandle ancestor = p.get();
                ProcessHandle.Info info = ancestor.info();
                Optional<Instant> start = info.startInstant();
                if (start.isPresent() && info.command().map(RunReport::isJava).orElse(false)) {
                    return ancestor.pid() + "@" + start.get();
                }
                p = ancestor.parent();
            }
        } catch (SecurityException | UnsupportedOperationException e) {
            // no view of the process tree: this JVM is the run
        }
        return jvm.pid() + "@"
                + jvm.info().startInstant().map(Instant::toString).orElse("?");
    }

    private static boolean isJava(String command) {
        String name = Path.of(command).getFileName() == null
                ? command
                : Path.of(command).getFileName().toString();
        return JAVA_LAUNCHERS.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Rebuilds the report of {@code outputDir} for the tests of this JVM's run.
     *
     * @return the console line that describes it
     * @throws IOException naming the file that could not be read or written
     */
    public static String write(Path outputDir) throws IOException {
        return write(outputDir, currentRun());
    }

    /**
     * Rebuilds the report of {@code outputDir} for the tests of this JVM's run, given the suite profiles this JVM
     * has just written (by kind id): those still unchanged on disk are not read back.
     */
    public static String write(Path outputDir, Map<String, SuiteProfileFile> written) throws IOException {
        return write(outputDir, currentRun(), written);
    }

    /** Rebuilds the report of {@code outputDir} for the tests of {@code run}. */
    public static String write(Path outputDir, String run) throws IOException {
        return write(outputDir, run, Map.of());
    }

    @SuppressWarnings("try") // the file lock is held for the block, never read
    private static String write(Path outputDir, String run, Map<String, SuiteProfileFile> written) throws IOException {
        Files.createDirectories(outputDir);
        // One JVM may run several engines (and EngineTestKit runs) at once: serialize them here, other JVMs by the file
        // lock.
        synchronized (RunReport.class) {
            try (FileChannel channel = FileChannel.open(
                            outputDir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                List<Map<String, Object>> tests = new ArrayList<>();
                List<Map<String, Object>> earlier = new ArrayList<>();
                List<String> unreadable = new ArrayList<>();
                for (Map<String, Object> t : readSummaries(outputDir, unreadable)) {
                    (run.equals(t.get("run")) ? tests : earlier).add(t);
                }
                String line = publish(outputDir, run, tests, earlier, written);
                return unreadable.isEmpty()
                        ? line
                        : line + "; left out " + unreadable.size()
                                + (unreadable.size() == 1
                                        ? " unreadable test summary: "
                                        : " unreadable test summaries: ")
                                + String.join(", ", unreadable);
            }
        }
    }

    /**
     * Writes the report of {@code outputDir} for {@code tests} gathered from several runs (see jprof-junit's {@code JoinedReport}):
     * each test's {@code "folder"} is relative to {@code outputDir}, and a {@code "module"} adds the Module column.
     */
    public static String writeJoined(Path outputDir, String run, List<Map<String, Object>> tests) throws IOException {
        Files.createDirectories(outputDir);
        return publish(outputDir, run, tests, List.of(), Map.of());
    }

    private static String publish(
            Path outputDir,
            String run,
            List<Map<String, Object>> found,
            List<Map<String, Object>> earlier,
            Map<String, SuiteProfileFile> written)
            throws IOException {
        List<Map<String, Object>> tests = new ArrayList<>();
        List<Map<String, Object>> benchmarks = new ArrayList<>();
        for (Map<String, Object> t : found) {
            (isBenchmark(t) ? benchmarks : tests).add(t);
        }
        Map<String, Map<String, Object>> suite = suite(outputDir, written);
        Map<String, Object> summary = runSummary(run, tests, benchmarks, earlier.size(), suite);
        byte[] json = (Json.write(summary, true) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(outputDir.resolve(SUMMARY), out -> out.write(json));
        byte[] html =
                html(outputDir, summary, tests, benchmarks, earlier, suite).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(outputDir.resolve(INDEX), out -> out.write(html));
        return consoleLine(outputDir.resolve(INDEX), summary);
    }

    /** Whether {@code summary} is a JMH benchmark's ({@value #BENCHMARK_SCHEMA}), not a test's. */
    public static boolean isBenchmark(Map<String, Object> summary) {
        return BENCHMARK_SCHEMA.equals(summary.get("schema"));
    }

    /**
     * Every test and benchmark summary below {@code outputDir}, of any run, ordered by class (or benchmark), then
     * folder. One that cannot be read or parsed is left out and named, with the reason, in {@code unreadable}; a
     * {@code summary.json} of another schema (not a jprof test or benchmark summary) is left out silently. A benchmark
     * summary gets its {@code "folder"}, relative to {@code outputDir}, from where it was found.
     */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> readSummaries(Path outputDir, List<String> unreadable) throws IOException {
        List<Map<String, Object>> tests = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(outputDir)) {
            files = walk.filter(p -> p.getFileName().toString().equals(TEST_SUMMARY)
                            && !p.getParent().equals(outputDir))
                    .filter(Files::isRegularFile)
                    .toList();
        }
        for (Path f : files) {
            try {
                Object o = Json.parse(Files.readString(f, StandardCharsets.UTF_8));
                if (o instanceof Map<?, ?> m && TEST_SCHEMA.equals(m.get("schema"))) {
                    tests.add((Map<String, Object>) m);
                } else if (o instanceof Map<?, ?> m && BENCHMARK_SCHEMA.equals(m.get("schema"))) {
                    Map<String, Object> b = new LinkedHashMap<>((Map<String, Object>) m);
                    b.put(
                            "folder",
                            outputDir.relativize(f.getParent()).toString().replace('\\', '/'));
                    tests.add(b);
                }
            } catch (IOException | IllegalArgumentException e) {
                unreadable.add("[" + outputDir.relativize(f).toString().replace('\\', '/') + "] (" + e + ")");
            }
        }
        tests.sort(Comparator.comparing(
                        (Map<String, Object> m) -> String.valueOf(isBenchmark(m) ? m.get("benchmark") : m.get("class")))
                .thenComparing(m -> String.valueOf(m.get("folder"))));
        return tests;
    }

    private static Map<String, Object> runSummary(
            String runId,
            List<Map<String, Object>> tests,
            List<Map<String, Object>> benchmarks,
            int earlier,
            Map<String, Map<String, Object>> suite) {
        Map<String, Object> kinds = new LinkedHashMap<>();
        long failed = 0;
        for (Map<String, Object> t : tests) {
            for (String k : profiles(t).keySet()) {
                kinds.merge(k, 1L, (a, b) -> (Long) a + (Long) b);
            }
            if ("failed".equals(t.get("status"))) {
                failed++;
            }
        }
        Map<String, Object> ordered = new LinkedHashMap<>();
        KINDS.forEach(k -> {
            if (kinds.containsKey(k)) {
                ordered.put(k, kinds.get(k));
            }
        });
        kinds.forEach(ordered::putIfAbsent);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("schema", SCHEMA);
        run.put("generatedAt", Instant.now().toString());
        run.put("run", runId);
        run.put("tests", (long) tests.size());
        run.put("failed", failed);
        run.put("kinds", ordered);
        run.put("earlierRuns", (long) earlier);
        List<Object> modules = tests.stream()
                .map(t -> t.get(MODULE))
                .filter(m -> m != null)
                .distinct()
                .toList();
        if (!modules.isEmpty()) {
            run.put("modules", modules);
        }
        if (!suite.isEmpty()) {
            run.put("suite", suite);
        }
        run.put("results", tests);
        if (!benchmarks.isEmpty()) {
            run.put("benchmarks", benchmarks);
        }
        return run;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> profiles(Map<String, Object> test) {
        Object p = test.get("profiles");
        return p instanceof Map<?, ?> m ? (Map<String, Map<String, Object>>) m : Map.of();
    }

    /**
     * {@code jprof: report target/jprof/index.html — 12 profiled tests (cpu 8, alloc 3, lock 1), 1 failed}, and
     * {@code ; 6 summaries of earlier runs left out} when there are such.
     */
    @SuppressWarnings("unchecked")
    public static String consoleLine(Path index, Map<String, Object> run) {
        Path shown = index.toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath();
        if (shown.startsWith(cwd)) {
            shown = cwd.relativize(shown);
        }
        long tests = (Long) run.get("tests");
        StringBuilder b = new StringBuilder("jprof: report ")
                .append(shown.toString().replace('\\', '/'))
                .append(" — ")
                .append(tests)
                .append(tests == 1 ? " profiled test" : " profiled tests");
        Map<String, Object> kinds = (Map<String, Object>) run.get("kinds");
        if (!kinds.isEmpty()) {
            List<String> parts = new ArrayList<>();
            kinds.forEach((k, v) -> parts.add(k + " " + v));
            b.append(" (").append(String.join(", ", parts)).append(')');
        }
        b.append(", ").append(run.get("failed")).append(" failed");
        if (run.get("benchmarks") instanceof List<?> benchmarks) {
            b.append(", ")
                    .append(benchmarks.size())
                    .append(benchmarks.size() == 1 ? " JMH benchmark" : " JMH benchmarks");
        }
        long earlier = number(run.get("earlierRuns")).longValue();
        if (earlier > 0) {
            b.append("; ")
                    .append(earlier)
                    .append(earlier == 1 ? " summary" : " summaries")
                    .append(" of earlier runs left out");
        }
        return b.toString();
    }

    // --- artifacts -------------------------------------------------------------------------------------

    /**
     * The files of a test, relative to its folder: its summary's {@code "artifacts"} when it has them,
     * else the {@linkplain #KNOWN_ARTIFACTS known artifacts} found in its folder; known ones first, in
     * their order.
     */
    public static List<String> artifacts(Path outputDir, Map<String, Object> test) {
        Set<String> names = new LinkedHashSet<>();
        if (test.get("artifacts") instanceof List<?> listed) {
            for (Object o : listed) {
                if (o instanceof String s && safeRelative(s) && !s.equals(TEST_SUMMARY)) {
                    names.add(s);
                }
            }
        } else {
            String folder = String.valueOf(test.get("folder"));
            if (safeRelative(folder)) {
                Path dir = outputDir.resolve(folder);
                for (String known : KNOWN_ARTIFACTS) {
                    if (Files.isRegularFile(dir.resolve(known))) {
                        names.add(known);
                    }
                }
            }
        }
        List<String> ordered = new ArrayList<>(names);
        ordered.sort(Comparator.comparingInt(n -> {
            int i = KNOWN_ARTIFACTS.indexOf(n);
            return i < 0 ? KNOWN_ARTIFACTS.size() : i;
        }));
        return ordered;
    }

    /** A '/'-separated relative path that stays below where it is resolved. */
    private static boolean safeRelative(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.contains(":")) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static String artifactLabel(String name) {
        if (FLAME_GRAPHS.contains(name)) {
            return name.substring(0, name.length() - ".html".length()) + " flame graph";
        }
        return name;
    }

    // --- across the suite ------------------------------------------------------------------------------

    /** Per kind with a {@code suite/<kind>.pb.gz}: its top functions across all tests. */
    public static Map<String, Map<String, Object>> suite(Path outputDir) {
        return suite(outputDir, Map.of());
    }

    /** {@link #suite(Path)}, taking the profiles of {@code written} (by kind id) that are still unchanged on disk from memory. */
    private static Map<String, Map<String, Object>> suite(Path outputDir, Map<String, SuiteProfileFile> written) {
        Map<String, Map<String, Object>> kinds = new LinkedHashMap<>();
        for (String kind : KINDS) {
            Path pprof = outputDir.resolve(SUITE).resolve(kind + ".pb.gz");
            if (!Files.isRegularFile(pprof)) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pprof", SUITE + "/" + kind + ".pb.gz");
            if (Files.isRegularFile(outputDir.resolve(SUITE).resolve(kind + ".html"))) {
                m.put("flameGraph", SUITE + "/" + kind + ".html");
            }
            try {
                SuiteProfileFile w = written.get(kind);
                Optional<Profile> known =
                        w != null && w.file().equals(pprof) ? w.profileIfUnchanged() : Optional.empty();
                suiteKind(known.isPresent() ? known.get() : Pprof.read(pprof), m);
            } catch (IOException | RuntimeException e) {
                // being replaced by another fork, or damaged: the report says so and goes on
                m.put("error", String.valueOf(e.getMessage()));
            }
            kinds.put(kind, m);
        }
        return kinds;
    }

    private static void suiteKind(Profile profile, Map<String, Object> m) {
        ProfileAnalysis all = ProfileAnalysis.of(profile);
        // the tables rank the code's work: the JVM's own threads (JIT, GC, VM thread, jprof's worker), left out of
        // every test's profile, stay in the file and its total but would crowd the code out of the ranking
        Profile.Builder own = profile.withoutSamples();
        for (Sample s : profile.samples()) {
            if (!JvmThreads.isJvm(s.label(Sample.THREAD_LABEL))) {
                own.addSample(s.stack(), s.values(), s.labels());
            }
        }
        ProfileAnalysis a = ProfileAnalysis.of(own.build());
        List<HotFunction> flat = a.top(SUITE_TOP);
        List<HotFunction> cum = a.topCum(SUITE_TOP);
        Set<String> wanted = new HashSet<>();
        flat.forEach(f -> wanted.add(f.function()));
        cum.forEach(f -> wanted.add(f.function()));
        Map<String, Set<String>> testsOf = new HashMap<>();
        Set<String> allTests = new HashSet<>();
        Set<String> seen = new HashSet<>();
        int index = profile.valueIndex(a.valueType().type());
        for (Sample s : a.samples()) {
            if (s.value(index) == 0) {
                continue;
            }
            String test = s.label(TEST_LABEL);
            if (test == null) {
                continue;
            }
            if (s.label(MODULE) != null) {
                test = s.label(MODULE) + " " + test; // a joined suite: the same test may be in two modules
            }
            allTests.add(test);
            seen.clear();
            for (Frame f : s.stack()) {
                if (wanted.contains(f.function()) && seen.add(f.function())) {
                    testsOf.computeIfAbsent(f.function(), k -> new HashSet<>()).add(test);
                }
            }
        }
        m.put("sampleType", all.valueType().type());
        m.put("unit", all.valueType().unit());
        m.put("samples", all.sampleCount());
        m.put("total", all.total());
        m.put("jvm", all.total() - a.total());
        m.put("tests", (long) allTests.size());
        m.put("top", suiteRows(flat, testsOf));
        m.put("topCum", suiteRows(cum, testsOf));
    }

    /** A hot function as summaries write it: function, flat, flatPercent, cum, cumPercent. */
    public static Map<String, Object> row(HotFunction f) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("function", f.function());
        row.put("flat", f.flat());
        row.put("flatPercent", f.flatPercent());
        row.put("cum", f.cum());
        row.put("cumPercent", f.cumPercent());
        return row;
    }

    private static List<Object> suiteRows(List<HotFunction> functions, Map<String, Set<String>> testsOf) {
        List<Object> rows = new ArrayList<>();
        for (HotFunction f : functions) {
            Map<String, Object> row = row(f);
            row.put("tests", (long) testsOf.getOrDefault(f.function(), Set.of()).size());
            rows.add(row);
        }
        return rows;
    }

    // --- index.html ------------------------------------------------------------------------------------

    private static String html(
            Path outputDir,
            Map<String, Object> run,
            List<Map<String, Object>> tests,
            List<Map<String, Object>> benchmarks,
            List<Map<String, Object>> earlier,
            Map<String, Map<String, Object>> suite) {
        long maxNanos = 1;
        long maxBytes = 1;
        for (Map<String, Object> t : tests) {
            maxNanos = Math.max(maxNanos, number(t.get("durationNanos")).longValue());
            Allocated a = Allocated.of(t);
            if (a != null) {
                maxBytes = Math.max(maxBytes, a.own + a.jvm);
            }
        }
        boolean modules = tests.stream().anyMatch(t -> t.get(MODULE) != null);
        StringBuilder rows = new StringBuilder();
        for (Map<String, Object> t : tests) {
            row(rows, outputDir, t, maxNanos, maxBytes, modules);
        }
        String title = consoleLine(Path.of(INDEX), run).replaceFirst("^jprof: report index.html — ", "");
        return Page.TEXT
                .replace("@@SUMMARY@@", text(title))
                .replace("@@GENERATED@@", text(String.valueOf(run.get("generatedAt"))))
                .replace("@@MODULE@@", modules ? "<th data-key=\"module\" data-type=\"text\">Module</th>" : "")
                .replace("@@SUITE@@", suiteHtml(suite))
                .replace("@@BENCHMARKS@@", benchmarksHtml(outputDir, benchmarks))
                // a report of JMH benchmarks only (jprof-jmh's own) has no empty Tests table below them
                .replace("@@TESTS_HIDDEN@@", tests.isEmpty() && !benchmarks.isEmpty() ? " hidden" : "")
                .replace("@@EARLIER@@", earlierHtml(earlier))
                .replace("@@ROWS@@", rows.toString());
    }

    private static final class Page {
        static final String TEXT = load();

        private static String load() {
            try (InputStream in = RunReport.class.getResourceAsStream(TEMPLATE)) {
                if (in == null) {
                    throw new IllegalStateException(
                            "Missing resource [" + TEMPLATE + "] next to " + RunReport.class.getName());
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read resource [" + TEMPLATE + "]", e);
            }
        }
    }

    /** What a test allocated: on its own threads and, when the profile says, on JVM threads. */
    private record Allocated(long own, long jvm, long objects, boolean exact) {
        static Allocated of(Map<String, Object> t) {
            Map<String, Object> alloc = profiles(t).get("alloc");
            long jvm = alloc == null ? 0 : Math.max(0, number(alloc.get("jvm")).longValue());
            if (t.get("allocations") instanceof Map<?, ?> a) {
                Object objects = a.get("objects");
                return new Allocated(
                        number(a.get("bytes")).longValue(),
                        jvm,
                        objects instanceof Number n ? n.longValue() : -1,
                        Boolean.TRUE.equals(a.get("exact")));
            }
            if (alloc != null) {
                return new Allocated(number(alloc.get("total")).longValue(), jvm, -1, false);
            }
            return null;
        }
    }

    private static void row(
            StringBuilder b, Path outputDir, Map<String, Object> t, long maxNanos, long maxBytes, boolean modules) {
        Map<String, Map<String, Object>> profiles = profiles(t);
        String folder = String.valueOf(t.get("folder"));
        String status = String.valueOf(t.get("status"));
        long samples = 0;
        List<String> sampleParts = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> e : profiles.entrySet()) {
            long n = number(e.getValue().get("samples")).longValue();
            samples += n;
            sampleParts.add(e.getKey() + " " + formatCount(n));
        }
        String topFunction = "";
        double topPercent = -1;
        for (Map.Entry<String, Map<String, Object>> e : profiles.entrySet()) {
            Object top = e.getValue().get("top");
            if (top instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?> first) {
                topFunction = first.get("function") + " "
                        + Figures.percent(number(first.get("flatPercent")).doubleValue()) + " (" + e.getKey() + ")";
                topPercent = number(first.get("flatPercent")).doubleValue();
                break;
            }
        }
        b.append("<tr class=\"").append(text(status)).append("\">");
        if (modules) {
            long copies = number(t.get(COPIES)).longValue();
            cell(
                    b,
                    t.get(MODULE) == null ? "" : t.get(MODULE) + (copies > 1 ? " (ran " + copies + " times)" : ""),
                    null);
        }
        cell(b, String.valueOf(t.get("class")), null);
        cell(b, String.valueOf(t.get("test")), null);
        cell(b, String.join(" ", profiles.keySet()), null);
        cell(b, String.join(", ", sampleParts), Long.toString(samples));
        cell(b, topFunction, String.format(Locale.ROOT, "%.4f", topPercent));
        changeCell(b, folder, profiles);
        durationCell(b, t, profiles, maxNanos);
        allocationCell(b, t, maxBytes);
        b.append("<td class=\"status\"");
        if (t.get("failure") != null) {
            b.append(" title=\"").append(text(String.valueOf(t.get("failure")))).append('"');
        }
        b.append('>').append(text(status)).append("</td><td class=\"files\">");
        for (String artifact : artifacts(outputDir, t)) {
            link(b, folder + "/" + artifact, artifactLabel(artifact));
        }
        link(b, folder + "/" + TEST_SUMMARY, TEST_SUMMARY);
        b.append("</td></tr>\n");
    }

    /**
     * With {@code jprof.compare}: the change of the first compared kind's total since the earlier run
     * and the function whose flat share grew most, linked to the diff flame graph; else empty.
     */
    private static void changeCell(StringBuilder b, String folder, Map<String, Map<String, Object>> profiles) {
        for (Map.Entry<String, Map<String, Object>> e : profiles.entrySet()) {
            if (!(e.getValue().get("diff") instanceof Map<?, ?> diff)) {
                continue;
            }
            long before = number(diff.get("beforeTotal")).longValue();
            long now = number(diff.get("total")).longValue();
            double percent = before > 0 ? 100.0 * (now - before) / before : now > 0 ? Double.POSITIVE_INFINITY : 0;
            String unit = String.valueOf(e.getValue().get("unit"));
            String change = (now >= before ? "+" : "\u2212") + format(Math.abs(now - before), unit)
                    + (before > 0 ? String.format(Locale.ROOT, " (%+.1f%%)", percent) : "") + " " + e.getKey();
            String grew = diff.get("grewMost") instanceof Map<?, ?> g
                    ? String.format(
                            Locale.ROOT,
                            "%s %+.2f pp",
                            g.get("function"),
                            number(g.get("points")).doubleValue())
                    : "no function grew";
            b.append("<td class=\"change\" data-sort=\"")
                    .append(String.format(Locale.ROOT, "%.4f", Double.isInfinite(percent) ? 1e9 : percent))
                    .append("\" title=\"")
                    .append(text("before " + format(before, unit) + ", now " + format(now, unit) + "; compared with "
                            + diff.get("before")))
                    .append("\">");
            b.append("<a href=\"")
                    .append(text(href(folder + "/" + diff.get("flameGraph"))))
                    .append("\">")
                    .append(text(change))
                    .append("</a><br>")
                    .append(text(grew))
                    .append("</td>");
            return;
        }
        b.append("<td class=\"change\" data-sort=\"-1e12\"></td>");
    }

    /**
     * The test's own time ({@code durationNanos}); its bar is split by the first of cpu and wall whose profile has a
     * {@code jvm} figure; the capture window ({@code windowNanos}, in summaries that have it) is in the title.
     */
    private static void durationCell(
            StringBuilder b, Map<String, Object> t, Map<String, Map<String, Object>> profiles, long maxNanos) {
        long nanos = Math.max(0, number(t.get("durationNanos")).longValue());
        double width = 100.0 * nanos / maxNanos;
        double jvmShare = 0;
        StringBuilder title = new StringBuilder(formatNanos(nanos));
        if (t.get("windowNanos") instanceof Number window) {
            title.append("; capture window ").append(formatNanos(window.longValue()));
        }
        for (String kind : List.of("cpu", "wall")) {
            Map<String, Object> p = profiles.get(kind);
            if (p != null && p.get("jvm") instanceof Number jvm) {
                long own = Math.max(0, number(p.get("total")).longValue());
                long other = Math.max(0, jvm.longValue());
                String unit = String.valueOf(p.get("unit"));
                if (own + other > 0) {
                    jvmShare = (double) other / (own + other);
                }
                title.append("; ")
                        .append(kind)
                        .append(": ")
                        .append(format(own, unit))
                        .append(" on the test's threads, ")
                        .append(format(other, unit))
                        .append(" on JVM threads (")
                        .append(Figures.percent(100 * jvmShare))
                        .append(')');
                break;
            }
        }
        b.append("<td class=\"num\" data-sort=\"")
                .append(nanos)
                .append("\" title=\"")
                .append(text(title.toString()))
                .append("\">");
        bar(b, width * (1 - jvmShare), width * jvmShare);
        b.append(text(formatNanos(nanos))).append("</td>");
    }

    private static void allocationCell(StringBuilder b, Map<String, Object> t, long maxBytes) {
        Allocated a = Allocated.of(t);
        if (a == null) {
            b.append("<td class=\"num\" data-sort=\"-1\"></td>");
            return;
        }
        StringBuilder shown = new StringBuilder(formatBytes(a.own));
        if (a.objects >= 0) {
            shown.append(", ").append(formatCount(a.objects)).append(a.objects == 1 ? " object" : " objects");
        }
        shown.append(a.exact ? " (exact)" : " (sampled)");
        String title = shown + " on the test's threads";
        if (a.jvm > 0) {
            shown.append(" + ").append(formatBytes(a.jvm)).append(" JVM");
            title += ", " + formatBytes(a.jvm) + " on JVM threads";
        }
        b.append("<td class=\"num\" data-sort=\"")
                .append(a.own)
                .append("\" title=\"")
                .append(text(title))
                .append("\">");
        bar(b, 100.0 * a.own / maxBytes, 100.0 * a.jvm / maxBytes);
        b.append(text(shown.toString())).append("</td>");
    }

    private static void bar(StringBuilder b, double ownPercent, double jvmPercent) {
        b.append("<span class=\"bar\"><i class=\"own\" style=\"width:")
                .append(String.format(Locale.ROOT, "%.2f", ownPercent))
                .append("%\"></i>");
        if (jvmPercent > 0) {
            b.append("<i class=\"jvm\" style=\"width:")
                    .append(String.format(Locale.ROOT, "%.2f", jvmPercent))
                    .append("%\"></i>");
        }
        b.append("</span>");
    }

    private static String suiteHtml(Map<String, Map<String, Object>> suite) {
        if (suite.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("<section id=\"suite\">\n<h2>Across the suite</h2>\n")
                .append("<div class=\"meta\">Everything recorded during the run, every sample labelled with its test")
                .append(
                        " (<code>go tool pprof -tagfocus test=&hellip;</code>): the functions that cost most across all tests.</div>\n");
        for (Map.Entry<String, Map<String, Object>> e : suite.entrySet()) {
            String kind = e.getKey();
            Map<String, Object> m = e.getValue();
            b.append("<div class=\"kind\" id=\"suite-")
                    .append(text(kind))
                    .append("\"><h3>")
                    .append(text(kind))
                    .append("</h3><div>");
            if (m.containsKey("error")) {
                b.append("could not read it: ")
                        .append(text(String.valueOf(m.get("error"))))
                        .append(' ');
            } else {
                String unit = String.valueOf(m.get("unit"));
                long tests = number(m.get("tests")).longValue();
                b.append("total ")
                        .append(text(format(number(m.get("total")).longValue(), unit)))
                        .append(" in ")
                        .append(formatCount(number(m.get("samples")).longValue()))
                        .append(" samples from ")
                        .append(tests)
                        .append(tests == 1 ? " test" : " tests");
                long jvm = number(m.getOrDefault("jvm", 0L)).longValue();
                if (jvm > 0) {
                    b.append("; the tables leave out the ")
                            .append(text(format(jvm, unit)))
                            .append(" of the JVM's own threads (JIT, GC, jprof)");
                }
                b.append(' ');
            }
            if (m.get("flameGraph") != null) {
                link(b, String.valueOf(m.get("flameGraph")), "flame graph");
            }
            link(b, String.valueOf(m.get("pprof")), String.valueOf(m.get("pprof")));
            b.append("</div>\n");
            if (!m.containsKey("error")) {
                String unit = String.valueOf(m.get("unit"));
                b.append("<div class=\"pair\">");
                suiteTable(b, "Top " + SUITE_TOP + " by flat", m.get("top"), unit);
                suiteTable(b, "Top " + SUITE_TOP + " by cum", m.get("topCum"), unit);
                b.append("</div>\n");
            }
            b.append("</div>\n");
        }
        return b.append("</section>\n").toString();
    }

    private static void suiteTable(StringBuilder b, String caption, Object rows, String unit) {
        b.append("<table class=\"top\"><caption>")
                .append(text(caption))
                .append("</caption><thead><tr>")
                .append(
                        "<th>flat</th><th>flat%</th><th>cum</th><th>cum%</th><th>tests</th><th>function</th></tr></thead><tbody>\n");
        if (rows instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> r) {
                    b.append("<tr>");
                    cell(b, format(number(r.get("flat")).longValue(), unit), null);
                    cell(b, Figures.percent(number(r.get("flatPercent")).doubleValue()), null);
                    cell(b, format(number(r.get("cum")).longValue(), unit), null);
                    cell(b, Figures.percent(number(r.get("cumPercent")).doubleValue()), null);
                    cell(b, Long.toString(number(r.get("tests")).longValue()), null);
                    cell(b, String.valueOf(r.get("function")), null);
                    b.append("</tr>\n");
                }
            }
        }
        b.append("</tbody></table>");
    }

    /**
     * The JMH benchmarks of the run (their {@code summary.json}, written by jprof-jmh's {@code JprofProfiler}): score,
     * forks, allocation per operation, and links to their merged profiles, per-fork profiles and summary.
     */
    private static String benchmarksHtml(Path outputDir, List<Map<String, Object>> benchmarks) {
        if (benchmarks.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("<section id=\"benchmarks\">\n<h2>JMH benchmarks</h2>\n")
                .append("<table class=\"benchmarks\"><thead><tr><th>Benchmark</th><th>Params</th><th>Mode</th>")
                .append("<th>Score</th><th>Forks</th><th>Allocation</th><th>Files</th></tr></thead><tbody>\n");
        for (Map<String, Object> m : benchmarks) {
            String folder = String.valueOf(m.get("folder"));
            b.append("<tr>");
            cell(b, String.valueOf(m.get("benchmark")), null);
            List<String> params = new ArrayList<>();
            if (m.get("params") instanceof Map<?, ?> p) {
                p.forEach((k, v) -> params.add(k + "=" + v));
            }
            cell(b, String.join(", ", params), null);
            cell(b, String.valueOf(m.get("mode")), null);
            cell(b, perOp(m.get("score"), String.valueOf(m.get("scoreUnit"))), null);
            cell(b, Long.toString(number(m.get("forks")).longValue()), null);
            String alloc = perOp(m.get("allocBytesPerOp"), "B/op");
            if (m.get("allocObjectsPerOp") instanceof Number) {
                alloc += ", " + perOp(m.get("allocObjectsPerOp"), "objects/op");
            }
            cell(b, alloc, null);
            b.append("<td class=\"files\">");
            if (safeRelative(folder)) {
                for (String artifact : artifacts(outputDir, m)) {
                    link(b, folder + "/" + artifact, artifactLabel(artifact));
                }
                link(b, folder + "/" + TEST_SUMMARY, TEST_SUMMARY);
            }
            b.append("</td></tr>\n");
        }
        return b.append("</tbody></table>\n</section>\n").toString();
    }

    /** A per-op figure of a benchmark summary ({@code null} where JMH gave NaN): {@code 1.5 B/op}, or {@code n/a}. */
    private static String perOp(Object value, String unit) {
        return value instanceof Number n ? Figures.perOp(n.doubleValue()) + " " + unit : "n/a";
    }

    private static String earlierHtml(List<Map<String, Object>> earlier) {
        if (earlier.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("<details id=\"earlier\"><summary>")
                .append(earlier.size())
                .append(earlier.size() == 1 ? " summary" : " summaries")
                .append(
                        " of earlier runs left out (tests that did not run this time; <code>mvn clean</code> removes them)</summary>\n")
                .append(
                        "<table><thead><tr><th>Class</th><th>Test</th><th>Status</th><th>Finished</th><th>Files</th></tr></thead><tbody>\n");
        for (Map<String, Object> t : earlier) {
            b.append("<tr>");
            if (isBenchmark(t)) {
                cell(b, String.valueOf(t.get("benchmark")), null);
                cell(b, "JMH benchmark", null);
                cell(b, "", null);
            } else {
                cell(b, String.valueOf(t.get("class")), null);
                cell(b, String.valueOf(t.get("test")), null);
                cell(b, String.valueOf(t.get("status")), null);
            }
            cell(b, String.valueOf(t.get("finishedAt")), null);
            b.append("<td class=\"files\">");
            String folder = String.valueOf(t.get("folder"));
            if (safeRelative(folder)) {
                link(b, folder + "/" + TEST_SUMMARY, TEST_SUMMARY);
            }
            b.append("</td></tr>\n");
        }
        return b.append("</tbody></table></details>\n").toString();
    }

    private static Number number(Object o) {
        return o instanceof Number n ? n : 0L;
    }

    private static void cell(StringBuilder b, String content, String sortKey) {
        b.append("<td");
        if (sortKey != null) {
            b.append(" data-sort=\"").append(text(sortKey)).append('"');
        }
        b.append('>').append(text(content)).append("</td>");
    }

    private static void link(StringBuilder b, String path, String label) {
        b.append("<a href=\"")
                .append(text(href(path)))
                .append("\">")
                .append(text(label))
                .append("</a> ");
    }

    // --- figures: the same units and precision as the flame graph page ---------------------------------

    private static final String[] BYTE_UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};
    private static final String[] TIME_UNITS = {"ns", "µs", "ms", "s"};

    /** {@code 0 B}, {@code 512 B}, {@code 1.50 KiB}, {@code 8.02 MiB}: powers of 1024. */
    public static String formatBytes(long bytes) {
        return scaled(bytes, 1024, BYTE_UNITS);
    }

    /** {@code 0 ns}, {@code 12.30 ms}, {@code 1.25 s}. */
    public static String formatNanos(long nanos) {
        return scaled(nanos, 1000, TIME_UNITS);
    }

    /** {@code value} in the largest of {@code units} (each {@code step} times the one before) that keeps it at least 1. */
    private static String scaled(long value, int step, String[] units) {
        int k = 0;
        double v = value;
        while (k + 1 < units.length && Math.abs(v) >= step) {
            v /= step;
            k++;
        }
        return k == 0 ? formatCount(value) + " " + units[0] : String.format(Locale.ROOT, "%.2f %s", v, units[k]);
    }

    /** {@code 1,234,567}. */
    public static String formatCount(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A value of a pprof unit. */
    public static String format(long value, String unit) {
        return switch (unit) {
            case "bytes" -> formatBytes(value);
            case "nanoseconds" -> formatNanos(value);
            case "count", "" -> formatCount(value);
            default -> formatCount(value) + " " + unit;
        };
    }

    /** A relative URL for a '/'-separated path: every segment percent-encoded as UTF-8, but for unreserved characters. */
    public static String href(String path) {
        StringBuilder b = new StringBuilder();
        for (byte x : path.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "-._~/()$!,;=@".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c));
            }
        }
        // a first segment with ':' would read as a scheme; ':' is encoded above, and so is nothing else needed
        return b.toString();
    }

    private static String text(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        b.append("&#xfffd;");
                    } else {
                        b.appendCodePoint(c);
                    }
                }
            }
        });
        return b.toString();
    }

    /** {@code s} escaped for HTML text and attribute values. */
    public static String escape(String s) {
        return text(s);
    }
}
