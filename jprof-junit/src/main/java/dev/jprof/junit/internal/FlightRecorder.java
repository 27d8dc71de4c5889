package dev.jprof.junit.internal;

import dev.jprof.capture.CaptureException;
import dev.jprof.capture.internal.FlightRecording;
import dev.jprof.internal.Units;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.junit.platform.engine.ConfigurationParameters;

/**
 * {@value #FLIGHT}: the run's flight recorder. One {@link FlightRecording} per test plan (in a
 * Surefire fork, one per JVM), from its start to its end; when a test fails (a JUnit timeout is a failure) its last {@value #AGE} seconds go
 * into the test's folder. Driven by {@link WholeSuite}, which the JUnit Platform loads by itself.
 */
final class FlightRecorder {

    /** {@value}: {@code on} keeps the last seconds of the run and writes them for each failing test; default {@code off}. */
    static final String FLIGHT = "jprof.flight";
    /** {@value}: how far back the files of a failing test reach; default {@value #DEFAULT_AGE}. */
    static final String AGE = "jprof.flight.age";

    static final String DEFAULT_AGE = "10s";
    /** {@value}: at most this much recording on disk; default {@value #DEFAULT_SIZE}. */
    static final String SIZE = "jprof.flight.size";

    static final String DEFAULT_SIZE = "64m";

    private static final System.Logger LOG = System.getLogger("dev.jprof");

    private FlightRecorder() {}

    /**
     * A flight recording for a test plan when {@value #FLIGHT} is {@code on}, started now, else
     * empty; a recording that cannot start is logged (the tests run on without it). The caller closes it.
     */
    static Optional<FlightRecording> start(ConfigurationParameters config) {
        Function<String, Optional<String>> get =
                k -> config.get(k).map(String::trim).filter(s -> !s.isEmpty());
        String on = get.apply(FLIGHT).orElse("off").toLowerCase(Locale.ROOT);
        if (!on.equals("on")) {
            if (!on.equals("off")) {
                LOG.log(
                        Level.WARNING,
                        "jprof: invalid " + FLIGHT + " [" + on + "]: expected on or off; the flight recorder is off");
            }
            return Optional.empty();
        }
        try {
            Duration age = Units.parseDuration(get.apply(AGE).orElse(DEFAULT_AGE), AGE);
            long size = Units.parseSize(get.apply(SIZE).orElse(DEFAULT_SIZE), SIZE);
            return Optional.of(FlightRecording.start(age, size));
        } catch (IllegalArgumentException | CaptureException e) {
            LOG.log(Level.WARNING, "jprof: " + e.getMessage() + "; the flight recorder is off");
            return Optional.empty();
        }
    }

    /** Deletes the flight files an earlier run left in a test's folder. */
    static void clear(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(FlightRecording.JFR));
        Files.deleteIfExists(dir.resolve(FlightRecording.JSON));
        Files.deleteIfExists(dir.resolve(FlightRecording.CPU));
    }

    /** Writes the flight files of a failed test into its folder; a problem is logged, never thrown (the test failed already). */
    static void write(FlightRecording flight, Path dir, String label, Thread owner) {
        try {
            flight.write(dir, label, owner);
        } catch (IOException | RuntimeException e) {
            LOG.log(
                    Level.ERROR,
                    "jprof: could not write the flight recording of the failed test [" + label + "] to [" + dir + "]: "
                            + e);
        }
    }
}
