package dev.jprof.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate on synthetic JMH results files: its statistics must not depend on the machine's load. */
class GateTest {

    @TempDir
    Path dir;

    private String output;

    /** Ten iterations (two forks of five) around 100 ops/ms: the spread of a quiet machine, about ±4%. */
    private static final double[] STEADY = {100.2, 96.1, 103.4, 99.0, 101.7, 97.5, 102.9, 98.4, 100.9, 99.6};
    /** Another run of the same code: a different draw from the same spread, mean 1.2% lower. */
    private static final double[] STEADY_AGAIN = {98.8, 103.1, 96.4, 99.9, 97.2, 101.3, 95.9, 100.4, 98.1, 97.5};

    private static Map<String, Object> benchmark(String name, String mode, double[] raw, double allocBytes) {
        Map<String, Object> primary = new LinkedHashMap<>();
        double mean = java.util.Arrays.stream(raw).average().orElse(0);
        primary.put("score", mean);
        primary.put("scoreError", 1.0);
        primary.put("scoreUnit", mode.equals("thrpt") ? "ops/ms" : "ns/op");
        int half = raw.length / 2;
        List<Object> fork1 = new ArrayList<>();
        List<Object> fork2 = new ArrayList<>();
        for (int i = 0; i < raw.length; i++) {
            (i < half ? fork1 : fork2).add(raw[i]);
        }
        primary.put("rawData", List.of(fork1, fork2));
        Map<String, Object> alloc = new LinkedHashMap<>();
        alloc.put("score", allocBytes);
        alloc.put("scoreError", "NaN");
        alloc.put("scoreUnit", "B/op");
        alloc.put("rawData", List.of(List.of(allocBytes), List.of(allocBytes)));
        Map<String, Object> objects = new LinkedHashMap<>();
        objects.put("score", "NaN");
        objects.put("scoreUnit", "objects/op");
        Map<String, Object> secondary = new LinkedHashMap<>();
        secondary.put("jprof.alloc.norm", alloc);
        secondary.put("jprof.alloc.objects.norm", objects);
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("jmhVersion", "1.37");
        b.put("benchmark", name);
        b.put("mode", mode);
        b.put("forks", 2);
        b.put("params", Map.of("size", "100"));
        b.put("primaryMetric", primary);
        b.put("secondaryMetrics", secondary);
        return b;
    }

    private Path results(String file, Map<?, ?>... benchmarks) throws IOException {
        Path p = dir.resolve(file);
        Files.writeString(p, Json.write(List.of(benchmarks)), StandardCharsets.UTF_8);
        return p;
    }

    private int gate(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = Gate.run(List.of(args), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        output = bytes.toString(StandardCharsets.UTF_8);
        return status;
    }

    private static double[] scaled(double[] raw, double factor) {
        double[] r = raw.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] *= factor;
        }
        return r;
    }

    @Test
    void noChangePasses() throws IOException {
        Path results = results("results.json", benchmark("a.Parse.line", "thrpt", STEADY, 312));
        assertThat(gate(results.toString(), results.toString())).as(output).isZero();
        assertThat(output)
                .contains("a.Parse.line thrpt size=100  time")
                .contains("+0.0%")
                .contains("p=1.000 n=10+10")
                .contains("312.0 B/op")
                .contains("no regression");
    }

    @Test
    void injectedAllocationRegressionFailsWithOldAndNewFigures() throws IOException {
        Path baseline = results("baseline.json", benchmark("a.Parse.line", "thrpt", STEADY, 312));
        Path results = results("results.json", benchmark("a.Parse.line", "thrpt", STEADY_AGAIN, 328));
        assertThat(gate(results.toString(), baseline.toString(), "--metrics", "alloc"))
                .as(output)
                .isEqualTo(1);
        assertThat(output)
                .contains(
                        "jprof gate: 1 regression:\n"
                                + "  a.Parse.line thrpt size=100: allocates 328.0 B/op, baseline 312.0 B/op (+16.00 B/op, tolerance 1.000)\n");
    }

    @Test
    void allocationWithinToleranceOrLowerPasses() throws IOException {
        Path baseline = results("baseline.json", benchmark("a.Parse.line", "thrpt", STEADY, 312.0));
        Path same = results("same.json", benchmark("a.Parse.line", "thrpt", STEADY, 312.004));
        assertThat(gate(same.toString(), baseline.toString(), "--metrics", "alloc"))
                .as(output)
                .isZero();
        assertThat(output).contains("same");
        Path less = results("less.json", benchmark("a.Parse.line", "thrpt", STEADY, 296));
        assertThat(gate(less.toString(), baseline.toString(), "--metrics", "alloc"))
                .as(output)
                .isZero();
        assertThat(output).contains("less than baseline (update it)");
    }

    @Test
    void noisyTimingWithinTheSpreadIsNotSignificant() throws IOException {
        Path baseline = results("baseline.json", benchmark("a.Parse.line", "thrpt", STEADY, 312));
        Path results = results("results.json", benchmark("a.Parse.line", "thrpt", STEADY_AGAIN, 312));
        assertThat(gate(results.toString(), baseline.toString())).as(output).isZero();
        assertThat(output).containsPattern("time .* -1\\.\\d% +p=0\\.\\d+ n=10\\+10 +~\n");
    }

    @Test
    void significantSlowdownBeyondToleranceFails() throws IOException {
        Path baseline = results(
                "baseline.json",
                benchmark("a.Parse.line", "thrpt", STEADY, 312),
                benchmark("a.Parse.avg", "avgt", STEADY, 0));
        Path results = results(
                "results.json",
                benchmark("a.Parse.line", "thrpt", scaled(STEADY_AGAIN, 0.8), 312),
                benchmark("a.Parse.avg", "avgt", scaled(STEADY_AGAIN, 0.8), 0));
        assertThat(gate(results.toString(), baseline.toString())).as(output).isEqualTo(1);
        // throughput fell 21%: slower; time per op fell 21%: faster
        assertThat(output)
                .containsPattern(
                        "a.Parse.line thrpt size=100: time 99.970 -> 79.088 ops/ms \\(-20.9%, p=0.000 n=10\\+10, tolerance 5.0%\\)");
        assertThat(output).containsPattern("a.Parse.avg avgt size=100 +time .*faster");
        assertThat(output).doesNotContain("a.Parse.avg avgt size=100: time");
    }

    @Test
    void significantChangeWithinTolerancePasses() throws IOException {
        Path baseline = results("baseline.json", benchmark("a.Parse.line", "thrpt", STEADY, 312));
        Path results = results(
                "results.json",
                benchmark("a.Parse.line", "thrpt", scaled(STEADY, 0.97).clone(), 312));
        // every new score is 3% below its old twin, yet the samples overlap: rank test decides
        int status = gate(results.toString(), baseline.toString(), "--tolerance", "5%");
        assertThat(status).as(output).isZero();
        assertThat(output).containsPattern("-3\\.0% +p=0\\.01\\d n=10\\+10 +slower, within tolerance");
    }

    @Test
    void tooFewIterationsAreNeverSignificant() throws IOException {
        Path baseline = results("baseline.json", benchmark("a.Parse.line", "thrpt", new double[] {100, 101}, 312));
        Path results = results("results.json", benchmark("a.Parse.line", "thrpt", new double[] {50, 51}, 312));
        assertThat(gate(results.toString(), baseline.toString())).as(output).isZero();
        assertThat(output).contains("~ (too few samples for p<0.05)");
    }

    @Test
    void updateWritesAReviewableBaselineThatThenPasses() throws IOException {
        Path results = results(
                "results.json",
                benchmark("b.Second.run", "avgt", STEADY, 0),
                benchmark("a.First.run", "thrpt", STEADY, 312));
        Path baseline = dir.resolve("jmh-baseline.json");
        assertThat(gate(results.toString(), baseline.toString(), "--update=true"))
                .as(output)
                .isZero();
        List<String> lines = Files.readAllLines(baseline);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("{\"format\": \"jprof-jmh-baseline/1\", \"benchmarks\": [");
        assertThat(lines.get(1))
                .startsWith(
                        "  {\"key\": \"a.First.run thrpt size=100\", \"mode\": \"thrpt\", \"unit\": \"ops/ms\", \"allocBytesPerOp\": 312, \"allocObjectsPerOp\": null, \"score\": ");
        assertThat(lines.get(2)).startsWith("  {\"key\": \"b.Second.run avgt size=100\"");
        assertThat(gate(results.toString(), baseline.toString())).as(output).isZero();
        assertThat(gate(results.toString(), baseline.toString(), "--update=false"))
                .as(output)
                .isZero();
    }

    @Test
    void newAndMissingBenchmarksAreNotedNotFailed() throws IOException {
        Path baseline = results("baseline.json", benchmark("a.Old.run", "thrpt", STEADY, 1));
        Path results = results("results.json", benchmark("a.New.run", "thrpt", STEADY, 1));
        assertThat(gate(results.toString(), baseline.toString())).as(output).isZero();
        assertThat(output)
                .contains("note: [a.New.run thrpt size=100] is new: not in the baseline (add it with --update)")
                .contains("note: [a.Old.run thrpt size=100] is in the baseline but not in the results");
    }

    @Test
    void badArgumentsAndFilesExitWith2() throws IOException {
        assertThat(gate("only-one.json")).isEqualTo(2);
        assertThat(output)
                .contains("expected a results file and a baseline file")
                .contains("usage:");
        assertThat(gate("a.json", "b.json", "--tolerence", "5%")).isEqualTo(2);
        assertThat(output).contains("unknown option [--tolerence]");
        Path results = results("results.json", benchmark("a.Parse.line", "thrpt", STEADY, 312));
        assertThat(gate(results.toString(), dir.resolve("missing.json").toString()))
                .isEqualTo(2);
        assertThat(output).contains("no baseline").contains("--update");
        assertThat(gate(results.toString(), dir.resolve("missing.json").toString(), "--allow-missing-baseline"))
                .isZero();
        assertThat(output).contains("(passing: --allow-missing-baseline)");
        Files.writeString(dir.resolve("broken.json"), "[{\"benchmark\": ");
        assertThat(gate(dir.resolve("broken.json").toString(), results.toString()))
                .isEqualTo(2);
        assertThat(output).contains("Cannot read [").contains("Malformed JSON at line 1");
    }

    // --- defects of issue 10: bad input exits 2 naming the file, never 1 and never a stack trace ------

    private Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private void assertRejected(Path bad, String problem) throws IOException {
        Path good = results("good.json", benchmark("a.Parse.line", "thrpt", STEADY, 312));
        for (String[] args : new String[][] {
            {bad.toString(), good.toString()},
            {good.toString(), bad.toString()},
            {bad.toString(), dir.resolve("new-baseline.json").toString(), "--update"}
        }) {
            assertThat(gate(args)).as("%s: %s", List.of(args), output).isEqualTo(2);
            assertThat(output)
                    .as(bad.getFileName().toString())
                    .startsWith("jprof gate: Cannot read [" + bad + "]: ")
                    .contains(problem)
                    .doesNotContain("Exception")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void malformedJsonExitsWith2NamingTheFileAndPosition() throws IOException {
        assertRejected(
                file("deep.json", "[".repeat(100_000)),
                "Malformed JSON at line 1, column 513: arrays and objects nested more than 512 deep");
        assertRejected(file("backslash.json", "\"\\"), "Malformed JSON at line 1, column 3: unterminated string");
        assertRejected(file("u-escape.json", "{\"\\u"), "Malformed JSON at line 1, column 5: bad escape");
        assertRejected(
                file("u-plus.json", "[{\"benchmark\": \"\\u+123\"}]"),
                "Malformed JSON at line 1, column 19: bad escape");
    }

    @Test
    void aBaselineEntryWithoutModeExitsWith2NamingTheFileAndTheEntry() throws IOException {
        Path baseline = file(
                "no-mode.json",
                "{\"format\": \"jprof-jmh-baseline/1\", \"benchmarks\": [\n"
                        + "  {\"key\": \"a.Parse.line thrpt size=100\", \"unit\": \"ops/ms\", \"score\": 100, \"samples\": [100, 101]}\n]}\n");
        assertRejected(baseline, "baseline entry 1 [a.Parse.line thrpt size=100] has no \"mode\" string");
    }

    @Test
    void structurallyWrongResultsExitWith2() throws IOException {
        assertRejected(file("no-benchmark.json", "[{\"mode\": \"thrpt\"}]"), "benchmark 1 has no \"benchmark\" string");
        assertRejected(
                file("no-primary.json", "[{\"benchmark\": \"a.B.c\", \"mode\": \"thrpt\"}]"),
                "benchmark 1 [a.B.c], \"primaryMetric\" is not an object (missing)");
        assertRejected(file("not-an-object.json", "[42]"), "benchmark 1 is not an object");
        assertRejected(
                file("no-list.json", "{\"format\": \"jprof-jmh-baseline/1\", \"benchmarks\": {}}"),
                "\"benchmarks\" is not an array");
        assertRejected(
                file(
                        "raw-not-list.json",
                        "[{\"benchmark\": \"a.B.c\", \"mode\": \"thrpt\", \"primaryMetric\":"
                                + " {\"score\": 1, \"scoreUnit\": \"ops/s\", \"rawData\": [3]}}]"),
                "\"rawData\" of a fork is not an array");
    }

    @Test
    void askingForAllocationWithoutAllocationFiguresFailsClosed() throws IOException {
        Map<String, Object> timeOnly = benchmark("a.Parse.line", "thrpt", STEADY, 312);
        timeOnly.remove("secondaryMetrics");
        Path results = results("results.json", timeOnly);
        Path baseline = results("baseline.json", benchmark("a.Parse.line", "thrpt", STEADY, 312));

        assertThat(gate(results.toString(), baseline.toString(), "--metrics", "alloc"))
                .as(output)
                .isEqualTo(2);
        assertThat(output)
                .isEqualTo("jprof gate: --metrics alloc, but the results [" + results + "] hold no allocation figure"
                        + " (jprof.alloc.norm or gc.alloc.rate.norm) for [a.Parse.line thrpt size=100]: run JMH with"
                        + " -prof dev.jprof.jmh.JprofProfiler (or -prof gc)\n");
        assertThat(gate(results.toString(), baseline.toString(), "--metrics", "time,alloc"))
                .as(output)
                .isEqualTo(2);
        assertThat(gate(baseline.toString(), results.toString(), "--metrics", "alloc"))
                .as(output)
                .isEqualTo(2);
        assertThat(output)
                .contains(
                        "the baseline [" + results + "] holds no allocation figure for [a.Parse.line thrpt size=100]");

        // not asked for: compared on time only
        assertThat(gate(results.toString(), baseline.toString())).as(output).isZero();
        assertThat(gate(results.toString(), baseline.toString(), "--metrics", "time"))
                .as(output)
                .isZero();
    }

    @Test
    void updateAndAllowMissingBaselineTakeOnlyTrueOrFalse() throws IOException {
        Path results = results("results.json", benchmark("a.Parse.line", "thrpt", STEADY, 312));
        Path baseline = dir.resolve("baseline.json");
        assertThat(gate(results.toString(), baseline.toString(), "--update=yes"))
                .isEqualTo(2);
        assertThat(output)
                .startsWith("jprof gate: Invalid --update [yes]: expected true or false\n")
                .contains("usage:");
        assertThat(baseline).doesNotExist();
        assertThat(gate(results.toString(), baseline.toString(), "--allow-missing-baseline=1"))
                .isEqualTo(2);
        assertThat(output).startsWith("jprof gate: Invalid --allow-missing-baseline [1]: expected true or false");
        assertThat(gate(results.toString(), baseline.toString(), "--update=TRUE"))
                .as(output)
                .isZero();
        assertThat(baseline).exists();
    }

    @Test
    void toleranceIsAPercentageOrAFractionNeverABareNumberOfOneOrMore() throws IOException {
        assertThat(Gate.parse(List.of("r", "b", "--tolerance", "5%")).tolerance())
                .isEqualTo(0.05);
        assertThat(Gate.parse(List.of("r", "b", "--tolerance", "0.05")).tolerance())
                .isEqualTo(0.05);
        assertThat(Gate.parse(List.of("r", "b", "--tolerance=12.5%")).tolerance())
                .isEqualTo(0.125);
        assertThat(Gate.parse(List.of("r", "b", "--tolerance", "0")).tolerance())
                .isZero();

        assertThat(gate("r.json", "b.json", "--tolerance", "5")).isEqualTo(2);
        assertThat(output)
                .startsWith("jprof gate: option [--tolerance] takes a percentage (5%) or a fraction below 1 (0.05),"
                        + " got [5]: write 5% for 5 percent\n");
        for (String bad : List.of("1", "-5%", "-0.1", "five", "NaN", "Infinity%", "%")) {
            assertThat(gate("r.json", "b.json", "--tolerance", bad)).as(bad).isEqualTo(2);
            assertThat(output)
                    .as(bad)
                    .contains("option [--tolerance] takes a percentage (5%) or a fraction below 1 (0.05), got [" + bad
                            + "]");
        }
    }
}
