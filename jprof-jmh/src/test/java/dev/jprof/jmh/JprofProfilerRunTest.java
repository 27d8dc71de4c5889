package dev.jprof.jmh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.jprof.format.Pprof;
import dev.jprof.internal.Json;
import dev.jprof.jmh.fixtures.AllocBench;
import dev.jprof.jmh.fixtures.PhaseBench;
import dev.jprof.profile.Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Real, tiny JMH runs. They check only what load cannot change: which samples are there, their fork
 * labels, and allocation (exact whatever the speed).
 */
class JprofProfilerRunTest {

    @TempDir
    Path out;

    private static ChainedOptionsBuilder tiny(String benchmarks) {
        return new OptionsBuilder()
                .include(benchmarks)
                .warmupIterations(1)
                .warmupTime(TimeValue.milliseconds(100))
                .measurementIterations(2)
                .measurementTime(TimeValue.milliseconds(150))
                .shouldFailOnError(true)
                .jvmArgsAppend("-Xmx256m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED");
    }

    @Test
    void twoForksLeaveTheirMeasurementSamplesMergedAndNoWarmUpSamples() throws Exception {
        Collection<RunResult> results = new Runner(tiny(PhaseBench.class.getName())
                        .forks(2)
                        .addProfiler(JprofProfiler.class, "events=cpu;dir=" + out)
                        .build())
                .run();

        Path dir = out.resolve(PhaseBench.class.getName() + ".work");
        assertThat(dir.resolve("cpu.fork-1.pb.gz")).isRegularFile();
        assertThat(dir.resolve("cpu.fork-2.pb.gz")).isRegularFile();
        assertThat(dir.resolve("cpu.html")).isRegularFile();
        assertThat(dir.resolve("summary.json")).isRegularFile();
        Profile fork1 = Pprof.read(dir.resolve("cpu.fork-1.pb.gz"));
        Profile fork2 = Pprof.read(dir.resolve("cpu.fork-2.pb.gz"));
        Profile merged = Pprof.read(dir.resolve("cpu.pb.gz"));

        assertThat(labels(fork1, "fork")).containsExactly("1");
        assertThat(labels(fork2, "fork")).containsExactly("2");
        assertThat(merged.samples())
                .hasSize(fork1.samples().size() + fork2.samples().size());
        assertThat(labels(merged, "fork")).containsExactly("1", "2");
        assertThat(labels(merged, "iteration")).containsExactly("1", "2");
        for (Profile fork : new Profile[] {fork1, fork2}) {
            assertThat(samplesIn(fork, "dev.jprof.jmh.fixtures.PhaseBench.measuredOnly"))
                    .as("measured samples of each fork")
                    .isGreaterThan(0);
        }
        assertThat(samplesIn(merged, "dev.jprof.jmh.fixtures.PhaseBench.warmupOnly"))
                .as("warm-up samples")
                .isZero();
        // the README's command: pprof reads fork=2 as a number, which matches only a numeric label
        if (dev.jprof.testing.GoPprof.findGo().isPresent() || "true".equals(System.getenv("CI"))) {
            dev.jprof.testing.GoPprof.Result all = dev.jprof.testing.GoPprof.run(
                    "-raw", dir.resolve("cpu.pb.gz").toString());
            dev.jprof.testing.GoPprof.Result second = dev.jprof.testing.GoPprof.run(
                    "-raw", "-tagfocus", "fork=2", dir.resolve("cpu.pb.gz").toString());
            assertThat(second.exitCode()).as("%s", second).isZero();
            assertThat(all.stdout()).contains("fork:[1]").contains("fork:[2]");
            assertThat(second.stdout())
                    .as("samples of fork 2 only")
                    .contains("fork:[2]")
                    .doesNotContain("fork:[1]");
        }

        benchmarkIsInTheRunReport(dir);

        RunResult run = results.iterator().next();
        Map<String, Result> secondary = run.getAggregatedResult().getSecondaryResults();
        assertThat(secondary).containsKeys(JprofProfiler.ALLOC_NORM, JprofProfiler.OBJECTS_NORM, JprofProfiler.HOT);
        assertThat(secondary.get(JprofProfiler.OBJECTS_NORM).getScore())
                .as("objects not counted")
                .isNaN();
        assertThat(secondary.get(JprofProfiler.HOT).extendedInfo())
                .contains("Hot functions (cpu")
                .contains("from 2 forks")
                .contains("dev.jprof.jmh.fixtures.PhaseBench.burn");
    }

    /**
     * The profiler writes the same run report as JUnit's ({@code RunReport}) in its folder: the benchmark's
     * summary lists its files and this run, the report's {@code summary.json} holds it, and {@code index.html}
     * lists it with links to every file, each of which resolves.
     */
    @SuppressWarnings("unchecked")
    private void benchmarkIsInTheRunReport(Path dir) throws Exception {
        Map<String, Object> summary = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("summary.json")));
        assertThat(summary)
                .containsEntry("schema", "jprof.jmh-summary/1")
                .containsEntry("benchmark", PhaseBench.class.getName() + ".work")
                .containsEntry("forks", 2L)
                .containsKeys("run", "finishedAt", "pid");
        assertThat((java.util.List<Object>) summary.get("artifacts"))
                .containsExactly("cpu.html", "cpu.pb.gz", "cpu.fork-1.pb.gz", "cpu.fork-2.pb.gz");

        Map<String, Object> run = (Map<String, Object>) Json.parse(Files.readString(out.resolve("summary.json")));
        assertThat(run).containsEntry("schema", "jprof.run-summary/1").containsEntry("tests", 0L);
        assertThat((java.util.List<Map<String, Object>>) run.get("benchmarks"))
                .singleElement()
                .satisfies(b -> assertThat(b)
                        .containsEntry("benchmark", PhaseBench.class.getName() + ".work")
                        .containsEntry("folder", PhaseBench.class.getName() + ".work")
                        .containsEntry("run", summary.get("run")));

        String html = Files.readString(out.resolve("index.html"));
        assertThat(html)
                .contains("<h2>JMH benchmarks</h2>")
                .contains("<td>" + PhaseBench.class.getName() + ".work</td>")
                .contains("0 profiled tests, 0 failed, 1 JMH benchmark");
        java.util.List<String> hrefs = new java.util.ArrayList<>();
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("href=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            hrefs.add(m.group(1));
        }
        String folder = PhaseBench.class.getName() + ".work/";
        assertThat(hrefs)
                .containsExactly(
                        folder + "cpu.html",
                        folder + "cpu.pb.gz",
                        folder + "cpu.fork-1.pb.gz",
                        folder + "cpu.fork-2.pb.gz",
                        folder + "summary.json");
        java.net.URI base = out.resolve("index.html").toUri();
        for (String href : hrefs) {
            assertThat(Path.of(base.resolve(href))).as(href).isRegularFile();
        }
    }

    /**
     * JMH calls {@code afterTrial} after warm-up forks ({@code -wf}) too; their iterations are thrown away,
     * so they must not count in the summary or in "from N forks". One warm-up fork and one measured fork:
     * before the fix, the summary said 2 forks and its means included the warm-up fork's figures.
     */
    @Test
    void warmUpForksAreNeitherProfiledNorCounted() throws Exception {
        Collection<RunResult> results = new Runner(tiny(PhaseBench.class.getName())
                        .warmupForks(1)
                        .forks(1)
                        .addProfiler(JprofProfiler.class, "events=cpu;dir=" + out)
                        .build())
                .run();

        Path dir = out.resolve(PhaseBench.class.getName() + ".work");
        Map<?, ?> summary = (Map<?, ?>) Json.parse(Files.readString(dir.resolve("summary.json")));
        assertThat(summary.get("schema"))
                .isEqualTo(JprofProfiler.SUMMARY_SCHEMA)
                .isEqualTo("jprof.jmh-summary/1");
        assertThat(summary.get("forks")).as("measured forks only").isEqualTo(1L);
        RunResult run = results.iterator().next();
        assertThat(((Number) summary.get("score")).doubleValue())
                .as("the measured fork's score, not a mean with the warm-up fork")
                .isCloseTo(run.getPrimaryResult().getScore(), withinPercentage(0.001));
        assertThat(dir.resolve("cpu.fork-1.pb.gz")).isRegularFile();
        assertThat(dir.resolve("cpu.fork-2.pb.gz")).doesNotExist();
        assertThat(labels(Pprof.read(dir.resolve("cpu.pb.gz")), "fork")).containsExactly("1");
        assertThat(run.getAggregatedResult()
                        .getSecondaryResults()
                        .get(JprofProfiler.HOT)
                        .extendedInfo())
                .contains("from 1 fork)")
                .doesNotContain("from 2 forks");
    }

    /**
     * Both figures read the same JVM counter (bytes allocated by all threads) around an iteration and
     * divide by the same operation count; jprof's window encloses the GC profiler's (profilers start in
     * order and stop in reverse), so they differ only by what the GC profiler allocates taking its
     * snapshots, a few hundred bytes over millions of operations. Tolerance 0.05 B/op: 100x that
     * difference even if a loaded machine ran 100x fewer operations, and far below 8 B, the smallest
     * allocation a regression can add to every operation.
     */
    @Test
    void allocationPerOpIsExactAndAgreesWithJmhsGcProfiler() throws Exception {
        Map<String, Map<String, Double>> figures = figures(new Runner(tiny(AllocBench.class.getName())
                        .forks(1)
                        .addProfiler(JprofProfiler.class, "events=none;dir=" + out)
                        .addProfiler("gc")
                        .build())
                .run());
        System.out.println("jprof.alloc.norm vs gc.alloc.rate.norm: " + figures);

        assertThat(figures.get("bytes64").get(JprofProfiler.ALLOC_NORM)).isCloseTo(80, offset(0.1));
        assertThat(figures.get("pair").get(JprofProfiler.ALLOC_NORM)).isCloseTo(56, offset(0.1));
        assertThat(figures.get("none").get(JprofProfiler.ALLOC_NORM)).isCloseTo(0, offset(0.1));
        figures.forEach((benchmark, f) -> assertThat(f.get(JprofProfiler.ALLOC_NORM))
                .as(benchmark)
                .isCloseTo(f.get("gc.alloc.rate.norm"), offset(0.05)));
        figures.forEach((benchmark, f) ->
                assertThat(f.get(JprofProfiler.OBJECTS_NORM)).as(benchmark).isNaN());
    }

    /**
     * With objects=true every allocation is recorded, which makes an operation ~100x slower: JMH's own
     * few allocations per iteration then weigh more (observed: +0.05% to +0.7%), hence 1%.
     */
    @Test
    void objectsPerOpAreCountedOnRequest() throws Exception {
        // JMH's own bookkeeping allocates a few objects on the benchmark thread in every iteration; with
        // every allocation recorded an operation is slow, so iterations of a second give enough operations
        // to make those few weigh far below the 1% the figures are checked to
        Map<String, Map<String, Double>> figures =
                figures(new Runner(tiny(AllocBench.class.getName() + ".(bytes64|pair)")
                                .measurementTime(TimeValue.seconds(1))
                                .forks(1)
                                .addProfiler(JprofProfiler.class, "events=none;objects=true;dir=" + out)
                                .build())
                        .run());
        System.out.println("jprof.alloc.objects.norm: " + figures);

        assertThat(figures.get("bytes64").get(JprofProfiler.OBJECTS_NORM)).isCloseTo(1, withinPercentage(1));
        assertThat(figures.get("pair").get(JprofProfiler.OBJECTS_NORM)).isCloseTo(2, withinPercentage(1));
        assertThat(figures.get("bytes64").get(JprofProfiler.ALLOC_NORM)).isCloseTo(80, withinPercentage(1));
        assertThat(figures.get("pair").get(JprofProfiler.ALLOC_NORM)).isCloseTo(56, withinPercentage(1));
    }

    private static Map<String, Map<String, Double>> figures(Collection<RunResult> results) {
        Map<String, Map<String, Double>> figures = new TreeMap<>();
        for (RunResult r : results) {
            Map<String, Double> f = new TreeMap<>();
            r.getAggregatedResult().getSecondaryResults().forEach((name, result) -> f.put(name, result.getScore()));
            figures.put(r.getParams().getBenchmark().replaceAll(".*\\.", ""), f);
        }
        return figures;
    }

    private static Set<String> labels(Profile p, String key) {
        return p.samples().stream().map(s -> s.label(key)).collect(Collectors.toCollection(TreeSet::new));
    }

    private static long samplesIn(Profile p, String function) {
        return p.samples().stream()
                .filter(s -> s.stack().stream().anyMatch(f -> f.function().equals(function)))
                .count();
    }
}
