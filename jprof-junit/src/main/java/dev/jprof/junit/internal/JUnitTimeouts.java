package dev.jprof.junit.internal;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The timeout JUnit's own {@code TimeoutExtension} applies to a test method, read the way JUnit
 * reads it: {@code @Timeout} on the method, else on its class or the classes enclosing a
 * {@code @Nested} class, else the most specific configuration parameter; none when
 * {@value #MODE} is {@code disabled} (or {@code disabled_on_debug} under a debugger).
 */
final class JUnitTimeouts {

    static final String MODE = "junit.jupiter.execution.timeout.mode";
    static final String DEFAULT = "junit.jupiter.execution.timeout.default";
    static final String TESTABLE = "junit.jupiter.execution.timeout.testable.method.default";
    static final String TEST = "junit.jupiter.execution.timeout.test.method.default";
    static final String TEMPLATE = "junit.jupiter.execution.timeout.testtemplate.method.default";

    /** JUnit's syntax: a positive number and an optional unit (ns, μs, ms, s, m, h, d); seconds by default. */
    private static final Pattern DURATION =
            Pattern.compile("([1-9]\\d*) ?((?:[nμm]?s)|m|h|d)?", Pattern.CASE_INSENSITIVE);

    private JUnitTimeouts() {}

    /**
     * @param template whether the method is a test template ({@code @RepeatedTest}, {@code @ParameterizedTest})
     */
    static Optional<Duration> of(ExtensionContext context, Class<?> testClass, Method method, boolean template) {
        String mode = context.getConfigurationParameter(MODE)
                .map(s -> s.trim().toLowerCase(Locale.ROOT))
                .orElse("enabled");
        if (mode.equals("disabled") || (mode.equals("disabled_on_debug") && debugging())) {
            return Optional.empty();
        }
        Optional<Timeout> annotation = TestAnnotations.nearest(testClass, method, Timeout.class);
        if (annotation.isPresent()) {
            return Optional.of(Duration.ofNanos(
                    annotation.get().unit().toNanos(annotation.get().value())));
        }
        for (String key : List.of(template ? TEMPLATE : TEST, TESTABLE, DEFAULT)) {
            Optional<Duration> d = context.getConfigurationParameter(key).flatMap(JUnitTimeouts::parse);
            if (d.isPresent()) {
                return d;
            }
        }
        return Optional.empty();
    }

    /** A value in JUnit's syntax; empty when invalid (JUnit then ignores it too, with a warning). */
    static Optional<Duration> parse(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long value = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        TimeUnit u = switch (unit) {
            case "ns" -> TimeUnit.NANOSECONDS;
            case "μs" -> TimeUnit.MICROSECONDS;
            case "ms" -> TimeUnit.MILLISECONDS;
            case "m" -> TimeUnit.MINUTES;
            case "h" -> TimeUnit.HOURS;
            case "d" -> TimeUnit.DAYS;
            default -> TimeUnit.SECONDS;
        };
        return Optional.of(Duration.ofNanos(u.toNanos(value)));
    }

    private static boolean debugging() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.startsWith("-agentlib:jdwp") || a.startsWith("-Xrunjdwp"));
    }
}
