package dev.jprof.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jprof.format.FlameGraph;
import dev.jprof.format.Pprof;
import dev.jprof.format.internal.RunReport;
import dev.jprof.internal.Json;
import dev.jprof.profile.Frame;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import dev.jprof.profile.Sample;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code index.html} and the run's {@code summary.json} hold, from summaries written by hand. */
class RunReportContentTest {

    private static final String RUN = "100@2026-05-01T10:00:00Z";
    private static final String EARLIER_RUN = "99@2026-04-30T09:00:00Z";

    @TempDir
    Path out;

    @SuppressWarnings("unchecked")
    private Map<String, Object> runSummary() throws IOException {
        return (Map<String, Object>) Json.parse(Files.readString(out.resolve(RunReport.SUMMARY)));
    }

    private String index() throws IOException {
        return Files.readString(out.resolve(RunReport.INDEX));
    }

    /** The rows of the table of tests (not those of earlier runs or of the suite). */
    private static List<String> testRows(String html) {
        int start = html.indexOf("<table id=\"tests\">");
        int end = html.indexOf("</table>", start);
        List<String> rows = new ArrayList<>();
        Matcher m = Pattern.compile("<tr class=\"[^\"]*\">(.*?)</tr>").matcher(html.substring(start, end));
        while (m.find()) {
            rows.add(m.group(1));
        }
        return rows;
    }

    private static List<String> hrefs(String html) {
        List<String> hrefs = new ArrayList<>();
        Matcher m = Pattern.compile("href=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            hrefs.add(m.group(1));
        }
        return hrefs;
    }

    @Test
    @SuppressWarnings("unchecked")
    void onlyThisRunsTestsAreShownAndEarlierOnesAreCountedAndListedApart() throws IOException {
        Summaries.write(out, Summaries.test(RUN, "com.acme.ATest", "now()"));
        Summaries.write(out, Summaries.test(RUN, "com.acme.BTest", "alsoNow()"));
        Summaries.write(out, Summaries.test(EARLIER_RUN, "com.acme.OldTest", "renamedSince()"));
        Summaries.write(out, Summaries.test(null, "com.acme.LegacyTest", "beforeRunsExisted()"));

        String console = RunReport.write(out, RUN);

        assertThat(console).endsWith(" — 2 profiled tests, 0 failed; 2 summaries of earlier runs left out");
        Map<String, Object> run = runSummary();
        assertThat(run).containsEntry("run", RUN).containsEntry("tests", 2L).containsEntry("earlierRuns", 2L);
        assertThat((List<Map<String, Object>>) run.get("results"))
                .extracting(r -> r.get("test"))
                .containsExactly("now()", "alsoNow()");
        String html = index();
        assertThat(testRows(html))
                .hasSize(2)
                .noneMatch(r -> r.contains("renamedSince") || r.contains("beforeRunsExisted"));
        int earlier = html.indexOf("<details id=\"earlier\">");
        assertThat(earlier).as("collapsed section of earlier runs").isPositive();
        assertThat(html.substring(earlier))
                .contains("2 summaries of earlier runs left out", "renamedSince()", "beforeRunsExisted()");
        assertThat(html).contains("2 profiled tests, 0 failed; 2 summaries of earlier runs left out");

        // the earlier run's own report shows its test only
        assertThat(RunReport.write(out, EARLIER_RUN))
                .endsWith(" — 1 profiled test, 0 failed; 3 summaries of earlier runs left out");
    }

    @Test
    @SuppressWarnings("unchecked")
    void benchmarksBelowTheOutputDirectoryAreListedWithTheirFiles() throws IOException {
        Summaries.write(out, Summaries.test(RUN, "com.acme.ATest", "now()"));
        Summaries.benchmark(
                out, RUN, "jmh/com.acme.ParserBench.parse/size=1000,mode=avgt", "com.acme.ParserBench.parse");
        Summaries.benchmark(out, EARLIER_RUN, "jmh/com.acme.OldBench.gone", "com.acme.OldBench.gone");

        assertThat(RunReport.write(out, RUN))
                .endsWith(" — 1 profiled test, 0 failed, 1 JMH benchmark; 1 summary of earlier runs left out");

        Map<String, Object> run = runSummary();
        assertThat(run).containsEntry("tests", 1L).containsEntry("earlierRuns", 1L);
        assertThat((List<Map<String, Object>>) run.get("results"))
                .singleElement()
                .satisfies(t -> assertThat(t).containsEntry("test", "now()"));
        assertThat((List<Map<String, Object>>) run.get("benchmarks"))
                .singleElement()
                .satisfies(b -> assertThat(b)
                        .containsEntry("benchmark", "com.acme.ParserBench.parse")
                        .containsEntry("folder", "jmh/com.acme.ParserBench.parse/size=1000,mode=avgt"));

        String html = index();
        assertThat(testRows(html)).hasSize(1);
        String section = html.substring(
                html.indexOf("<section id=\"benchmarks\">"), html.indexOf("</section>", html.indexOf("<h2>JMH")));
        assertThat(section)
                .contains("<td>com.acme.ParserBench.parse</td><td>size=1000</td><td>avgt</td><td>1234.5 ns/op</td>"
                        + "<td>2</td><td>56 B/op</td>")
                .doesNotContain("OldBench");
        assertThat(hrefs(section))
                .containsExactly(
                        "jmh/com.acme.ParserBench.parse/size=1000,mode=avgt/cpu.html",
                        "jmh/com.acme.ParserBench.parse/size=1000,mode=avgt/cpu.pb.gz",
                        "jmh/com.acme.ParserBench.parse/size=1000,mode=avgt/cpu.fork-1.pb.gz",
                        "jmh/com.acme.ParserBench.parse/size=1000,mode=avgt/cpu.fork-2.pb.gz",
                        "jmh/com.acme.ParserBench.parse/size=1000,mode=avgt/summary.json");
        java.net.URI base = out.resolve("index.html").toUri();
        for (String href : hrefs(html)) {
            assertThat(Path.of(base.resolve(href))).as(href).isRegularFile();
        }
        assertThat(html.substring(html.indexOf("<details id=\"earlier\">")))
                .contains("<td>com.acme.OldBench.gone</td><td>JMH benchmark</td>");
    }

    @Test
    void anUnreadableSummaryIsNamedInTheConsoleLineAndTheOthersAreShown() throws IOException {
        Summaries.write(out, Summaries.test(RUN, "com.acme.ATest", "now()"));
        Path broken = out.resolve("com.acme.BrokenTest/cut()").resolve(TestSummary.FILE);
        Files.createDirectories(broken.getParent());
        Files.writeString(broken, "{\"schema\": \"" + TestSummary.SCHEMA + "\", \"run\": ");

        String console = RunReport.write(out, RUN);

        assertThat(console)
                .contains(" — 1 profiled test, 0 failed")
                .contains(
                        "; left out 1 unreadable test summary: [com.acme.BrokenTest/cut()/" + TestSummary.FILE + "] (");
        assertThat(testRows(index())).hasSize(1);
    }

    @Test
    void everySummaryOfThisRunWritesTheRunOfItsJvm() throws IOException, ReflectiveOperationException {
        Path dir = out.resolve("com.acme.T/t()");
        Files.createDirectories(dir);
        dev.jprof.capture.CaptureResult result =
                new dev.jprof.capture.CaptureResult(Map.of(), "test", java.time.Duration.ofMillis(5));
        java.lang.reflect.Method method = getClass().getDeclaredMethod("everySummaryOfThisRunWritesTheRunOfItsJvm");
        TestId test = new TestId(getClass(), method, "[engine:x]", "t()", dir);
        TestSummary.write(
                out,
                test,
                new dev.jprof.capture.internal.Recorder.Result(result, null, null, Map.of(), 0),
                List.of(),
                null,
                null,
                3_000_000,
                Map.of());

        assertThat(Json.parse(Files.readString(dir.resolve(TestSummary.FILE))))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("run", RunReport.currentRun())
                .containsEntry("durationNanos", 3_000_000L)
                .containsEntry("windowNanos", 5_000_000L);
        assertThat(RunReport.write(out)).contains(" 1 profiled test, 0 failed").doesNotContain("earlier runs");
    }

    /**
     * Surefire starts each fork through {@code /bin/sh -c}; the run is the nearest JVM above, so two
     * forks of one invocation share it, and a JVM started directly shares it too.
     */
    @Test
    void forksStartedThroughAShellShareTheRunOfTheJvmThatStartedThem() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh to start forks as Surefire does");
        ProcessHandle self = ProcessHandle.current();
        Instant start = self.info().startInstant().orElse(null);
        assumeTrue(start != null, "this platform does not tell a process's start time");
        String expected = self.pid() + "@" + start;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("java.class.path");

        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            runs.add(childRun(List.of(
                    "/bin/sh", "-c", "\"$0\" -cp \"$1\" \"$2\" && true", java, classpath, PrintRun.class.getName())));
        }
        runs.add(childRun(List.of(java, "-cp", classpath, PrintRun.class.getName())));

        assertThat(runs).containsOnly(expected);
    }

    /** Prints {@link RunReport#currentRun()}, for {@link #forksStartedThroughAShellShareTheRunOfTheJvmThatStartedThem}. */
    static final class PrintRun {
        public static void main(String[] args) {
            System.out.print(RunReport.currentRun());
        }
    }

    private static String childRun(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return output.strip();
    }

    @Test
    void theProcessTreeRootIsItsOwnRun() {
        ProcessHandle root = ProcessHandle.current();
        while (root.parent().isPresent()) {
            root = root.parent().get();
        }
        String run = RunReport.runOf(root);
        assertThat(run).startsWith(root.pid() + "@");
    }

    @Test
    void everyArtifactIsLinkedFromTheSummaryListOrFromTheFolder() throws IOException {
        Map<String, Object> listed = Summaries.test(RUN, "com.acme.ListedTest", "traced()");
        listed.put(
                "artifacts",
                List.of(
                        "trace.json",
                        "cpu.pb.gz",
                        "cpu.html",
                        "trace.jfr",
                        "block.pb.gz",
                        "block.html",
                        "threads.txt",
                        "threads.pb.gz",
                        "alloc-sites.pb.gz",
                        "alloc-sites.html",
                        "extra.txt",
                        "../escape.txt",
                        "/etc/passwd"));
        Summaries.write(out, listed);
        Map<String, Object> found = Summaries.test(RUN, "com.acme.FoundTest", "blocked()");
        Path foundDir = Summaries.write(out, found).getParent();
        for (String f : List.of(
                "block.pb.gz", "block.html", "threads.txt", "trace.jfr", "alloc-sites.html", "notAnArtifact.bin")) {
            Files.writeString(foundDir.resolve(f), "x");
        }

        RunReport.write(out, RUN);

        List<String> rows = testRows(index());
        assertThat(hrefs(rows.get(0)))
                .as("found in the folder, known ones only")
                .containsExactly(
                        "com.acme.FoundTest/blocked()/block.html", "com.acme.FoundTest/blocked()/block.pb.gz",
                        "com.acme.FoundTest/blocked()/alloc-sites.html", "com.acme.FoundTest/blocked()/trace.jfr",
                        "com.acme.FoundTest/blocked()/threads.txt", "com.acme.FoundTest/blocked()/summary.json");
        assertThat(hrefs(rows.get(1)))
                .as("as listed, known ones first, nothing outside the folder")
                .containsExactly(
                        "com.acme.ListedTest/traced()/cpu.html", "com.acme.ListedTest/traced()/cpu.pb.gz",
                        "com.acme.ListedTest/traced()/block.html", "com.acme.ListedTest/traced()/block.pb.gz",
                        "com.acme.ListedTest/traced()/alloc-sites.html",
                                "com.acme.ListedTest/traced()/alloc-sites.pb.gz",
                        "com.acme.ListedTest/traced()/trace.json", "com.acme.ListedTest/traced()/trace.jfr",
                        "com.acme.ListedTest/traced()/threads.txt", "com.acme.ListedTest/traced()/threads.pb.gz",
                        "com.acme.ListedTest/traced()/extra.txt", "com.acme.ListedTest/traced()/summary.json");
        assertThat(rows.get(1)).contains(">block flame graph</a>", ">trace.json</a>", ">threads.txt</a>");
    }

    @Test
    void barsSplitTheTestsThreadsFromTheJvmsAndFiguresHaveUnits() throws IOException {
        Map<String, Object> slow = Summaries.test(RUN, "com.acme.A", "slow()");
        slow.put("durationNanos", 40_000_000L);
        Summaries.profile(slow, "cpu", "nanoseconds", 30_000_000L, 10_000_000L, "com.acme.A.spin");
        Summaries.profile(slow, "alloc", "bytes", 3L << 20, 1L << 20, "com.acme.A.alloc");
        slow.put("allocations", Map.of("bytes", 3L << 20, "objects", 1234L, "sampled", true));
        Summaries.write(out, slow);
        Map<String, Object> exact = Summaries.test(RUN, "com.acme.B", "exact()");
        exact.put("durationNanos", 10_000_000L);
        exact.put("allocations", Map.of("bytes", 1536L, "objects", 12L, "exact", true));
        Summaries.write(out, exact);
        Map<String, Object> none = Summaries.test(RUN, "com.acme.C", "allocatesNothing()");
        none.put("durationNanos", 999L);
        none.put("windowNanos", 2_000_000L);
        none.put("allocations", Map.of("bytes", 0L, "objects", 0L, "exact", true));
        Summaries.write(out, none);

        RunReport.write(out, RUN);

        List<String> rows = testRows(index());
        // the test's own time is shown, sorted by and drawn; the capture window only in the title
        assertThat(rows)
                .anySatisfy(r -> assertThat(r)
                        .contains("<td class=\"num\" data-sort=\"999\" title=\"999 ns; capture window 2.00 ms\">")
                        .contains("</span>999 ns</td>"));
        // the longest test has the full bar: 30 ms of cpu on its threads, 10 ms on the JVM's
        assertThat(rows.get(0))
                .contains(
                        "<td class=\"num\" data-sort=\"40000000\" title=\"40.00 ms; cpu: 30.00 ms on the test&#39;s threads,"
                                + " 10.00 ms on JVM threads (25.00%)\"><span class=\"bar\"><i class=\"own\" style=\"width:75.00%\"></i>"
                                + "<i class=\"jvm\" style=\"width:25.00%\"></i></span>40.00 ms</td>");
        // 3 MiB of the test's and 1 MiB of the JVM's make the largest allocation bar
        assertThat(rows.get(0))
                .contains(
                        "<span class=\"bar\"><i class=\"own\" style=\"width:75.00%\"></i>"
                                + "<i class=\"jvm\" style=\"width:25.00%\"></i></span>3.00 MiB, 1,234 objects (sampled) + 1.00 MiB JVM</td>");
        assertThat(rows.get(1))
                .contains("<span class=\"bar\"><i class=\"own\" style=\"width:25.00%\"></i></span>10.00 ms</td>")
                .contains("data-sort=\"1536\"", "1.50 KiB, 12 objects (exact)</td>");
        assertThat(rows.get(2))
                .contains("999 ns</td>", "0 B, 0 objects (exact)</td>")
                .doesNotContain("(sampled)");
    }

    @Test
    void figuresUseTheFlameGraphsUnits() throws IOException {
        assertThat(RunReport.formatBytes(0)).isEqualTo("0 B");
        assertThat(RunReport.formatBytes(1023)).isEqualTo("1,023 B");
        assertThat(RunReport.formatBytes(1536)).isEqualTo("1.50 KiB");
        assertThat(RunReport.formatBytes(8_409_088)).isEqualTo("8.02 MiB");
        assertThat(RunReport.formatBytes(3L << 30)).isEqualTo("3.00 GiB");
        assertThat(RunReport.formatNanos(0)).isEqualTo("0 ns");
        assertThat(RunReport.formatNanos(1_500)).isEqualTo("1.50 µs");
        assertThat(RunReport.formatNanos(1_250_000_000L)).isEqualTo("1.25 s");
        String flameGraph;
        try (InputStream in = FlameGraph.class.getResourceAsStream("internal/flamegraph.html")) {
            flameGraph = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher bytes = Pattern.compile("var BYTES = \\[(.*?)\\];").matcher(flameGraph);
        assertThat(bytes.find()).as("the flame graph's byte units").isTrue();
        List<String> units = Pattern.compile("'(\\w+)'")
                .matcher(bytes.group(1))
                .results()
                .map(r -> r.group(1))
                .toList();
        assertThat(units).containsExactly("B", "KiB", "MiB", "GiB", "TiB");
        for (int i = 1; i < units.size(); i++) {
            assertThat(RunReport.formatBytes(1L << (10 * i))).endsWith(" " + units.get(i));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void acrossTheSuiteListsTheTopFunctionsWithTheNumberOfTestsTheyAppearIn() throws IOException {
        Summaries.write(out, Summaries.test(RUN, "com.acme.ParserTest", "parses()"));
        Profile.Builder b = Profile.builder(ProfileKind.CPU);
        // Json.parse is hot in three tests, a little at a time; Parser.parse is the hottest but in one test only
        sample(b, 40, "com.acme.ParserTest › parses()", "Main.run", "Parser.parse");
        sample(b, 10, "com.acme.ParserTest › parses()", "Main.run", "Json.parse");
        sample(b, 10, "com.acme.JsonTest › reads()", "Main.run", "Json.parse");
        sample(b, 10, "com.acme.JsonTest › writes()", "Main.run", "Helper.call", "Json.parse");
        sample(b, 30, null, "Main.run", "Unlabelled.work");
        // the JIT, hotter than any of it: in the file and its total, not in the tables
        b.addSample(
                List.of(Frame.of("PhaseChaitin::Split"), Frame.of("C2Compiler::compile_method")),
                new long[] {50, 50_000_000L},
                Map.of(Sample.THREAD_LABEL, "C2 CompilerThread0"));
        Profile suite = b.build();
        Pprof.write(suite, out.resolve("suite/cpu.pb.gz"));
        FlameGraph.write(suite, out.resolve("suite/cpu.html"));
        Files.createDirectories(out.resolve("suite"));
        Files.writeString(out.resolve("suite/wall.pb.gz"), "not a profile");

        RunReport.write(out, RUN);

        Map<String, Object> suiteJson = (Map<String, Object>) runSummary().get("suite");
        assertThat(suiteJson).containsOnlyKeys("cpu", "wall");
        Map<String, Object> cpu = (Map<String, Object>) suiteJson.get("cpu");
        assertThat(cpu)
                .containsEntry("pprof", "suite/cpu.pb.gz")
                .containsEntry("flameGraph", "suite/cpu.html")
                .containsEntry("tests", 3L)
                .containsEntry("total", 150_000_000L)
                .containsEntry("jvm", 50_000_000L);
        List<Map<String, Object>> top = (List<Map<String, Object>>) cpu.get("top");
        assertThat(top)
                .extracting(r -> r.get("function"), r -> r.get("flat"), r -> r.get("tests"))
                .startsWith(
                        org.assertj.core.groups.Tuple.tuple("Parser.parse", 40_000_000L, 1L),
                        org.assertj.core.groups.Tuple.tuple("Json.parse", 30_000_000L, 3L),
                        org.assertj.core.groups.Tuple.tuple("Unlabelled.work", 30_000_000L, 0L));
        assertThat(top).extracting(r -> r.get("function")).doesNotContain("PhaseChaitin::Split");
        List<Map<String, Object>> topCum = (List<Map<String, Object>>) cpu.get("topCum");
        assertThat(topCum.get(0))
                .containsEntry("function", "Main.run")
                .containsEntry("cum", 100_000_000L)
                .containsEntry("tests", 3L);
        assertThat(((Map<String, Object>) suiteJson.get("wall"))).containsKey("error");

        String html = index();
        int section = html.indexOf("<h2>Across the suite</h2>");
        assertThat(section).isPositive();
        String suiteHtml = html.substring(section, html.indexOf("</section>", section));
        assertThat(suiteHtml)
                .contains(
                        "total 150.00 ms in 150 samples from 3 tests;"
                                + " the tables leave out the 50.00 ms of the JVM's own threads (JIT, GC, jprof)",
                        "<tr><td>30.00 ms</td><td>30.00%</td><td>30.00 ms</td><td>30.00%</td><td>3</td><td>Json.parse</td></tr>",
                        "Top 20 by flat",
                        "Top 20 by cum",
                        "could not read it");
        assertThat(hrefs(suiteHtml)).containsExactly("suite/cpu.html", "suite/cpu.pb.gz", "suite/wall.pb.gz");
        URI base = out.resolve(RunReport.INDEX).toUri();
        for (String href : hrefs(suiteHtml)) {
            assertThat(Path.of(base.resolve(href))).as(href).isRegularFile();
        }
    }

    /** {@code n} samples of 1 ms of cpu, labelled with {@code test} unless null. */
    private static void sample(Profile.Builder b, int n, String test, String... rootFirst) {
        List<Frame> stack = new ArrayList<>();
        for (int i = rootFirst.length - 1; i >= 0; i--) {
            stack.add(Frame.of(rootFirst[i]));
        }
        Map<String, String> labels =
                test == null ? Map.of(Sample.THREAD_LABEL, "main") : Map.of(Sample.THREAD_LABEL, "main", "test", test);
        b.addSample(stack, new long[] {n, n * 1_000_000L}, labels);
    }

    @Test
    void noSuiteProfileNoSection() throws IOException {
        Summaries.write(out, Summaries.test(RUN, "com.acme.ATest", "a()"));

        RunReport.write(out, RUN);

        assertThat(index()).doesNotContain("Across the suite");
        assertThat(runSummary()).doesNotContainKey("suite");
    }

    @Test
    void concurrentWritersLeaveAReportWithEveryTest() throws Exception {
        for (int i = 0; i < 20; i++) {
            Summaries.write(out, Summaries.test(RUN, "com.acme.T" + i, "t()"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> writers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Callable<String> write = () -> RunReport.write(out, RUN);
                writers.add(pool.submit(write));
            }
            for (Future<String> f : writers) {
                assertThat(f.get()).contains("20 profiled tests");
            }
        } finally {
            pool.shutdown();
        }
        assertThat(testRows(index())).hasSize(20);
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("no temporary file is left")
                    .allMatch(n -> !n.endsWith(".tmp"));
        }
    }
}
