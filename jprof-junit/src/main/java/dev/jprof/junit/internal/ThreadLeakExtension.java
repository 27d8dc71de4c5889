package dev.jprof.junit.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.jprof.capture.CaptureException;
import dev.jprof.internal.Config;
import dev.jprof.internal.Units;
import dev.jprof.junit.NoThreadLeaks;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.PatternSyntaxException;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The extension behind {@link NoThreadLeaks} and {@value #LEAKS}; users never name it.
 *
 * <p>It notes the live threads before each test ({@code BeforeEachCallback}, so before the test's
 * {@code @BeforeEach} methods) and looks for the test's threads after it ({@code AfterEachCallback},
 * after its {@code @AfterEach} methods), polling every {@value #POLL_MILLIS} ms until they have ended
 * or the grace period is over. An exception thrown there is added by JUnit to the test's own
 * failure as suppressed, so the test's failure stays the one reported.
 */
@API(status = INTERNAL, since = "0.1")
public final class ThreadLeakExtension implements BeforeEachCallback, AfterEachCallback {

    /** {@value}: {@code fail} or {@code warn}; checks every test the extension sees, and sets what {@code @NoThreadLeaks} does. */
    static final String LEAKS = "jprof.threads.leaks";
    /** {@value}: how long the check waits for a test's threads to end; default {@value #DEFAULT_GRACE}. */
    static final String GRACE = "jprof.threads.leaks.grace";

    static final String DEFAULT_GRACE = "1s";
    /** {@value}: comma-separated regular expressions on names of threads a test may leave running. */
    static final String IGNORE = "jprof.threads.leaks.ignore";

    static final long POLL_MILLIS = 10;
    /** JUnit's switch that registers the extension for every test. */
    static final String AUTODETECTION = "junit.jupiter.extensions.autodetection.enabled";

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ThreadLeakExtension.class);
    private static final System.Logger LOG = System.getLogger("dev.jprof");

    enum Mode {
        FAIL,
        WARN
    }

    /** The run's leak settings, read once. {@code mode} is {@code null} when {@value #LEAKS} is not set. */
    record LeakSettings(Mode mode, Duration grace, List<String> ignore) {

        static LeakSettings from(ExtensionContext context) {
            Mode mode = context.getConfigurationParameter(LEAKS)
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .map(v -> switch (v.toLowerCase(Locale.ROOT)) {
                        case "fail" -> Mode.FAIL;
                        case "warn" -> Mode.WARN;
                        default ->
                            throw new ExtensionConfigurationException(
                                    "Invalid " + LEAKS + " [" + v + "]: expected fail or warn");
                    })
                    .orElse(null);
            String grace = context.getConfigurationParameter(GRACE)
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .orElse(DEFAULT_GRACE);
            Duration g;
            try {
                g = Units.parseDuration(grace, GRACE);
            } catch (IllegalArgumentException e) {
                throw new ExtensionConfigurationException(
                        "Invalid " + GRACE + " [" + grace + "]: " + e.getMessage(), e);
            }
            List<String> ignore = new ArrayList<>();
            for (String p :
                    Config.split(context.getConfigurationParameter(IGNORE).orElse(""), ',')) {
                ignore.add(checked(p, IGNORE));
            }
            return new LeakSettings(mode, g, List.copyOf(ignore));
        }
    }

    /**
     * The warning for a run that sets {@value #LEAKS} without JUnit's extension auto-detection, in
     * which only tests under {@code @NoThreadLeaks} are checked; else empty.
     */
    static Optional<String> runWarning(java.util.function.Function<String, Optional<String>> config) {
        Optional<String> leaks = config.apply(LEAKS).map(String::trim).filter(s -> !s.isEmpty());
        if (leaks.isEmpty()
                || config.apply(AUTODETECTION).map(Settings::readAsJUnit).orElse(false)) {
            return Optional.empty();
        }
        return Optional.of(LEAKS + "=" + leaks.get() + " checks only tests under @NoThreadLeaks: set " + AUTODETECTION
                + "=true to check every test of the run");
    }

    /** What one test's check needs, kept in the test's store between the callbacks. */
    private record Check(Mode mode, Duration grace, ThreadLeaks leaks, ThreadLeaks.Before before) {}

    @Override
    public void beforeEach(ExtensionContext context) {
        LeakSettings settings = context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(LeakSettings.class, k -> LeakSettings.from(context), LeakSettings.class);
        Optional<NoThreadLeaks> annotation = annotation(context);
        Mode mode = settings.mode() != null ? settings.mode() : annotation.isPresent() ? Mode.FAIL : null;
        if (mode == null) {
            return;
        }
        Duration grace = settings.grace();
        List<String> ignore = new ArrayList<>(settings.ignore());
        if (annotation.isPresent()) {
            String where =
                    "@NoThreadLeaks on [" + context.getRequiredTestClass().getName() + "."
                            + context.getRequiredTestMethod().getName() + "()]";
            if (!annotation.get().grace().isBlank()) {
                try {
                    grace = Units.parseDuration(annotation.get().grace(), "grace");
                } catch (IllegalArgumentException e) {
                    throw new ExtensionConfigurationException(where + ": " + e.getMessage(), e);
                }
            }
            for (String p : annotation.get().ignore()) {
                ignore.add(checked(p, where + " ignore"));
            }
        }
        ThreadStarts.get(); // from now on, where threads start is recorded
        context.getStore(NAMESPACE)
                .put(Check.class, new Check(mode, grace, new ThreadLeaks(ignore), ThreadLeaks.Before.take()));
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Check check = context.getStore(NAMESPACE).remove(Check.class, Check.class);
        if (check == null) {
            return;
        }
        String test = TestId.label(context);
        List<ThreadLeaks.Leak> leaks;
        try {
            leaks = awaitEnd(check);
        } catch (IOException e) {
            throw new CaptureException("jprof could not check [" + test + "] for leaked threads: " + e.getMessage(), e);
        }
        if (leaks.isEmpty()) {
            return;
        }
        String message = message(test, leaks, check.grace(), startStacks(leaks));
        if (check.mode() == Mode.WARN) {
            LOG.log(Level.WARNING, "jprof: " + message);
            context.publishReportEntry(LEAKS, message);
            return;
        }
        throw new AssertionError(message);
    }

    /** The test's threads still alive at the end of the grace period; none as soon as they have all ended. */
    private static List<ThreadLeaks.Leak> awaitEnd(Check check) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + check.grace().toNanos();
        while (true) {
            List<ThreadLeaks.Leak> leaks = check.leaks().find(check.before());
            long left = deadline - System.nanoTime();
            if (leaks.isEmpty() || left <= 0) {
                return leaks;
            }
            Thread.sleep(Math.min(POLL_MILLIS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
        }
    }

    private static Map<Long, List<String>> startStacks(List<ThreadLeaks.Leak> leaks) {
        Set<Long> ids = new HashSet<>();
        leaks.stream().filter(l -> !l.virtual()).forEach(l -> ids.add(l.id()));
        try {
            return ThreadStarts.get().stacks(ids);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "jprof: could not read where the leaked threads were started: " + e);
            return Map.of();
        }
    }

    /** The failure: each thread with its state, stack now and start stack, then what to do. */
    static String message(String test, List<ThreadLeaks.Leak> leaks, Duration grace, Map<Long, List<String>> starts) {
        StringBuilder b = new StringBuilder();
        b.append('[')
                .append(test)
                .append("] left ")
                .append(leaks.size())
                .append(leaks.size() == 1 ? " thread" : " threads")
                .append(" running ")
                .append(Units.format(grace))
                .append(" after it ended:\n");
        for (ThreadLeaks.Leak l : leaks) {
            b.append("\n\"")
                    .append(l.name())
                    .append("\" #")
                    .append(l.id())
                    .append(' ')
                    .append(l.state())
                    .append(l.virtual() ? " (virtual)" : l.daemon() ? " (daemon)" : "")
                    .append('\n');
            b.append("  stack now:\n");
            frames(b, l.stack());
            b.append("  started at:\n");
            List<String> start = starts.get(l.id());
            if (start != null) {
                frames(b, start);
            } else if (l.virtual()) {
                b.append(
                        "    (not recorded: the JDK records no starter's stack for a virtual thread; its stack now begins with its task)\n");
            } else {
                String why = ThreadStarts.get().unavailable();
                b.append("    (not recorded")
                        .append(why == null ? ": the thread was started before the check began" : ": " + why)
                        .append(")\n");
            }
        }
        b.append("\nStop the threads a test starts (shut executors down and await their termination, join threads),")
                .append(" or let them run: @NoThreadLeaks(ignore = \"<name pattern>\") or ")
                .append(IGNORE)
                .append('.');
        return b.toString();
    }

    private static void frames(StringBuilder b, List<String> frames) {
        if (frames.isEmpty()) {
            b.append("    (no Java frames)\n");
        }
        for (String f : frames) {
            b.append("    at ").append(f).append('\n');
        }
    }

    private static String checked(String pattern, String where) {
        try {
            java.util.regex.Pattern.compile(pattern);
            return pattern;
        } catch (PatternSyntaxException e) {
            throw new ExtensionConfigurationException(
                    "Invalid pattern [" + pattern + "] in " + where + ": " + e.getDescription());
        }
    }

    private static Optional<NoThreadLeaks> annotation(ExtensionContext context) {
        Optional<Method> method = context.getTestMethod();
        Optional<Class<?>> testClass = context.getTestClass();
        if (method.isEmpty() || testClass.isEmpty()) {
            return Optional.empty();
        }
        return TestAnnotations.nearest(testClass.get(), method.get(), NoThreadLeaks.class);
    }
}
