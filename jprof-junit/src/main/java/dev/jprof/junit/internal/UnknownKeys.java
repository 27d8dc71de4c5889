package dev.jprof.junit.internal;

import dev.jprof.internal.Config;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Warns, once per JVM, about {@code jprof.*} keys that jprof does not read (typos such as
 * {@code jprof.cpu.intreval}), naming the nearest known key. It looks where JUnit's configuration
 * parameters come from that can be listed: system properties and {@value #PROPERTIES_FILE} on the
 * class path (parameters passed to the launcher directly cannot be listed).
 */
final class UnknownKeys {

    /** JUnit Platform's configuration file on the class path. */
    static final String PROPERTIES_FILE = "junit-platform.properties";

    private static final UnknownKeys JVM = new UnknownKeys();

    private final AtomicBoolean checked = new AtomicBoolean();

    /** Checks this JVM's system properties and {@value #PROPERTIES_FILE}, the first time only. */
    static void warnOnce() {
        JVM.check(System.getProperties(), System.getLogger("dev.jprof"));
    }

    /** Logs a warning per unknown key of {@code system} and the properties file, unless this instance did already. */
    void check(Properties system, System.Logger logger) {
        if (!checked.compareAndSet(false, true)) {
            return;
        }
        try {
            warnings(system, classPathProperties()).forEach(w -> logger.log(Level.WARNING, "jprof: " + w));
        } catch (RuntimeException e) {
            // a check that only warns must never fail a run
            logger.log(Level.DEBUG, "jprof: cannot check the configuration keys", e);
        }
    }

    static List<String> warnings(Properties system, Properties file) {
        Set<String> present = new TreeSet<>(system.stringPropertyNames());
        present.addAll(file.stringPropertyNames());
        return Config.unknownKeyWarnings(Config.KNOWN_KEYS, present);
    }

    private static Properties classPathProperties() {
        Properties p = new Properties();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = UnknownKeys.class.getClassLoader();
        }
        try (InputStream in = loader.getResourceAsStream(PROPERTIES_FILE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException | IllegalArgumentException e) {
            // JUnit itself reports an unreadable file
        }
        return p;
    }
}
