package dev.jprof.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.internal.Json;
import dev.jprof.testing.Chromium;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** {@code jprof.compare}: each test's profiles compared with an earlier run's, as diff flame graphs, summary entries and a report column. */
class CompareTest {

    @TempDir
    Path dir;

    static volatile long sink;

    /** How much {@link #loopB} does in the fixture: 15 million steps in the earlier run, 450 million in the later one. */
    static volatile long bMillis;

    /** {@code millions} million steps of a generator: a fixed amount of CPU work, whatever else the machine runs. */
    static void loopA(long millions) {
        long x = 3;
        for (long i = 0; i < millions * 1_000_000; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            x ^= x >>> 29; // JDK 25's C2 folds a bare x * a + b loop (see dev.jprof.testing.CpuWork)
        }
        sink = x;
    }

    /** As {@link #loopA}, with other constants, so that each is its own function in the profile. */
    static void loopB(long millions) {
        long x = 5;
        for (long i = 0; i < millions * 1_000_000; i++) {
            x = x * 2862933555777941757L + 3037000493L;
            x ^= x >>> 29; // JDK 25's C2 folds a bare x * a + b loop (see dev.jprof.testing.CpuWork)
        }
        sink = x;
    }

    static class Fixture {
        @Test
        @ProfileCpu
        @Hot(value = "loopA", top = 1)
        void work() {
            loopA(150);
            loopB(bMillis);
        }

        @Test
        @ProfileCpu
        void newInTheLaterRun() {
            loopA(20);
        }
    }

    private EngineExecutionResults run(Path out, long b, Map<String, String> config) {
        bMillis = b;
        return EngineTestKitBase.run(out, Fixture.class, config);
    }

    @SuppressWarnings("unchecked")
    @Test
    void theLaterRunGetsDiffFlameGraphsSummaryEntriesAReportColumnAndLinksInHotFailures() throws IOException {
        Path before = dir.resolve("before");
        Path after = dir.resolve("after");
        // compiled before either run: a first run in the interpreter would take several times as long per step
        for (int i = 0; i < 5; i++) {
            loopA(20);
            loopB(20);
        }
        EngineExecutionResults earlier = run(before, 15, Map.of());
        assertThat(EngineTestKitBase.failures(earlier))
                .extracting(Throwable::getMessage)
                .isEmpty();
        earlier.testEvents().assertStatistics(s -> s.started(2).succeeded(2));
        Files.delete(EngineTestKitBase.folder(before, Fixture.class, "newInTheLaterRun()")
                .resolve("cpu.pb.gz"));

        EngineExecutionResults later = run(after, 450, Map.of("jprof.compare", before.toString()));

        // loopB now takes three times as long as loopA: @Hot("loopA", top = 1) fails and links to the diff
        later.testEvents().assertStatistics(s -> s.started(2).succeeded(1).failed(1));
        Path work = EngineTestKitBase.folder(after, Fixture.class, "work()");
        String failure = EngineTestKitBase.failures(later).get(0).getMessage();
        assertThat(failure)
                .startsWith(
                        "[@Hot(\"loopA\") on [" + Fixture.class.getName() + ".work()]; change since the earlier run: "
                                + work.resolve("cpu-diff.html").toUri() + "] ");

        assertThat(work.resolve("cpu-diff.html")).isRegularFile();
        assertThat(EngineTestKitBase.folder(after, Fixture.class, "newInTheLaterRun()")
                        .resolve("cpu-diff.html"))
                .doesNotExist();
        Map<String, Object> summary = (Map<String, Object>) Json.parse(Files.readString(work.resolve("summary.json")));
        assertThat((List<Object>) summary.get("artifacts")).contains("cpu-diff.html");
        Map<String, Object> diff = (Map<String, Object>)
                ((Map<String, Object>) ((Map<String, Object>) summary.get("profiles")).get("cpu")).get("diff");
        assertThat(diff)
                .containsEntry("flameGraph", "cpu-diff.html")
                .containsEntry(
                        "before",
                        EngineTestKitBase.folder(before, Fixture.class, "work()")
                                .resolve("cpu.pb.gz")
                                .toString());
        // 165 million steps before, 600 million after
        assertThat(((Number) diff.get("total")).doubleValue() / ((Number) diff.get("beforeTotal")).doubleValue())
                .isGreaterThan(2);
        assertThat((Map<String, Object>) diff.get("grewMost"))
                .containsEntry("function", CompareTest.class.getName() + ".loopB");

        String index = Files.readString(after.resolve("index.html"));
        assertThat(index)
                .contains(">Change</th>")
                .containsPattern("<td class=\"change\" data-sort=\"[0-9.]+\" title=\"before [^\"]+\"><a href=\""
                        + java.util.regex.Pattern.quote("dev.jprof.junit.CompareTest$Fixture/work()/cpu-diff.html")
                        + "\">\\+[0-9.]+ m?s \\(\\+[0-9.]+%\\) cpu</a><br>"
                        + "dev\\.jprof\\.junit\\.CompareTest\\.loopB \\+[0-9.]+ pp</td>");

        // the page names the same function as the one that grew most
        Chromium chromium = Chromium.require();
        String dom = chromium.dumpDom(work.resolve("cpu-diff.html"));
        assertThat(dom).contains("data-grew-most=\"" + CompareTest.class.getName() + ".loopB\"");
    }

    @Test
    void aCompareDirectoryThatIsNotThereIsBadConfiguration() {
        EngineExecutionResults results = run(
                dir.resolve("out"),
                10,
                Map.of("jprof.compare", dir.resolve("missing").toString()));
        assertThat(EngineTestKitBase.failures(results).get(0).getMessage())
                .isEqualTo("Invalid jprof.compare [" + dir.resolve("missing")
                        + "]: not a directory; expected the output directory" + " (target/jprof) of an earlier run");
    }
}
