package dev.jprof.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.examples.regression.RunBuild;
import dev.jprof.internal.Json;
import dev.jprof.testing.Chromium;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runs of one test, the second with a regression and {@code jprof.compare} pointing at the first:
 * the second run's test folder gets {@code cpu-diff.html}, its summary names the function that grew,
 * and its run report links the diff in the Change column.
 */
class DiffIT {

    private static final String TEST = "dev.jprof.examples.regression.ReportCost/parsesAnHourOfTraffic()";

    @Test
    void theSecondRunShowsWhatGrewSinceTheFirst(@TempDir Path dir) throws Exception {
        Path before = dir.resolve("main/jprof");
        Path after = dir.resolve("branch/jprof");
        run(before, List.of());
        run(after, List.of("-Dexamples.regressed=true"), "jprof.compare=" + before);

        Path folder = after.resolve(TEST);
        assertThat(folder.resolve("cpu-diff.html")).isRegularFile();
        @SuppressWarnings("unchecked")
        Map<String, Object> summary =
                (Map<String, Object>) Json.parse(Files.readString(folder.resolve("summary.json")));
        @SuppressWarnings("unchecked")
        Map<String, Object> cpu = (Map<String, Object>) ((Map<String, Object>) summary.get("profiles")).get("cpu");
        @SuppressWarnings("unchecked")
        Map<String, Object> diff = (Map<String, Object>) cpu.get("diff");
        assertThat(diff).as(summary.toString()).isNotNull();
        assertThat(String.valueOf(diff.get("grewMost"))).contains("ReportCost.revalidate");
        assertThat(((Number) diff.get("total")).longValue())
                .isGreaterThan(((Number) diff.get("beforeTotal")).longValue());
        assertThat(Files.readString(after.resolve("index.html"))).contains("cpu-diff.html");
        // the page itself, as a browser shows it: its header names the function that grew most
        assertThat(Chromium.require().dumpDom(folder.resolve("cpu-diff.html"))).contains("ReportCost.revalidate");
    }

    private static void run(Path out, List<String> jvmArgs, String... config) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-D" + RunBuild.CLASS + "=dev.jprof.examples.regression.ReportCost"));
        command.addAll(jvmArgs);
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                RunBuild.class.getName(),
                out.resolveSibling("unused-baseline.txt").toString(),
                "jprof.output.dir=" + out));
        command.addAll(List.of(config));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
    }
}
