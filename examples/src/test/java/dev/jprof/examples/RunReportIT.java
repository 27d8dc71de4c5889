package dev.jprof.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.internal.Json;
import dev.jprof.testing.Chromium;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs after the example tests (one JVM) and the tests in {@code dev.jprof.examples.forks} (two more
 * JVMs at once, {@code forkCount=2}, {@code reuseForks=false}) wrote their profiles into the same
 * folder: the run report must list every profiled test of every JVM.
 */
class RunReportIT {

    private static final Path OUTPUT = Path.of(System.getenv().getOrDefault("JPROF_EXAMPLES_OUTPUT", "target/jprof"));

    /**
     * Every test the examples profile with annotations, and the tests of the forks, which run with
     * {@code jprof.profile=cpu} (the whole suite, annotated or not).
     */
    private static final List<String> PROFILED = List.of(
            "dev.jprof.examples.AccessLogParserTest/parsesAnHourOfTraffic()",
            "dev.jprof.examples.LruCacheTest/sharedCacheUnderLoad()",
            "dev.jprof.examples.RouterTest/servesUsersFromTheBackend()",
            "dev.jprof.examples.TrafficReportTest/aggregatesPerRoute()",
            "dev.jprof.examples.forks.ParsingForkTest/parsesInItsOwnJvm()",
            "dev.jprof.examples.forks.ParsingForkTest/regularExpressionsDominateParsing(Jprof)",
            "dev.jprof.examples.forks.ReportingForkTest/aggregatesInItsOwnJvm()",
            "dev.jprof.examples.forks.RoutingForkTest/waitingOnTheBackendDominatesWallTime(Jprof)");

    @Test
    @SuppressWarnings("unchecked")
    void runSummaryListsEveryProfiledTestFromEveryJvm() throws IOException {
        Map<String, Object> run = (Map<String, Object>) Json.parse(Files.readString(OUTPUT.resolve("summary.json")));
        List<Map<String, Object>> results = (List<Map<String, Object>>) run.get("results");
        assertThat(results).extracting(r -> (String) r.get("folder")).containsAll(PROFILED);
        assertThat(results)
                .filteredOn(r -> PROFILED.contains(r.get("folder")))
                .allSatisfy(r -> assertThat(r).containsEntry("status", "passed"));
        // one JVM for the example tests, and one per fork class (reuseForks=false)
        Map<String, Object> pidByClass = new java.util.HashMap<>();
        results.stream()
                .filter(r -> PROFILED.contains(r.get("folder")))
                .forEach(r -> assertThat(pidByClass.merge(
                                (String) r.get("class"), r.get("pid"), (a, b) -> a.equals(b) ? a : "two JVMs"))
                        .as("one JVM for all tests of %s", r.get("class"))
                        .isNotEqualTo("two JVMs"));
        assertThat(pidByClass.values()).doesNotContainNull();
        long examplesJvm = pidByClass.entrySet().stream()
                .filter(e -> !e.getKey().contains(".forks."))
                .map(Map.Entry::getValue)
                .distinct()
                .count();
        assertThat(examplesJvm).as("the example tests' JVM").isOne();
        assertThat(pidByClass.values().stream().distinct())
                .as("JVMs: the examples' and one per fork class")
                .hasSize(4);
        assertThat(run.get("tests")).isEqualTo((long) results.size());
    }

    @Test
    void indexRendersARowPerTestAndEveryLinkResolves() throws IOException {
        Path index = OUTPUT.resolve("index.html").toAbsolutePath();
        String dom = Chromium.require().dumpDom(index);
        for (String folder : PROFILED) {
            String test = folder.substring(folder.indexOf('/') + 1);
            assertThat(dom)
                    .as("row of %s", folder)
                    .containsPattern("<tr class=\"passed\"[^>]*>.*" + Pattern.quote(test));
        }
        assertThat(dom)
                .containsPattern("id=\"count\">\\d+ of \\d+ tests</span>")
                .as("the script ran");
        List<String> hrefs = new ArrayList<>();
        Matcher m = Pattern.compile("href=\"([^\"]+)\"").matcher(dom);
        while (m.find()) {
            hrefs.add(m.group(1).replace("&amp;", "&"));
        }
        assertThat(hrefs).hasSizeGreaterThanOrEqualTo(PROFILED.size() * 3);
        URI base = index.toUri();
        for (String href : hrefs) {
            assertThat(Path.of(base.resolve(href))).as(href).isRegularFile();
        }
        Path tmp = Files.createTempDirectory("jprof-report-shot");
        Chromium.require().screenshot(index.toUri().toString(), tmp.resolve("report.png"), 1400, 900);
        assertThat(Files.size(tmp.resolve("report.png"))).isPositive();
    }
}
