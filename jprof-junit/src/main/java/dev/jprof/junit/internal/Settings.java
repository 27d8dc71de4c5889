package dev.jprof.junit.internal;

import dev.jprof.capture.ProfileOptions;
import dev.jprof.internal.Config;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Run-wide configuration, read once per run from JUnit configuration parameters (which fall back
 * to system properties and {@code junit-platform.properties}).
 */
record Settings(boolean enabled, Path outputDir, ProfileOptions defaults) {

    /** Turns profiling off for the run: {@value}, default {@code true}. */
    static final String ENABLED = "jprof.enabled";
    /** Where artifacts go: {@value}, default {@code target/jprof}; a relative path is resolved against Maven's {@code basedir}. */
    static final String OUTPUT_DIR = "jprof.output.dir";
    static final String DEFAULT_OUTPUT_DIR = "target/jprof";

    static Settings from(Function<String, Optional<String>> config) {
        UnknownKeys.warnOnce(); // jprof.* keys nobody reads: a warning per JVM, naming the nearest known key
        Function<String, Optional<String>> nonBlank = key -> config.apply(key).map(String::trim).filter(s -> !s.isEmpty());
        boolean enabled = nonBlank.apply(ENABLED).map(v -> parseBoolean(v, ENABLED)).orElse(true);
        Path dir;
        String dirText = nonBlank.apply(OUTPUT_DIR).orElse(DEFAULT_OUTPUT_DIR);
        try {
            dir = Path.of(dirText);
        } catch (InvalidPathException e) {
            throw new ExtensionConfigurationException("Invalid " + OUTPUT_DIR + " [" + dirText + "]: " + e.getMessage(), e);
        }
        if (!dir.isAbsolute()) {
            String basedir = System.getProperty("basedir");
            dir = basedir != null ? Path.of(basedir).resolve(dir) : dir.toAbsolutePath();
        }
        ProfileOptions defaults;
        try {
            defaults = ProfileOptions.defaults(nonBlank);
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException(e.getMessage(), e);
        }
        return new Settings(enabled, dir.normalize(), defaults);
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
