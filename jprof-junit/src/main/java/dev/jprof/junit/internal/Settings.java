package dev.jprof.junit.internal;

import dev.jprof.capture.ProfileOptions;
import dev.jprof.capture.internal.Recorder;
import dev.jprof.internal.Config;
import dev.jprof.profile.ProfileKind;
import dev.jprof.trace.SliceKind;
import dev.jprof.trace.TraceOptions;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Run-wide configuration, read once per run from JUnit configuration parameters (which fall back
 * to system properties and {@code junit-platform.properties}).
 *
 * @param suiteKinds the profile kinds {@value #PROFILE} turns on for every test
 * @param suiteTrace the trace {@value #PROFILE} turns on for every test ({@code trace} or {@code block}), or {@code null}
 * @param suiteTraces whether every test gets {@code trace.jfr} and {@code trace.json}
 * @param suiteBlock whether every test gets {@code block.pb.gz}
 * @param suiteIo whether every test gets {@code io.pb.gz}
 * @param scope which threads a test's profile holds
 * @param compare the output directory of a previous run to compare profiles with ({@value Comparisons#COMPARE}), or {@code null}
 */
record Settings(
        boolean enabled,
        Path outputDir,
        ProfileOptions defaults,
        TraceOptions traceDefaults,
        Set<ProfileKind> suiteKinds,
        TraceOptions suiteTrace,
        boolean suiteTraces,
        boolean suiteBlock,
        boolean suiteIo,
        Recorder.Scope scope,
        Path compare) {

    /** The slices of a block profile ({@code @ProfileBlock}, {@code block}). */
    static final Set<SliceKind> BLOCK_SLICES = EnumSet.of(SliceKind.BLOCKED, SliceKind.WAITING, SliceKind.PARKED);
    /** The slices of an I/O profile ({@code @ProfileIO}, {@code io}). */
    static final Set<SliceKind> IO_SLICES =
            EnumSet.of(SliceKind.SOCKET_READ, SliceKind.SOCKET_WRITE, SliceKind.FILE_READ, SliceKind.FILE_WRITE);

    /** Turns profiling off for the run: {@value}, default {@code true}. */
    static final String ENABLED = "jprof.enabled";
    /** Where artifacts go: {@value}, default {@code target/jprof}; a relative path is resolved against Maven's {@code basedir}. */
    static final String OUTPUT_DIR = "jprof.output.dir";

    static final String DEFAULT_OUTPUT_DIR = "target/jprof";
    /**
     * Profiles every test of the run, with no annotation: {@value}, a comma-separated list of
     * {@code cpu}, {@code wall}, {@code alloc}, {@code lock}, {@code block}, {@code io} and {@code trace}; default none.
     */
    static final String PROFILE = "jprof.profile";
    /**
     * Which threads a test's profile holds: {@value}; {@code test} (default) leaves out the JVM's own
     * threads (JIT compilers, garbage collectors, Flight Recorder), {@code all} keeps them.
     */
    static final String THREADS = "jprof.threads";
    /** JUnit's switch for parallel execution; when on, a test's profile holds only its own threads. */
    static final String PARALLEL = "junit.jupiter.execution.parallel.enabled";

    static Settings from(Function<String, Optional<String>> config) {
        UnknownKeys.warnOnce(); // jprof.* keys nobody reads: a warning per JVM, naming the nearest known key
        Function<String, Optional<String>> nonBlank =
                key -> config.apply(key).map(String::trim).filter(s -> !s.isEmpty());
        boolean enabled =
                nonBlank.apply(ENABLED).map(v -> parseBoolean(v, ENABLED)).orElse(true);
        Path dir = directory(OUTPUT_DIR, nonBlank.apply(OUTPUT_DIR).orElse(DEFAULT_OUTPUT_DIR));
        Path compare = nonBlank.apply(Comparisons.COMPARE)
                .map(v -> directory(Comparisons.COMPARE, v))
                .orElse(null);
        if (compare != null && !java.nio.file.Files.isDirectory(compare)) {
            throw new ExtensionConfigurationException("Invalid " + Comparisons.COMPARE + " [" + compare
                    + "]: not a directory;" + " expected the output directory (target/jprof) of an earlier run");
        }
        ProfileOptions defaults;
        TraceOptions traceDefaults;
        try {
            defaults = ProfileOptions.defaults(nonBlank);
            traceDefaults = TraceOptions.defaults(nonBlank);
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException(e.getMessage(), e);
        }
        Set<ProfileKind> kinds = EnumSet.noneOf(ProfileKind.class);
        boolean traces = false;
        boolean block = false;
        boolean io = false;
        String profile = nonBlank.apply(PROFILE).orElse("");
        for (String part : Config.split(profile, ',')) {
            String id = part.toLowerCase(Locale.ROOT);
            switch (id) {
                case "trace" -> traces = true;
                case "block" -> block = true;
                case "io" -> io = true;
                default -> {
                    try {
                        kinds.add(ProfileKind.fromId(id));
                    } catch (IllegalArgumentException e) {
                        throw new ExtensionConfigurationException(
                                "Invalid " + PROFILE + " [" + profile + "]: unknown kind [" + part.trim()
                                        + "]; expected any of cpu, wall, alloc, lock, block, io, trace");
                    }
                }
            }
        }
        Set<SliceKind> slices = EnumSet.noneOf(SliceKind.class);
        if (block) {
            slices.addAll(BLOCK_SLICES);
        }
        if (io) {
            slices.addAll(IO_SLICES);
        }
        TraceOptions suiteTrace = traces ? traceDefaults : slices.isEmpty() ? null : traceDefaults.withKinds(slices);
        boolean parallel = nonBlank.apply(PARALLEL).map(Settings::readAsJUnit).orElse(false);
        String threads = nonBlank.apply(THREADS).orElse("test");
        Recorder.Scope scope = switch (threads.toLowerCase(Locale.ROOT)) {
            case "test" -> parallel ? Recorder.Scope.OWN : Recorder.Scope.APPLICATION;
            case "all" -> Recorder.Scope.ALL;
            default ->
                throw new ExtensionConfigurationException(
                        "Invalid " + THREADS + " [" + threads + "]: expected test or all");
        };
        return new Settings(
                enabled,
                dir.normalize(),
                defaults,
                traceDefaults,
                kinds,
                suiteTrace,
                traces,
                block,
                io,
                scope,
                compare);
    }

    /** The directory {@code text} of {@code key}; a relative path is resolved against Maven's {@code basedir}. */
    private static Path directory(String key, String text) {
        Path dir;
        try {
            dir = Path.of(text);
        } catch (InvalidPathException e) {
            throw new ExtensionConfigurationException("Invalid " + key + " [" + text + "]: " + e.getMessage(), e);
        }
        if (!dir.isAbsolute()) {
            String basedir = System.getProperty("basedir");
            dir = basedir != null ? Path.of(basedir).resolve(dir) : dir.toAbsolutePath();
        }
        return dir.normalize();
    }

    /** Whether {@value #PROFILE} profiles every test. */
    boolean wholeSuite() {
        return enabled && (!suiteKinds.isEmpty() || suiteTrace != null);
    }

    /**
     * A boolean of JUnit's own ({@code junit.jupiter.execution.parallel.enabled},
     * {@code junit.jupiter.extensions.autodetection.enabled}) read as JUnit reads it, {@code true} in any
     * case and anything else {@code false}: jprof must see the run JUnit runs, so it cannot be stricter.
     * jprof's own keys go through {@link #parseBoolean}.
     */
    static boolean readAsJUnit(String v) {
        return v.strip().equalsIgnoreCase("true");
    }

    /** jprof's one boolean parser ({@link Config#parseBoolean}), failing as bad configuration. */
    static boolean parseBoolean(String v, String key) {
        try {
            return Config.parseBoolean(v, key);
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException(e.getMessage(), e);
        }
    }
}
