package dev.jprof.jmh;

import dev.jprof.capture.Engine;
import dev.jprof.capture.ProfileOptions;
import dev.jprof.internal.Config;
import dev.jprof.internal.Units;
import dev.jprof.profile.ProfileKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The options of {@code -prof dev.jprof.jmh.JprofProfiler:<options>}: {@code key=value} pairs separated
 * by {@code ;}, each described and parsed into a typed value. Unknown keys are rejected.
 */
final class ProfilerOptions {

    /** One described, typed option. */
    private record Option<T>(
            String name, String valueForm, String description, String defaultText, Function<String, T> parser) {}

    private static final Option<Set<ProfileKind>> EVENTS = new Option<>(
            "events",
            "<kinds>",
            "Profiles to capture during measurement iterations: a comma-separated list of cpu, alloc, lock, wall,"
                    + " or none for the allocation figures only.",
            "cpu",
            ProfilerOptions::parseEvents);
    private static final Option<Path> DIR = new Option<>(
            "dir",
            "<path>",
            "Folder of the artifacts; each benchmark writes to <dir>/<benchmark>/<params>/.",
            "target/jprof/jmh",
            Path::of);
    private static final Option<Duration> INTERVAL = new Option<>(
            "interval",
            "<duration>",
            "CPU and wall-clock sampling interval, for example 1ms or 500us.",
            "3ms",
            v -> Units.parseDuration(v, "interval"));
    private static final Option<Long> ALLOC_INTERVAL = new Option<>(
            "allocInterval",
            "<bytes>",
            "Bytes between samples of the alloc profile, for example 128k.",
            "4m",
            v -> Units.parseSize(v, "allocInterval"));
    private static final Option<Boolean> OBJECTS = new Option<>(
            "objects",
            "<bool>",
            "Count every allocation to report jprof.alloc.objects.norm (objects/op); costs ~250x per allocation, so the"
                    + " scores of such a run are not comparable. Without it, objects/op is NaN.",
            "false",
            v -> Config.parseBoolean(v, "objects"));
    private static final Option<Integer> TOP = new Option<>(
            "top",
            "<n>",
            "Hot functions listed in the jprof.cpu.top text result (0 for none).",
            "10",
            v -> parseCount(v, "top"));
    private static final Option<Engine> ENGINE = new Option<>(
            "engine",
            "<engine>",
            "Capture engine: auto (async-profiler, else JFR), async-profiler or jfr.",
            "auto",
            Engine::fromId);

    /** async-profiler's allocation interval that records every allocation (0 would mean its default). */
    static final long EVERY_ALLOCATION = 1;

    private static final List<Option<?>> ALL = List.of(EVENTS, DIR, INTERVAL, ALLOC_INTERVAL, OBJECTS, TOP, ENGINE);

    private final Set<ProfileKind> events;
    private final Path dir;
    private final Duration interval;
    private final long allocInterval;
    private final boolean objects;
    private final int top;
    private final Engine engine;

    private ProfilerOptions(Map<String, String> values) {
        this.events = value(EVENTS, values);
        this.dir = value(DIR, values);
        this.interval = value(INTERVAL, values);
        this.allocInterval = value(ALLOC_INTERVAL, values);
        this.objects = value(OBJECTS, values);
        this.top = value(TOP, values);
        this.engine = value(ENGINE, values);
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("Invalid interval [" + Units.format(interval) + "]: must be positive");
        }
    }

    private static <T> T value(Option<T> option, Map<String, String> values) {
        String text = values.getOrDefault(option.name, option.defaultText);
        try {
            return option.parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid value for option [" + option.name + "]: " + e.getMessage(), e);
        }
    }

    /** Thrown for {@code help} and for bad options; the message is what JMH prints. */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message);
        }
    }

    /**
     * Parses an init line such as {@code events=cpu,alloc;dir=target/prof}; {@code null} or empty gives
     * the defaults.
     *
     * @throws Invalid with the help text for {@code help}, and naming the offending option otherwise
     */
    public static ProfilerOptions parse(String initLine) throws Invalid {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        if (initLine != null) {
            for (String part : Config.split(initLine, ';')) {
                int eq = part.indexOf('=');
                String key = (eq < 0 ? part : part.substring(0, eq)).trim();
                String value = eq < 0 ? "" : part.substring(eq + 1).trim();
                if (key.equals("help")) {
                    throw new Invalid(help());
                }
                if (ALL.stream().noneMatch(o -> o.name.equals(key))) {
                    unknown.add(part.trim());
                } else if (eq < 0) {
                    throw new Invalid("Option [" + key + "] needs a value: " + key + "=" + optionFor(key).valueForm
                            + "\n\n" + help());
                } else {
                    values.put(key, value);
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new Invalid("Unhandled options: " + unknown + "\n\n" + help());
        }
        try {
            return new ProfilerOptions(values);
        } catch (IllegalArgumentException e) {
            throw new Invalid(e.getMessage() + "\n\n" + help());
        }
    }

    private static Option<?> optionFor(String key) {
        return ALL.stream().filter(o -> o.name.equals(key)).findFirst().orElseThrow();
    }

    /** The help text: usage and every option with its default. */
    public static String help() {
        StringBuilder b = new StringBuilder("Usage: -prof dev.jprof.jmh.JprofProfiler:opt1=value1;opt2=value2\n\n");
        b.append("jprof: pprof profiles and flame graphs of the measurement iterations of every fork, and exact\n")
                .append("allocation per operation (jprof.alloc.norm, B/op).\n\nOptions:\n");
        for (Option<?> o : ALL) {
            String head = "  " + o.name + "=" + o.valueForm;
            b.append(String.format(Locale.ROOT, "%-26s %s (default: %s)%n", head, o.description, o.defaultText));
        }
        return b.toString();
    }

    private static Set<ProfileKind> parseEvents(String text) {
        Set<ProfileKind> kinds = EnumSet.noneOf(ProfileKind.class);
        for (String id : Config.split(text, ',')) {
            if (!id.equalsIgnoreCase("none")) {
                kinds.add(ProfileKind.fromId(id));
            }
        }
        return kinds;
    }

    private static int parseCount(String text, String what) {
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("[" + text + "] is not a count for " + what + ": expected 0 or more");
    }

    /** The kinds of profile to write; empty for figures only. */
    public Set<ProfileKind> events() {
        return events;
    }

    public Path dir() {
        return dir;
    }

    public Duration interval() {
        return interval;
    }

    public boolean objects() {
        return objects;
    }

    public int top() {
        return top;
    }

    public Engine engine() {
        return engine;
    }

    /**
     * What to capture in a measurement iteration: the profiled events, plus an alloc profile counting
     * every allocation when objects are counted. Empty kinds when nothing is captured.
     */
    public ProfileOptions capture(List<String> rootFunctions) {
        Set<ProfileKind> kinds = EnumSet.noneOf(ProfileKind.class);
        kinds.addAll(events);
        if (objects) {
            kinds.add(ProfileKind.ALLOC);
        }
        return ProfileOptions.of()
                .withKinds(kinds)
                .withCpuInterval(interval)
                .withWallInterval(interval)
                .withAllocInterval(objects ? EVERY_ALLOCATION : allocInterval)
                .withEngine(objects ? Engine.ASYNC_PROFILER : engine)
                .withRootFunctions(rootFunctions);
    }
}
