package dev.jprof.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jprof.capture.ProfileOptions;
import dev.jprof.internal.Config;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.ResourceBundle;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;

/** Bad configuration and baseline files fail naming the key or file; unknown keys warn once. */
class ConfigurationTest {

    @TempDir
    Path dir;

    private static Function<String, Optional<String>> config(Map<String, String> values) {
        return key -> Optional.ofNullable(values.get(key));
    }

    @Test
    void jprofEnabledIsTrueOrFalse() {
        assertThat(Settings.from(config(Map.of(Settings.ENABLED, "False"))).enabled())
                .isFalse();
        assertThatThrownBy(() -> Settings.from(config(Map.of(Settings.ENABLED, "no"))))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Invalid jprof.enabled [no]: expected true or false");
    }

    @Test
    void awaitingArtifactsIsTrueOrFalse() {
        try {
            System.setProperty(ArtifactWrites.AWAIT_PROPERTY, " FALSE ");
            assertThat(ArtifactWrites.mustWait(dir)).isFalse();
            System.setProperty(ArtifactWrites.AWAIT_PROPERTY, "nah");
            assertThatThrownBy(() -> ArtifactWrites.mustWait(dir))
                    .hasMessage("Invalid dev.jprof.junit.awaitArtifacts [nah]: expected true or false");
        } finally {
            System.clearProperty(ArtifactWrites.AWAIT_PROPERTY);
        }
    }

    @Test
    void junitsOwnBooleansAreReadAsJUnitReadsThem() {
        assertThat(Settings.readAsJUnit(" True ")).isTrue();
        assertThat(Settings.readAsJUnit("nah")).isFalse();
    }

    @Test
    void outOfRangeIntervalsFailAsBadConfigurationNamingTheKey() {
        assertThatThrownBy(() -> Settings.from(config(Map.of(ProfileOptions.CPU_INTERVAL, "99999999999999999999ms"))))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage(
                        "Invalid duration [99999999999999999999ms] for jprof.cpu.interval: out of range, too large");
        assertThatThrownBy(() -> Settings.from(config(Map.of(ProfileOptions.ALLOC_INTERVAL, "9999999g"))))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Invalid jprof.alloc.interval [9999999g]: out of range, at most 1g");
        assertThatThrownBy(() -> Settings.from(config(Map.of(ProfileOptions.CPU_EVENT, "bogus"))))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("Invalid jprof.cpu.event [bogus]: expected an async-profiler CPU event");
    }

    @Test
    void baselineUpdateIsTrueOrFalse() {
        assertThat(Baselines.Config.from(config(Map.of(Baselines.UPDATE, " TRUE ")))
                        .update())
                .isTrue();
        assertThatThrownBy(() -> Baselines.Config.from(config(Map.of(Baselines.UPDATE, "yes"))))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Invalid jprof.baseline.update [yes]: expected true or false");
    }

    @Test
    void aBaselineLineWithoutANumberIsAnInvalidLineNamingTheFile() throws Exception {
        Path file = dir.resolve("baseline.txt");
        Files.writeString(file, "# header\na = B/op\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Baselines.load(file))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Invalid line 2 of the baseline file [" + file
                        + "]: expected <test> = <bytes> B/op, found [a = B/op]");
    }

    @Test
    void aBaselineFigureMustBeAFiniteNumberOfBytes() throws Exception {
        Path file = dir.resolve("baseline.txt");
        for (String figure : List.of("-1", "NaN", "Infinity", "1e400", "0x10", "many")) {
            Files.writeString(file, "a.B#c() = 1 B/op\na.B#d() = " + figure + " B/op\n", StandardCharsets.UTF_8);
            assertThatThrownBy(() -> Baselines.load(file))
                    .as(figure)
                    .isInstanceOf(ExtensionConfigurationException.class)
                    .hasMessage("Invalid number on line 2 of the baseline file [" + file
                            + "]: expected bytes >= 0, found [a.B#d() = " + figure + " B/op]");
        }
        Files.writeString(file, "a.B#c() = 1.5 B/op\na.B#d() = 0 B/op\n", StandardCharsets.UTF_8);
        assertThat(Baselines.load(file).get("a.B#c()")).contains(1.5);
    }

    @Test
    void unknownKeysFromSystemPropertiesAndThePropertiesFileWarnOnceNamingTheNearestKey() {
        Properties system = new Properties();
        system.setProperty("jprof.cpu.intreval", "1ms");
        system.setProperty("jprof.enabled", "true");
        system.setProperty("java.version", "17");
        Properties file = new Properties();
        file.setProperty("jprof.baseline.updte", "true");
        assertThat(UnknownKeys.warnings(system, file))
                .containsExactly(
                        "Unknown configuration key [jprof.baseline.updte]: jprof does not read it; did you mean [jprof.baseline.update]?",
                        "Unknown configuration key [jprof.cpu.intreval]: jprof does not read it; did you mean [jprof.cpu.interval]?");

        RecordingLogger logger = new RecordingLogger();
        UnknownKeys keys = new UnknownKeys();
        keys.check(system, logger);
        keys.check(system, logger);
        assertThat(logger.warnings)
                .as("once per JVM")
                .containsExactly(
                        "jprof: Unknown configuration key [jprof.cpu.intreval]: jprof does not read it; did you mean [jprof.cpu.interval]?");
    }

    @Test
    void everyKeyTheModulesReadIsInTheOneList() {
        assertThat(Config.KNOWN_KEYS)
                .contains(
                        Settings.ENABLED,
                        Settings.OUTPUT_DIR,
                        Baselines.FILE,
                        Baselines.UPDATE,
                        Baselines.TOLERANCE_BYTES,
                        Baselines.TOLERANCE_PERCENT,
                        Baselines.MISSING,
                        AllocationLimits.SITES);
    }

    /** Collects WARNING messages. */
    private static final class RecordingLogger implements System.Logger {
        final List<String> warnings = new ArrayList<>();

        @Override
        public String getName() {
            return "dev.jprof";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            if (level == Level.WARNING) {
                warnings.add(msg);
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (level == Level.WARNING) {
                warnings.add(format);
            }
        }
    }
}
