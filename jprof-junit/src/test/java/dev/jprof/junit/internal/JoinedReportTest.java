package dev.jprof.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jprof.format.Pprof;
import dev.jprof.format.internal.RunReport;
import dev.jprof.internal.Json;
import dev.jprof.profile.Frame;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import dev.jprof.profile.Sample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run reports of several modules or shards joined into one: rows, copies, duplicates and the merged suite profile. */
class JoinedReportTest {

    private static final Pattern ROW =
            Pattern.compile("<tr class=\"\\w+\"><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>");

    @TempDir
    Path tmp;

    /** A module's target/jprof: its tests' summaries and cpu profiles, a suite profile labelled with each test, and its report. */
    private Path module(String name, String run, String testClass, String... tests) throws IOException {
        Path out = tmp.resolve(name).resolve("target/jprof");
        Profile.Builder suite = Profile.builder(ProfileKind.CPU).period(1_000_000);
        for (String test : tests) {
            Map<String, Object> s = Summaries.test(run, testClass, test);
            Summaries.profile(s, "cpu", "nanoseconds", 20_000_000, 0, testClass + "." + test);
            s.put("artifacts", List.of("cpu.pb.gz", "cpu.html"));
            Path dir = Summaries.write(out, s).getParent();
            Files.writeString(dir.resolve("cpu.html"), "<html>" + test + "</html>");
            Profile.Builder p = Profile.builder(ProfileKind.CPU).period(1_000_000);
            p.addSample(List.of(new Frame(testClass + ".work", "", 0)), new long[] {20, 20_000_000}, Map.of());
            Pprof.write(p.build(), dir.resolve("cpu.pb.gz"));
            suite.addSample(
                    List.of(new Frame(testClass + ".work", "", 0)),
                    new long[] {20, 20_000_000},
                    Map.of(RunReport.TEST_LABEL, testClass + "." + test));
        }
        Files.createDirectories(out.resolve("suite"));
        Pprof.write(suite.build(), out.resolve("suite/cpu.pb.gz"));
        RunReport.write(out, run);
        return out;
    }

    private static List<String> rows(String html) {
        List<String> rows = new ArrayList<>();
        Matcher m = ROW.matcher(html);
        while (m.find()) {
            rows.add(m.group(1) + " | " + m.group(2) + " | " + m.group(3));
        }
        return rows;
    }

    @Test
    void everyModulesTestsWithAModuleColumnCopiesOfTheirFilesAndOneSuiteProfile() throws IOException {
        Path app = module("app", "1@a", "com.acme.AppTest", "starts()", "stops()");
        Path core = module("core", "2@b", "com.acme.CoreTest", "parses()");
        Path out = tmp.resolve("target/jprof-aggregate");

        String line = JoinedReport.write(
                List.of(new JoinedReport.Input("app", app), new JoinedReport.Input("core", core)), out);

        assertThat(line).contains("3 profiled tests (cpu 3)");
        String html = Files.readString(out.resolve(RunReport.INDEX), StandardCharsets.UTF_8);
        assertThat(rows(html))
                .containsExactly(
                        "app | com.acme.AppTest | starts()",
                        "app | com.acme.AppTest | stops()",
                        "core | com.acme.CoreTest | parses()");
        assertThat(html)
                .contains("<th data-key=\"module\" data-type=\"text\">Module</th>")
                .contains("<a href=\"core/com.acme.CoreTest/parses()/cpu.html\">cpu flame graph</a>");
        assertThat(out.resolve("core/com.acme.CoreTest/parses()/cpu.html")).hasContent("<html>parses()</html>");
        assertThat(out.resolve("core/com.acme.CoreTest/parses()/cpu.pb.gz")).isRegularFile();
        assertThat(out.resolve("core/com.acme.CoreTest/parses()/summary.json")).isRegularFile();

        Map<?, ?> summary =
                (Map<?, ?>) Json.parse(Files.readString(out.resolve(RunReport.SUMMARY), StandardCharsets.UTF_8));
        assertThat(summary.get("modules")).isEqualTo(List.of("app", "core"));
        assertThat(summary.get("tests")).isEqualTo(3L);

        Profile suite = Pprof.read(out.resolve("suite/cpu.pb.gz"));
        assertThat(suite.samples())
                .extracting(s -> s.label(RunReport.MODULE) + " " + s.label(RunReport.TEST_LABEL))
                .containsExactlyInAnyOrder(
                        "app com.acme.AppTest.starts()",
                        "app com.acme.AppTest.stops()",
                        "core com.acme.CoreTest.parses()");
        assertThat(out.resolve("suite/cpu.html")).isRegularFile();
        assertThat(html).contains("samples from 3 tests");
    }

    @Test
    void aModulesJmhBenchmarksAreJoinedWithTheirFiles() throws IOException {
        Path app = module("app", "1@a", "com.acme.AppTest", "starts()");
        Path bench = tmp.resolve("bench/target/jprof");
        Summaries.benchmark(
                bench, "3@c", "com.acme.ParserBench.parse/size=1000,mode=avgt", "com.acme.ParserBench.parse");
        RunReport.write(bench, "3@c");
        Path out = tmp.resolve("target/jprof-aggregate");

        String line = JoinedReport.write(
                List.of(new JoinedReport.Input("app", app), new JoinedReport.Input("bench", bench)), out);

        assertThat(line).contains("1 profiled test").contains("1 JMH benchmark");
        String html = Files.readString(out.resolve(RunReport.INDEX), StandardCharsets.UTF_8);
        assertThat(html)
                .contains("<h2>JMH benchmarks</h2>")
                .contains("<td>com.acme.ParserBench.parse</td><td>size=1000</td><td>avgt</td>")
                .contains("href=\"bench/com.acme.ParserBench.parse/size=1000,mode=avgt/cpu.fork-2.pb.gz\"");
        assertThat(out.resolve("bench/com.acme.ParserBench.parse/size=1000,mode=avgt/cpu.fork-2.pb.gz"))
                .hasContent("x");
        assertThat(out.resolve("bench/com.acme.ParserBench.parse/size=1000,mode=avgt/summary.json"))
                .isRegularFile();
        assertThat(JoinedReport.benchmarks(out))
                .extracting(b -> b.get("module") + " " + b.get("benchmark"))
                .containsExactly("bench com.acme.ParserBench.parse");
        assertThat(JoinedReport.results(out))
                .extracting(t -> t.get("module") + " " + t.get("test"))
                .containsExactly("app starts()");
    }

    @Test
    void theSameTestInTwoShardsIsShownTwiceNotLost() throws IOException {
        Path shard1 = module("shard1", "1@a", "com.acme.AppTest", "starts()", "stops()");
        Path shard2 = module("shard2", "2@b", "com.acme.AppTest", "starts()");
        Path out = tmp.resolve("merged");

        JoinedReport.write(
                List.of(new JoinedReport.Input("shard1", shard1), new JoinedReport.Input("shard2", shard2)), out);

        String html = Files.readString(out.resolve(RunReport.INDEX), StandardCharsets.UTF_8);
        assertThat(rows(html))
                .containsExactly(
                        "shard1 (ran 2 times) | com.acme.AppTest | starts()",
                        "shard1 | com.acme.AppTest | stops()",
                        "shard2 (ran 2 times) | com.acme.AppTest | starts()");
        Profile suite = Pprof.read(out.resolve("suite/cpu.pb.gz"));
        assertThat(suite.samples())
                .filteredOn(s -> "com.acme.AppTest.starts()".equals(s.label(RunReport.TEST_LABEL)))
                .extracting(s -> s.label(RunReport.MODULE))
                .containsExactlyInAnyOrder("shard1", "shard2");

        // a joined report joins again: its tests keep their modules
        Path again = tmp.resolve("again");
        JoinedReport.write(List.of(new JoinedReport.Input("ci", out)), again);
        assertThat(rows(Files.readString(again.resolve(RunReport.INDEX), StandardCharsets.UTF_8)))
                .containsExactly(
                        "shard1 (ran 2 times) | com.acme.AppTest | starts()",
                        "shard1 | com.acme.AppTest | stops()",
                        "shard2 (ran 2 times) | com.acme.AppTest | starts()");
        assertThat(again.resolve("ci/shard2/com.acme.AppTest/starts()/cpu.pb.gz"))
                .isRegularFile();
        assertThat(Pprof.read(again.resolve("suite/cpu.pb.gz")).samples())
                .extracting(Sample::labels)
                .allSatisfy(l -> assertThat(l.get(RunReport.MODULE)).isIn("shard1", "shard2"));
    }

    @Test
    void aFolderWithoutARunReportIsNamed() {
        Path empty = tmp.resolve("nothing/target/jprof");

        assertThatThrownBy(
                        () -> JoinedReport.write(List.of(new JoinedReport.Input("nothing", empty)), tmp.resolve("out")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("No jprof run report in [" + empty + "]");
        assertThatThrownBy(() -> new JoinedReport.Input("a/b", empty))
                .hasMessageContaining("Invalid report name [a/b]");
    }

    @Test
    void aJoinedReportNeverReplacesOrNestsInAReportItJoins() throws IOException {
        Path shard = module("shard1", "1@a", "com.acme.AppTest", "starts()");

        assertThatThrownBy(() -> JoinedReport.write(List.of(new JoinedReport.Input("shard1", shard)), tmp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("its folder [shard1] would replace the report [" + shard);
        assertThatThrownBy(() ->
                        JoinedReport.write(List.of(new JoinedReport.Input("shard1", shard)), shard.resolve("joined")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("it is inside the report [" + shard);
        assertThat(shard.resolve("com.acme.AppTest/starts()/cpu.pb.gz"))
                .as("the input is untouched")
                .isRegularFile();
    }
}
