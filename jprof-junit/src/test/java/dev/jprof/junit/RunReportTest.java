package dev.jprof.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The run report written at the end of a run: per-test summaries, index.html, summary.json, the console line. */
class RunReportTest extends EngineTestKitBase {

    static class Profiled {
        @Test
        @ProfileCpu
        @ProfileAlloc
        void both() {
            Burn.inTestBody(60);
            HotAnnotationsTest.allocateMegabytes(4);
        }

        @ParameterizedTest
        @ValueSource(strings = {"a b", "ü#?%"})
        @ProfileCpu
        void odd(String s) {
            Burn.inTestBody(20);
        }

        @Test
        @ProfileLock
        void fails() {
            throw new AssertionError("boom <b>");
        }

        @Test
        void notProfiled() {}
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyProfiledTestIsARowWithWorkingLinks() throws IOException {
        String console = console(Profiled.class);

        assertThat(console.lines().filter(l -> l.startsWith("jprof: ")))
                .containsExactly("jprof: report " + out.resolve("index.html")
                        + " — 4 profiled tests (cpu 3, alloc 1, lock 1), 1 failed");
        var run = (java.util.Map<String, Object>)
                dev.jprof.internal.Json.parse(Files.readString(out.resolve("summary.json")));
        assertThat(run)
                .containsEntry("schema", "jprof.run-summary/1")
                .containsEntry("tests", 4L)
                .containsEntry("failed", 1L);
        List<java.util.Map<String, Object>> results = (List<java.util.Map<String, Object>>) run.get("results");
        assertThat(results)
                .extracting(r -> r.get("test"))
                .containsExactly("both()", "fails()", "odd(String) › [1] a b", "odd(String) › [2] ü#?%");
        java.util.Map<String, Object> both = results.get(0);
        assertThat(both)
                .containsEntry("status", "passed")
                .containsEntry("class", Profiled.class.getName())
                .containsKeys("engine", "durationNanos", "finishedAt", "uniqueId", "run");
        assertThat(results)
                .extracting(r -> r.get("run"))
                .as("one run")
                .containsOnly(run.get("run"))
                .doesNotContainNull();
        java.util.Map<String, Object> cpu =
                (java.util.Map<String, Object>) ((java.util.Map<String, Object>) both.get("profiles")).get("cpu");
        assertThat(cpu)
                .containsEntry("pprof", "cpu.pb.gz")
                .containsEntry("flameGraph", "cpu.html")
                .containsEntry("sampleType", "cpu");
        assertThat((Long) cpu.get("samples")).isPositive();
        assertThat((List<Object>) cpu.get("top")).hasSizeBetween(1, 5);
        assertThat((java.util.Map<String, Object>) both.get("allocations")).containsEntry("sampled", true);
        assertThat((Long) ((java.util.Map<String, Object>) both.get("allocations")).get("bytes"))
                .isGreaterThan(1L << 20);
        assertThat(results.get(1)).containsEntry("status", "failed").containsEntry("failure", "boom <b>");
        // the per-test summary is the same object
        assertThat(dev.jprof.internal.Json.parse(Files.readString(
                        out.resolve(Profiled.class.getName()).resolve("both()").resolve("summary.json"))))
                .isEqualTo(both);

        String html = Files.readString(out.resolve("index.html"));
        assertThat(html)
                .contains("4 profiled tests (cpu 3, alloc 1, lock 1), 1 failed")
                .contains("boom &lt;b&gt;")
                .doesNotContain("http://", "https://", "<link", "src=");
        assertThat(Pattern.compile("<tr class=\"").matcher(html).results().count())
                .isEqualTo(4);
        List<String> hrefs = new ArrayList<>();
        Matcher m = Pattern.compile("href=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            hrefs.add(m.group(1));
        }
        assertThat(hrefs).hasSize(5 + 3 + 3 + 3); // both: 2 kinds x 2 + summary; fails: lock x 2 + summary; odd: 3 each
        URI base = out.resolve("index.html").toUri();
        for (String href : hrefs) {
            assertThat(Path.of(base.resolve(href))).as(href).isRegularFile();
        }
    }
}
