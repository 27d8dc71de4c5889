package dev.jprof.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.format.Jfr;
import dev.jprof.format.Pprof;
import dev.jprof.profile.ProfileKind;
import dev.jprof.testing.GoPprof;
import dev.jprof.testing.Recordings;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The published {@code jprof-core} jar, as a user runs it: {@code java -cp jprof-core.jar
 * dev.jprof.format.Jfr <in.jfr> <out-dir>} with nothing else on the class path. async-profiler's reader
 * inside it is relocated, so that a project's own {@code one.jfr} classes cannot clash with it.
 */
class JfrCommandLineIT {

    @Test
    void thePublishedJarConvertsARecordingByItself(@TempDir Path dir) throws Exception {
        Path jar = jprofCoreJar();
        try (JarFile j = new JarFile(jar.toFile())) {
            assertThat(j.getEntry("dev/jprof/internal/shaded/one/jfr/JfrReader.class"))
                    .as("relocated reader in %s", jar)
                    .isNotNull();
            assertThat(j.stream().map(e -> e.getName()).filter(n -> n.startsWith("one/")))
                    .as("no unrelocated one.* classes")
                    .isEmpty();
        }
        Path jfr = Recordings.copy(Recordings.ASYNC_PROFILER_3S, dir);
        Path out = dir.resolve("out");
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        jar.toString(),
                        Jfr.class.getName(),
                        jfr.toString(),
                        out.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("log").toFile())
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(dir.resolve("log"), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(log).isZero();
        for (String kind : List.of("cpu", "wall", "alloc", "lock")) {
            assertThat(log)
                    .contains(
                            out.resolve(kind + ".pb.gz").toString(),
                            out.resolve(kind + ".html").toString());
        }
        // the same profile as the library gives in this JVM
        assertThat(Pprof.read(out.resolve("cpu.pb.gz"))).isEqualTo(Jfr.read(jfr).get(ProfileKind.CPU));
        GoPprof.Result top = GoPprof.run("-top", out.resolve("cpu.pb.gz").toString());
        assertThat(top.exitCode()).as(top.toString()).isZero();
        assertThat(top.stderrLines()).isEmpty();
        assertThat(top.stdout()).contains("dev.jprof.testing.Recordings.hashLoop");

        Process missing = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        jar.toString(),
                        Jfr.class.getName(),
                        dir.resolve("nope.jfr").toString(),
                        out.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("log2").toFile())
                .start();
        assertThat(missing.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(missing.exitValue()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("log2")))
                .contains("Cannot read the JFR recording [" + dir.resolve("nope.jfr") + "]: no such file");
    }

    /** jprof-core as this build packaged it: after {@code package}, Maven hands the shaded jar to this module. */
    private static Path jprofCoreJar() throws URISyntaxException, IOException {
        Path where = Path.of(
                Jfr.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(where.getFileName().toString())
                .as("jprof-core on the class path of an integration test is its jar: %s", where)
                .endsWith(".jar");
        return where;
    }
}
