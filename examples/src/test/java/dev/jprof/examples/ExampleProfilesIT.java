package dev.jprof.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.testing.Chromium;
import dev.jprof.testing.GoPprof;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs after the example tests (Failsafe's integration-test phase) and opens the profiles they left
 * in {@code target/jprof/} with the tools a user would: {@code go tool pprof} and a browser.
 */
class ExampleProfilesIT {

    private static final Path OUT = Path.of(System.getenv().getOrDefault("JPROF_EXAMPLES_OUTPUT", "target/jprof"));

    /** The frames async-profiler puts where a stack walk broke off (its {@code BCI_ERROR} frames). */
    private static final String ASYNC_PROFILER_ERROR_FRAME =
            "^\\[?(break_[a-z_]+|unknown_Java|not_walkable_Java|unknown_not_Java|not_walkable_not_Java|unknown_nmethod)\\]?$";

    private static Path artifact(Class<?> test, String method, String file) {
        Path p = OUT.resolve(test.getName()).resolve(method + "()").resolve(file);
        assertThat(p).as("written by %s.%s", test.getSimpleName(), method).isRegularFile();
        return p;
    }

    /** Runs {@code go tool pprof <args> -top <file>}: no warnings, the rows by function. */
    private static Map<String, GoPprof.TopRow> top(Path file, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(args));
        command.add("-top");
        command.add(file.toString());
        GoPprof.Result r = GoPprof.run(command.toArray(String[]::new));
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stderr()).as("go tool pprof warnings").isBlank();
        return GoPprof.parseTop(r.stdout());
    }

    private static double percent(String p) {
        return Double.parseDouble(p.replace("%", ""));
    }

    private static double cum(Map<String, GoPprof.TopRow> rows, String function) {
        assertThat(rows).as("functions in the profile").containsKey(function);
        return percent(rows.get(function).cumPercent());
    }

    @Test
    void cpuProfileShowsTheParserAndTheRegexItSpendsItsTimeIn() {
        Path cpu = artifact(AccessLogParserTest.class, "parsesAnHourOfTraffic", "cpu.pb.gz");
        Map<String, GoPprof.TopRow> rows = top(cpu, "-cum");
        assertThat(cum(rows, "dev.jprof.examples.AccessLogParser.parseLine")).isGreaterThan(25);
        // flat: the hottest Java code is the parser's work: the parser itself, the regex engine it drives,
        // or what the engine calls (String.charAt), depending on what the JIT inlined and where the samples
        // fell. Whichever it is, (nearly) all its samples are in the parser: its own frame or under one.
        String hottestJava = top(cpu).keySet().stream()
                .filter(f -> f.startsWith("java.") || f.startsWith("dev."))
                .findFirst()
                .orElseThrow();
        dev.jprof.profile.Profile profile;
        try {
            profile = dev.jprof.format.Pprof.read(cpu);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String leaf = "^" + java.util.regex.Pattern.quote(hottestJava) + "$";
        // A sample whose stack async-profiler could not walk to the thread's start ends in one of its error
        // frames (break_stack_range, unknown_Java, ...): it cannot say whose work it was, so it counts on
        // neither side. A sample of other work (another test's, a JVM thread's) has a whole stack.
        dev.jprof.analysis.ProfileAnalysis walked =
                dev.jprof.analysis.ProfileAnalysis.of(profile).ignore(ASYNC_PROFILER_ERROR_FRAME);
        long flat = walked.flat(leaf);
        long parsing =
                walked.focus("^dev\\.jprof\\.examples\\.AccessLogParser\\.").flat(leaf);
        assertThat(flat).as("flat CPU of %s", hottestJava).isPositive();
        assertThat(parsing)
                .as("flat CPU of %s in AccessLogParser's frames, of %d", hottestJava, flat)
                .isGreaterThanOrEqualTo(flat * 9 / 10);
    }

    @Test
    void wallProfileShowsTheTimeSpentWaitingOnTheBackend() {
        Path wallFile = artifact(RouterTest.class, "servesUsersFromTheBackend", "wall.pb.gz");
        // go tool pprof reads the file and sees the round trips on the test thread
        Map<String, GoPprof.TopRow> rows = top(wallFile, "-cum", "-tagfocus=thread=^main$");
        assertThat(rows).as("functions on the test thread").containsKey("dev.jprof.examples.UserBackend.fetchUser");
        // the test thread's wall time is mostly that wait: a sampled share, decided at 3 standard errors
        // on the test's ~120 samples (150 round trips of 3 ms at 5 ms per sample), not a raw figure
        dev.jprof.profile.Profile wall;
        dev.jprof.profile.Profile cpu;
        try {
            wall = dev.jprof.format.Pprof.read(wallFile);
            cpu = dev.jprof.format.Pprof.read(artifact(RouterTest.class, "servesUsersFromTheBackend", "cpu.pb.gz"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        dev.jprof.assertj.JprofAssertions.assertThat(wall)
                .onThreads("^main$")
                .hasCumShareAbove("UserBackend\\.fetchUser", 50);
        // the CPU profile of the same test hardly sees it: of the ~450 ms the test spends in fetchUser
        // (150 calls of a 3 ms round trip), very little is CPU time
        long fetchCpuNanos = cpu.samples().stream()
                .filter(s -> s.stack().stream()
                        .anyMatch(f -> f.function().equals("dev.jprof.examples.UserBackend.fetchUser")))
                .mapToLong(s -> s.value(1))
                .sum();
        assertThat(fetchCpuNanos).as("CPU time in fetchUser").isLessThan(50_000_000L);
    }

    @Test
    void allocationProfileShowsWhereTheReportAllocates() {
        Path alloc = artifact(TrafficReportTest.class, "aggregatesPerRoute", "alloc.pb.gz");
        Map<String, GoPprof.TopRow> space = top(alloc, "-sample_index=alloc_space", "-cum");
        assertThat(cum(space, "dev.jprof.examples.TrafficReport.record")).isGreaterThan(50);
        Map<String, GoPprof.TopRow> objects = top(alloc, "-sample_index=alloc_objects", "-cum");
        assertThat(cum(objects, "dev.jprof.examples.TrafficReport.record")).isGreaterThan(50);
    }

    @Test
    void lockProfileShowsTheContendedCache() {
        Map<String, GoPprof.TopRow> rows = top(artifact(LruCacheTest.class, "sharedCacheUnderLoad", "lock.pb.gz"));
        assertThat(rows.keySet().iterator().next()).isEqualTo("dev.jprof.examples.LruCache.get");
        assertThat(percent(rows.get("dev.jprof.examples.LruCache.get").flatPercent()))
                .isGreaterThan(80);
    }

    @Test
    void flameGraphRendersTheHotMethodInABrowser() {
        Path html = artifact(AccessLogParserTest.class, "parsesAnHourOfTraffic", "cpu.html");
        String dom = Chromium.require().dumpDom(html);
        // rendered by the page's script into a frame element as wide as its share, coloured as user code
        java.util.regex.Matcher frame = java.util.regex.Pattern.compile(
                        "<div class=\"f (\\w+)\" data-i=\"\\d+\" data-fn=\"dev\\.jprof\\.examples\\.AccessLogParser\\.parseLine\""
                                + " style=\"[^\"]*width: ([\\d.]+)%")
                .matcher(dom);
        assertThat(frame.find())
                .as("a rendered frame for AccessLogParser.parseLine")
                .isTrue();
        assertThat(frame.group(1)).isEqualTo("user");
        assertThat(Double.parseDouble(frame.group(2))).isGreaterThan(20);
    }
}
