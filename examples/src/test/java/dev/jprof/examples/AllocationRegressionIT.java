package dev.jprof.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An allocation regression fails the build: a separate JVM runs a test whose committed baseline is
 * lower than what the code now allocates, and must exit with a failure that names the old figure,
 * the new one and the sites; {@code -Djprof.baseline.update=true} then rewrites the baseline and the
 * build passes.
 */
class AllocationRegressionIT {

    static final String KEY = "dev.jprof.examples.regression.RegressedRouting#routesARequest()";

    record Build(int exit, String output) {}

    static Build build(Path baseline, String... config) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.jprof.examples.regression.RunBuild",
                baseline.toString()));
        cmd.addAll(List.of(config));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Build(p.exitValue(), out);
    }

    @Test
    void aRegressionFailsTheBuildWithOldAndNewFiguresAndTheSites(@TempDir Path dir) throws Exception {
        Path baseline = dir.resolve("jprof-baseline.txt");
        Files.writeString(baseline, KEY + " = 16 B/op\n");

        Build failed = build(baseline, "jprof.baseline.tolerance.percent=0");
        assertThat(failed.exit()).as(failed.output()).isEqualTo(1);
        assertThat(failed.output())
                .contains(
                        "[ERROR] routesARequest() Expecting RegressedRouting.routesARequest() to allocate at most 16 B/op"
                                + " (baseline 16 B/op + tolerance)\nbut it allocated ")
                .containsPattern("B/op  +\\d+ objects/op  .+  <- .*Router\\.(route|match)")
                .contains("Baseline: [" + baseline + "], entry [" + KEY
                        + "]. If the new figure is intended, update it with"
                        + " -Djprof.baseline.update=true and commit the file.")
                .contains("Tests run: 1, Failures: 1");

        Build updated = build(baseline, "jprof.baseline.update=true");
        assertThat(updated.exit()).as(updated.output()).isZero();
        assertThat(Files.readString(baseline))
                .containsPattern(KEY.replace("(", "\\(").replace(")", "\\)") + " = \\d+ B/op\n");

        Build again = build(baseline);
        assertThat(again.exit()).as(again.output()).isZero();
    }
}
