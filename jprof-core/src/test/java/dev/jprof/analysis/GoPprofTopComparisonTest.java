package dev.jprof.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.jprof.capture.Profiler;
import dev.jprof.capture.Workloads;
import dev.jprof.format.Pprof;
import dev.jprof.profile.Profile;
import dev.jprof.testing.GoPprof;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ProfileAnalysis} against the reference, {@code go tool pprof -top} (and {@code -top -cum},
 * {@code -diff_base}, several files merged), on the same files: every function go prints, with the
 * same flat% and cum% to the two decimals it prints, in the same order. Skipped without {@code go},
 * failed instead on CI.
 */
class GoPprofTopComparisonTest {

    @TempDir
    Path dir;

    @BeforeEach
    void needsGo() {
        GoPprof.requireGo();
    }

    /**
     * Every row, and names as written: go tool pprof would otherwise simplify the C++ names of sampled
     * JVM frames ({@code GrowableArray<long>::grow} to {@code GrowableArray::grow}).
     */
    private static final String[] ALL_ROWS = {
        "-nodecount=1000000", "-nodefraction=0", "-edgefraction=0", "-symbolize=none"
    };

    private static GoPprof.Result pprof(String... args) {
        List<String> all = new ArrayList<>(List.of(ALL_ROWS));
        all.addAll(List.of(args));
        GoPprof.Result r = GoPprof.run(all.toArray(String[]::new));
        assertThat(r.exitCode()).as("%s", r).isZero();
        return r;
    }

    private static double percent(String printed) {
        return Double.parseDouble(printed.substring(0, printed.length() - 1));
    }

    /** Our rows and go's agree on names, order, flat% and cum%. */
    private static void assertSameTop(List<HotFunction> ours, Map<String, GoPprof.TopRow> go, String stdout) {
        assertThat(ours)
                .as("rows of\n%s", stdout)
                .extracting(HotFunction::function)
                .containsExactlyElementsOf(go.keySet());
        for (HotFunction f : ours) {
            GoPprof.TopRow row = go.get(f.function());
            assertThat(f.flatPercent())
                    .as("flat%% of %s in\n%s", f.function(), stdout)
                    .isCloseTo(percent(row.flatPercent()), within(0.0051));
            assertThat(f.cumPercent())
                    .as("cum%% of %s in\n%s", f.function(), stdout)
                    .isCloseTo(percent(row.cumPercent()), within(0.0051));
        }
    }

    private void compare(Profile profile, String name) throws IOException {
        Path file = dir.resolve(name);
        Pprof.write(profile, file);
        compare(file);
    }

    private static void compare(Path file) throws IOException {
        ProfileAnalysis ours = ProfileAnalysis.of(Pprof.read(file));
        GoPprof.Result top = pprof("-top", file.toString());
        assertSameTop(ours.top(), GoPprof.parseTop(top.stdout()), top.stdout());
        GoPprof.Result cum = pprof("-top", "-cum", file.toString());
        assertSameTop(ours.topCum(), GoPprof.parseTop(cum.stdout()), cum.stdout());
    }

    @Test
    void fixtureWithRecursionAndThreads() throws IOException {
        compare(Fixtures.cpu(), "fixture.pb.gz");
    }

    @Test
    void capturedCpuProfile() throws Exception {
        Profile cpu = Profiler.cpu(() -> {
            Workloads.spinCpu(150);
            fibonacci(27);
        });
        assertThat(cpu.samples()).isNotEmpty();
        compare(cpu, "cpu.pb.gz");
    }

    static int fibonacci(int n) {
        return n < 2 ? n : fibonacci(n - 1) + fibonacci(n - 2);
    }

    @Test
    void capturedAllocationProfile() throws Exception {
        // about 160 MB: some 40 samples at the default interval (4 MiB), enough stacks for two tops to compare
        Profile alloc = Profiler.alloc(() -> {
            for (int i = 0; i < 200; i++) {
                Workloads.allocateArrays(10_000, 64);
            }
        });
        assertThat(alloc.samples()).isNotEmpty();
        compare(alloc, "alloc.pb.gz");
    }

    @Test
    void asyncProfilersConverterOutput() throws IOException {
        Path file = dir.resolve("foreign.pb.gz");
        try (InputStream in = getClass().getResourceAsStream("/foreign/async-profiler-converter-cpu.pb.gz")) {
            Files.copy(in, file);
        }
        compare(file);
    }

    @Test
    void focusAndIgnoreAsPprof() throws IOException {
        Path file = dir.resolve("fixture.pb.gz");
        Pprof.write(Fixtures.cpu(), file);
        ProfileAnalysis ours = ProfileAnalysis.of(Fixtures.cpu());
        GoPprof.Result focus = pprof("-top", "-focus=Lexer", "-ignore=regex", file.toString());
        assertSameTop(ours.focus("Lexer").ignore("regex").top(), GoPprof.parseTop(focus.stdout()), focus.stdout());
        // our thread filter makes those threads the whole: pprof's -relative_percentages
        GoPprof.Result threads = pprof("-top", "-relative_percentages", "-tagfocus=thread=worker-1", file.toString());
        assertSameTop(ours.threads("^worker-1$").top(), GoPprof.parseTop(threads.stdout()), threads.stdout());
    }

    @Test
    void mergeAsPprofWithSeveralFiles() throws Exception {
        Profile a = Fixtures.cpu();
        Profile b = Profiler.cpu(() -> Workloads.spinCpu(100));
        Path fa = dir.resolve("a.pb.gz");
        Path fb = dir.resolve("b.pb.gz");
        Pprof.write(a, fa);
        Pprof.write(b, fb);
        GoPprof.Result top = pprof("-top", fa.toString(), fb.toString());
        assertSameTop(ProfileAnalysis.of(Profiles.merge(a, b)).top(), GoPprof.parseTop(top.stdout()), top.stdout());
    }

    @Test
    void diffAsPprofDiffBase() throws IOException {
        Profile base = Fixtures.cpu();
        Profile.Builder b = base.toBuilder();
        Fixtures.add(
                b,
                30,
                "main",
                b.frame("com.acme.Lexer.lex", "Lexer.java", 5),
                b.frame("com.acme.Main.main", "Main.java", 3));
        Profile current = b.build();
        Path fBase = dir.resolve("base.pb.gz");
        Path fCurrent = dir.resolve("current.pb.gz");
        Pprof.write(base, fBase);
        Pprof.write(current, fCurrent);
        GoPprof.Result top = pprof("-top", "-diff_base=" + fBase, fCurrent.toString());
        Map<String, GoPprof.TopRow> go = GoPprof.parseTop(top.stdout());
        ProfileDiff diff = ProfileDiff.of(ProfileAnalysis.of(base), ProfileAnalysis.of(current));
        List<ProfileDiff.Change> changed = diff.changes().stream()
                .filter(c -> c.flatDelta() != 0 || c.cumDelta() != 0)
                .toList();
        assertThat(changed)
                .as(top.stdout())
                .extracting(ProfileDiff.Change::function)
                .containsExactlyElementsOf(go.keySet());
        for (ProfileDiff.Change c : changed) {
            GoPprof.TopRow row = go.get(c.function());
            assertThat(diff.percentOfBase(c.flatDelta()))
                    .as(c.function())
                    .isCloseTo(percent(row.flatPercent()), within(0.0051));
            assertThat(diff.percentOfBase(c.cumDelta()))
                    .as(c.function())
                    .isCloseTo(percent(row.cumPercent()), within(0.0051));
        }
    }
}
