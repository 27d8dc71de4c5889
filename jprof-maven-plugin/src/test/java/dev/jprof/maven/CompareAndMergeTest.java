package dev.jprof.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.format.Pprof;
import dev.jprof.internal.Json;
import dev.jprof.junit.internal.JoinedReport;
import dev.jprof.maven.internal.Reports;
import dev.jprof.profile.Frame;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
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

/** The command line's merge and compare (the goals run the same code) on run reports written here. */
class CompareAndMergeTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    /** A test's summary with a CPU profile of {@code parse} and {@code checksum} samples (1 ms each), written with its cpu.pb.gz. */
    private static Map<String, Object> test(
            Path report,
            String testClass,
            String test,
            String suffix,
            long durationMillis,
            int parse,
            int checksum,
            long exactBytes)
            throws IOException {
        String folder = testClass + "/" + test + suffix;
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("schema", "jprof.test-summary/1");
        s.put("class", testClass);
        s.put("test", test);
        s.put("folder", folder);
        s.put("status", "passed");
        s.put("durationNanos", durationMillis * 1_000_000);
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("pprof", "cpu.pb.gz");
        cpu.put("sampleType", "cpu");
        cpu.put("unit", "nanoseconds");
        cpu.put("samples", (long) (parse + checksum));
        cpu.put("total", (parse + checksum) * 1_000_000L);
        s.put("profiles", Map.of("cpu", cpu));
        if (exactBytes >= 0) {
            s.put("allocations", Map.of("bytes", exactBytes, "exact", true));
        }
        s.put("artifacts", List.of("cpu.pb.gz"));
        Profile.Builder p = Profile.builder(ProfileKind.CPU).period(1_000_000);
        Frame root = new Frame("com.acme.Test.run", "", 0);
        for (int i = 0; i < parse; i++) {
            p.addSample(List.of(new Frame("com.acme.Parser.parse", "", 0), root), new long[] {1, 1_000_000}, Map.of());
        }
        for (int i = 0; i < checksum; i++) {
            p.addSample(List.of(new Frame("com.acme.Sums.checksum", "", 0), root), new long[] {1, 1_000_000}, Map.of());
        }
        Files.createDirectories(report.resolve(folder));
        Pprof.write(p.build(), report.resolve(folder).resolve("cpu.pb.gz"));
        Files.writeString(report.resolve(folder).resolve("summary.json"), Json.write(s), StandardCharsets.UTF_8);
        return s;
    }

    private static Path report(Path dir, List<Map<String, Object>> results) throws IOException {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("schema", "jprof.run-summary/1");
        run.put("run", dir.toString());
        run.put("results", results);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("summary.json"), Json.write(run), StandardCharsets.UTF_8);
        return dir;
    }

    private int cli(String... args) {
        return Cli.run(List.of(args), tmp, new PrintStream(output, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return output.toString(StandardCharsets.UTF_8);
    }

    private void mainAndPullRequest() throws IOException {
        Path main = tmp.resolve("main");
        report(
                main,
                List.of(
                        test(main, "com.acme.SumsTest", "sums()", "", 900, 300, 200, 8_208),
                        test(main, "com.acme.WordsTest", "counts()", "", 300, 250, 0, -1)));
        Path pr = tmp.resolve("pr");
        report(
                pr,
                List.of(
                        test(pr, "com.acme.SumsTest", "sums()", "", 1_300, 300, 600, 73_744),
                        test(pr, "com.acme.WordsTest", "counts()", "", 310, 255, 0, -1)));
    }

    @Test
    void aSlowerFunctionAndMoreBytesAreRegressionsThatFailTheGateOnlyWhenAskedTo() throws IOException {
        mainAndPullRequest();

        assertThat(cli("compare", "-Djprof.base=main", "-Djprof.current=pr"))
                .as(out())
                .isZero();
        assertThat(cli("compare", "-Djprof.base=main", "-Djprof.current=pr", "-Djprof.compare.fail=true"))
                .as(out())
                .isEqualTo(1);

        String md = Files.readString(tmp.resolve("pr/compare.md"), StandardCharsets.UTF_8);
        assertThat(md).startsWith("### jprof: 2 tests compared with the base, 2 regressions\n");
        assertThat(md)
                .contains(
                        "- com.acme.SumsTest › sums(): allocates 64.00 KiB more per op (65,536 B): 8.02 KiB → 72.02 KiB (exact,");
        assertThat(md)
                .contains(
                        "- com.acme.SumsTest › sums(): cpu 500.00 ms → 900.00 ms (+80.0%, p=0.000 samples 500→900, tolerance 5.0%)");
        assertThat(md).contains("|  | grew most (cpu flat): com.acme.Sums.checksum | 40.00% | 66.67% | +26.7 pts |");
        assertThat(md)
                .as("one duration each is no evidence")
                .contains(
                        "| com.acme.SumsTest › sums() | time | 900.00 ms | 1.30 s | +44.4% | n=1+1 | ~ (one run each");
        assertThat(md)
                .as("5 more samples of 250 are noise")
                .containsPattern(
                        "\\| com\\.acme\\.WordsTest › counts\\(\\) \\|[^\\n]*\n\\|  \\| cpu \\|[^\\n]*\\| ~ \\|");
        String html = Files.readString(tmp.resolve("pr/compare.html"), StandardCharsets.UTF_8);
        assertThat(html)
                .contains("<a href=\"com.acme.SumsTest/sums()/summary.json\">com.acme.SumsTest › sums()</a>")
                .contains("<td class=\"regression\">REGRESSION</td>");
        assertThat(out()).contains("jprof: regression: com.acme.SumsTest › sums(): allocates 64.00 KiB more per op");
    }

    @Test
    void repeatedRunsOfATestAreEvidenceForTheMannWhitneyTest() throws IOException {
        Path main = tmp.resolve("main");
        Path pr = tmp.resolve("pr");
        List<Map<String, Object>> base = new ArrayList<>();
        List<Map<String, Object>> now = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            base.add(test(main, "com.acme.SlowTest", "slow()", "-" + i, 100 + i, 50, 50, -1));
            now.add(test(pr, "com.acme.SlowTest", "slow()", "-" + i, 200 + i, 50, 50, -1));
        }
        report(main, base);
        report(pr, now);

        assertThat(cli("compare", "-Djprof.base=main", "-Djprof.current=pr", "-Djprof.compare.fail=true"))
                .as(out())
                .isEqualTo(1);
        assertThat(Files.readString(tmp.resolve("pr/compare.md"), StandardCharsets.UTF_8))
                .contains(
                        "- com.acme.SlowTest › slow(): time 102.00 ms → 202.00 ms (+98.0%, p=0.008 n=5+5, tolerance 5.0%)");
    }

    @Test
    void compareFailIsTrueOrFalseAndABadValueIsNamed() throws IOException {
        mainAndPullRequest();

        assertThat(cli("compare", "-Djprof.base=main", "-Djprof.current=pr", "-Djprof.compare.fail=nah"))
                .as(out())
                .isEqualTo(2);
        assertThat(out().lines())
                .contains("jprof: compare failed: Invalid jprof.compare.fail [nah]: expected true or false");
    }

    @Test
    void mergeJoinsShardsNamedAfterTheirFoldersAndBadArgumentsAreNamed() throws IOException {
        Path shard1 = tmp.resolve("shard1/target/jprof");
        Path shard2 = tmp.resolve("shard2/target/jprof");
        report(shard1, List.of(test(shard1, "com.acme.SumsTest", "sums()", "", 900, 300, 200, -1)));
        report(shard2, List.of(test(shard2, "com.acme.SumsTest", "sums()", "", 950, 300, 200, -1)));

        assertThat(cli("merge", "-Djprof.inputs=shard1/target/jprof,shard2/target/jprof"))
                .as(out())
                .isZero();

        Path merged = tmp.resolve("target/jprof-aggregate");
        assertThat(JoinedReport.results(merged))
                .extracting(t -> t.get("module") + " " + t.get("folder") + " " + t.get("copies"))
                .containsExactly(
                        "shard1 shard1/com.acme.SumsTest/sums() 2", "shard2 shard2/com.acme.SumsTest/sums() 2");
        assertThat(merged.resolve("shard2/com.acme.SumsTest/sums()/cpu.pb.gz")).isRegularFile();
        assertThat(out()).contains("jprof: report ").contains("2 profiled tests");

        assertThat(cli("merge", "-Djprof.inputs=nowhere/target/jprof")).isEqualTo(2);
        assertThat(out()).contains("No jprof run report in [" + tmp.resolve("nowhere/target/jprof") + "]");
        assertThat(cli("compare", "-Djprof.base=main", "-Djprof.compare.tolerance=5"))
                .isEqualTo(2);
        assertThat(out()).contains("jprof.compare.tolerance");
        assertThat(cli("compare", "-Djprof.bsae=main")).isEqualTo(2);
        assertThat(out()).contains("unknown argument [-Djprof.bsae=main]");
    }

    @Test
    void inputsAreNamedAfterTheirPathWithoutTargetJprof() {
        assertThat(Reports.inputs(
                        "shard1/target/jprof, ci/linux/target/jprof-aggregate,mac=/tmp/x,reports/linux/", tmp))
                .extracting(JoinedReport.Input::name)
                .containsExactly("shard1", "linux", "mac", "linux-2");
    }
}
