package dev.jprof.capture;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.internal.Units;
import dev.jprof.profile.ProfileKind;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * What to capture and how: the kinds of profile, their sampling intervals and the engine.
 *
 * <p>Immutable; every {@code with…} method returns a copy. Defaults come from
 * {@link #defaults(Function)}, which reads the {@code jprof.*} keys below.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ProfileOptions {

    /** The capture engine: {@value}, one of {@code auto} (default), {@code async-profiler}, {@code jfr}. */
    public static final String ENGINE = "jprof.engine";
    /** CPU sampling interval: {@value}, default {@code 3ms}, at most {@code 1s}. */
    public static final String CPU_INTERVAL = "jprof.cpu.interval";
    /**
     * async-profiler's CPU sampling event: {@value}, default {@code ctimer} on Linux at the default interval
     * or a longer one, {@code cpu} at a shorter one (which {@code ctimer} cannot honour, see below) and on other
     * systems, where async-profiler has no {@code ctimer}. {@code ctimer} is a CPU-time timer per thread
     * ({@code timer_create}), as Go's profiler uses, and needs no {@code perf_event_paranoid} setting: on this
     * project's virtual machine a CPU-bound body sampled every 3 ms with it ran 1.019× to 1.021× as long as
     * bare, against 1.048× with {@code cpu}'s perf events ({@code SamplingCost}). It fires at most once per
     * kernel tick (often 4 ms) however short the interval; jprof then weighs each sample by the measured CPU
     * time of the profiled thread. {@code cpu} (perf events where the kernel allows them, else async-profiler
     * falls back to {@code ctimer}/{@code itimer} by itself) is the one that shows kernel frames. Other
     * accepted values: {@code itimer}, perf events ({@code cycles}, {@code cache-misses}...), raw PMU events
     * ({@code r4f2e}, {@code cpu/.../}) and tracepoints or probes ({@code sched:sched_switch}); any other
     * word is an error naming this key.
     */
    public static final String CPU_EVENT = "jprof.cpu.event";
    /** Wall-clock sampling interval: {@value}, default {@code 5ms}, at most {@code 1s}. */
    public static final String WALL_INTERVAL = "jprof.wall.interval";
    /** Allocation sampling interval in bytes: {@value}, default {@code 4m}, at most {@code 1g} (async-profiler only). */
    public static final String ALLOC_INTERVAL = "jprof.alloc.interval";
    /** Shortest lock wait recorded: {@value}, default {@code 0} (every contended acquisition). */
    public static final String LOCK_THRESHOLD = "jprof.lock.threshold";

    /**
     * 3 ms: with {@code ctimer} (the Linux default) a CPU-bound body runs 1.02× as long on this project's 2-vCPU
     * virtual machine ({@code SamplingCost}); on a kernel with HZ=250 the timer fires once per 4 ms tick. With
     * perf events ({@code cpu}) a sample cost the sampled thread about 40 µs on the machine this was first
     * measured on (1.04× at 1 ms, 1.01× at 3 ms) and about 150 µs on the next one (1.05× at 3 ms).
     */
    static final Duration DEFAULT_CPU_INTERVAL = Duration.ofMillis(3);

    private static final boolean LINUX = System.getProperty("os.name", "").startsWith("Linux");

    /**
     * The event sampled when none is set: {@code ctimer} on Linux at the default interval or a longer one;
     * {@code cpu} (perf events) at a shorter one, which {@code ctimer} cannot honour since it fires at most once
     * per kernel tick, and on other systems. See {@link #CPU_EVENT}.
     */
    static String defaultCpuEvent(Duration interval) {
        return LINUX && interval.compareTo(DEFAULT_CPU_INTERVAL) >= 0 ? "ctimer" : "cpu";
    }

    /**
     * async-profiler's timer events and the perf events it knows by name (besides these: raw events
     * {@code rNNN}, PMU descriptors with {@code /} and tracepoints or probes with {@code :}).
     */
    private static final Set<String> CPU_EVENTS = Set.of(
            "cpu",
            "itimer",
            "ctimer",
            "cpu-clock",
            "task-clock",
            "page-faults",
            "minor-faults",
            "major-faults",
            "context-switches",
            "cpu-migrations",
            "alignment-faults",
            "emulation-faults",
            "cycles",
            "instructions",
            "cache-references",
            "cache-misses",
            "branch-instructions",
            "branches",
            "branch-misses",
            "bus-cycles",
            "ref-cycles",
            "stalled-cycles-frontend",
            "stalled-cycles-backend",
            "L1-dcache-load-misses",
            "L1-dcache-loads",
            "LLC-load-misses",
            "LLC-loads",
            "dTLB-load-misses",
            "iTLB-load-misses");

    private static final java.util.regex.Pattern OTHER_EVENT = java.util.regex.Pattern.compile(
            "r[0-9a-fA-F]+|[A-Za-z0-9_.-]+/[A-Za-z0-9_.,=/-]*|[A-Za-z0-9_-]+:[A-Za-z0-9_.:+-]+");
    /** The longest CPU or wall-clock sampling interval: a longer one would leave most tests without a sample. */
    static final Duration MAX_SAMPLING_INTERVAL = Duration.ofSeconds(1);
    /** The longest allocation sampling interval, 1 GiB: a longer one would leave most tests without a sample. */
    static final long MAX_ALLOC_INTERVAL = 1L << 30;

    static final Duration DEFAULT_WALL_INTERVAL = Duration.ofMillis(5);
    /**
     * 4 MiB: an allocation sample costs about 30 µs, so that a body allocating 1.4 GB/s runs 1.12× as long at
     * 128 KiB, 1.06× at 512 KiB, 1.024× at 2 MiB and 1.011× at 4 MiB ({@code SamplingCost}); a body allocating
     * less pays less. Sampled assertions repeat the body until they can decide.
     */
    static final long DEFAULT_ALLOC_INTERVAL = 4 * 1024 * 1024;

    static final Duration DEFAULT_LOCK_THRESHOLD = Duration.ZERO;

    private final Set<ProfileKind> kinds;
    private final Duration cpuInterval;
    private final String cpuEvent;
    private final Duration wallInterval;
    private final long allocInterval;
    private final Duration lockThreshold;
    private final Engine engine;
    private final List<String> rootFunctions;

    private ProfileOptions(
            Set<ProfileKind> kinds,
            Duration cpuInterval,
            String cpuEvent,
            Duration wallInterval,
            long allocInterval,
            Duration lockThreshold,
            Engine engine,
            List<String> rootFunctions) {
        this.kinds = Collections.unmodifiableSet(
                kinds.isEmpty() ? EnumSet.noneOf(ProfileKind.class) : EnumSet.copyOf(kinds));
        this.cpuInterval = requireInterval(cpuInterval, CPU_INTERVAL);
        if (cpuEvent != null
                && !CPU_EVENTS.contains(cpuEvent)
                && !OTHER_EVENT.matcher(cpuEvent).matches()) {
            throw new IllegalArgumentException(
                    "Invalid " + CPU_EVENT + " [" + cpuEvent + "]: expected an async-profiler CPU event:"
                            + " cpu, ctimer or itimer, a perf event such as cycles or cache-misses, or a tracepoint such as sched:sched_switch");
        }
        this.cpuEvent = cpuEvent; // null: the default for the interval, defaultCpuEvent
        this.wallInterval = requireInterval(wallInterval, WALL_INTERVAL);
        if (allocInterval < 0) {
            throw new IllegalArgumentException(
                    "Invalid " + ALLOC_INTERVAL + " [" + allocInterval + "]: must not be negative");
        }
        if (allocInterval > MAX_ALLOC_INTERVAL) {
            throw new IllegalArgumentException("Invalid " + ALLOC_INTERVAL + " [" + Units.formatSize(allocInterval)
                    + "]: out of range, at most " + Units.formatSize(MAX_ALLOC_INTERVAL));
        }
        this.allocInterval = allocInterval;
        if (lockThreshold.isNegative()) {
            throw new IllegalArgumentException(
                    "Invalid " + LOCK_THRESHOLD + " [" + lockThreshold + "]: must not be negative");
        }
        this.lockThreshold = lockThreshold;
        this.engine = Objects.requireNonNull(engine, "engine");
        this.rootFunctions = List.copyOf(rootFunctions);
    }

    private static Duration requireInterval(Duration d, String what) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("Invalid " + what + " [" + Units.format(d) + "]: must be positive");
        }
        if (d.compareTo(MAX_SAMPLING_INTERVAL) > 0) {
            throw new IllegalArgumentException("Invalid " + what + " [" + Units.format(d) + "]: out of range, at most "
                    + Units.format(MAX_SAMPLING_INTERVAL));
        }
        return d;
    }

    /** Options for {@code kinds} with the built-in defaults and {@link Engine#AUTO}. */
    public static ProfileOptions of(ProfileKind... kinds) {
        Set<ProfileKind> set = EnumSet.noneOf(ProfileKind.class);
        Collections.addAll(set, kinds);
        return new ProfileOptions(
                set,
                DEFAULT_CPU_INTERVAL,
                null,
                DEFAULT_WALL_INTERVAL,
                DEFAULT_ALLOC_INTERVAL,
                DEFAULT_LOCK_THRESHOLD,
                Engine.AUTO,
                List.of());
    }

    /**
     * Options with no kinds yet, whose intervals and engine come from {@code config} (for example
     * {@code System::getProperty}, or JUnit's configuration parameters), falling back to the
     * built-in defaults.
     *
     * @throws IllegalArgumentException naming the key whose value is invalid
     */
    public static ProfileOptions defaults(Function<String, Optional<String>> config) {
        ProfileOptions o = of();
        o = config.apply(ENGINE).map(Engine::fromId).map(o::withEngine).orElse(o);
        o = config.apply(CPU_INTERVAL)
                .map(v -> Units.parseDuration(v, CPU_INTERVAL))
                .map(o::withCpuInterval)
                .orElse(o);
        o = config.apply(CPU_EVENT).map(String::trim).map(o::withCpuEvent).orElse(o);
        o = config.apply(WALL_INTERVAL)
                .map(v -> Units.parseDuration(v, WALL_INTERVAL))
                .map(o::withWallInterval)
                .orElse(o);
        o = config.apply(ALLOC_INTERVAL)
                .map(v -> Units.parseSize(v, ALLOC_INTERVAL))
                .map(o::withAllocInterval)
                .orElse(o);
        o = config.apply(LOCK_THRESHOLD)
                .map(v -> Units.parseDuration(v, LOCK_THRESHOLD))
                .map(o::withLockThreshold)
                .orElse(o);
        return o;
    }

    /** Options from the {@code jprof.*} system properties. */
    public static ProfileOptions fromSystemProperties() {
        return defaults(key -> Optional.ofNullable(System.getProperty(key)).filter(s -> !s.isBlank()));
    }

    public Set<ProfileKind> kinds() {
        return kinds;
    }

    public Duration cpuInterval() {
        return cpuInterval;
    }

    /**
     * The async-profiler event sampled for CPU profiles, for example {@code ctimer}: the one set, else the
     * default for {@link #cpuInterval()} (see {@link #CPU_EVENT}).
     */
    public String cpuEvent() {
        return cpuEvent != null ? cpuEvent : defaultCpuEvent(cpuInterval);
    }

    public Duration wallInterval() {
        return wallInterval;
    }

    /** Bytes between allocation samples; {@code 0} records every allocation (slow: for attribution only). */
    public long allocInterval() {
        return allocInterval;
    }

    public Duration lockThreshold() {
        return lockThreshold;
    }

    public Engine engine() {
        return engine;
    }

    /** A copy that captures exactly {@code kinds}. */
    public ProfileOptions withKinds(Set<ProfileKind> kinds) {
        return new ProfileOptions(
                kinds, cpuInterval, cpuEvent, wallInterval, allocInterval, lockThreshold, engine, rootFunctions);
    }

    public ProfileOptions withCpuInterval(Duration interval) {
        return new ProfileOptions(
                kinds, interval, cpuEvent, wallInterval, allocInterval, lockThreshold, engine, rootFunctions);
    }

    /** A copy sampling CPU with async-profiler event {@code event} ({@code ctimer}, {@code cpu}, {@code itimer}...). */
    public ProfileOptions withCpuEvent(String event) {
        Objects.requireNonNull(event, "event");
        return new ProfileOptions(
                kinds, cpuInterval, event, wallInterval, allocInterval, lockThreshold, engine, rootFunctions);
    }

    public ProfileOptions withWallInterval(Duration interval) {
        return new ProfileOptions(
                kinds, cpuInterval, cpuEvent, interval, allocInterval, lockThreshold, engine, rootFunctions);
    }

    public ProfileOptions withAllocInterval(long bytes) {
        return new ProfileOptions(
                kinds, cpuInterval, cpuEvent, wallInterval, bytes, lockThreshold, engine, rootFunctions);
    }

    public ProfileOptions withLockThreshold(Duration threshold) {
        return new ProfileOptions(
                kinds, cpuInterval, cpuEvent, wallInterval, allocInterval, threshold, engine, rootFunctions);
    }

    public ProfileOptions withEngine(Engine engine) {
        return new ProfileOptions(
                kinds, cpuInterval, cpuEvent, wallInterval, allocInterval, lockThreshold, engine, rootFunctions);
    }

    /** Functions at which stacks start, in Java form; empty by default. */
    public List<String> rootFunctions() {
        return rootFunctions;
    }

    /**
     * A copy whose profiles drop the callers of {@code functions}, in order of preference: a stack
     * starts at the outermost occurrence of the first of them it contains; other stacks are kept
     * whole. The JUnit extension roots stacks at the test method (else at its own interceptor), since
     * the framework's frames below it are the same in every test.
     */
    public ProfileOptions withRootFunctions(List<String> functions) {
        return new ProfileOptions(
                kinds, cpuInterval, cpuEvent, wallInterval, allocInterval, lockThreshold, engine, functions);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProfileOptions p
                && kinds.equals(p.kinds)
                && cpuInterval.equals(p.cpuInterval)
                && cpuEvent().equals(p.cpuEvent())
                && wallInterval.equals(p.wallInterval)
                && allocInterval == p.allocInterval
                && lockThreshold.equals(p.lockThreshold)
                && engine == p.engine
                && rootFunctions.equals(p.rootFunctions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                kinds, cpuInterval, cpuEvent(), wallInterval, allocInterval, lockThreshold, engine, rootFunctions);
    }

    @Override
    public String toString() {
        return "ProfileOptions[kinds=" + kinds + ", cpu=" + cpuEvent() + "@" + Units.format(cpuInterval) + ", wall="
                + Units.format(wallInterval) + ", alloc=" + allocInterval + "B, lock=" + Units.format(lockThreshold)
                + ", engine=" + engine.id() + (rootFunctions.isEmpty() ? "" : ", roots=" + rootFunctions) + "]";
    }
}
