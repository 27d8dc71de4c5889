package dev.jprof.trace;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.internal.Units;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * What a {@link Tracer} records: which {@link SliceKind}s, how often it samples running threads,
 * and where stacks start. Immutable; every {@code with…} method returns a copy.
 *
 * <p>Every event is recorded with threshold 0, so short waits are not lost.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class TraceOptions {

    /** Interval of the CPU samples that make running slices: {@value}, default {@code 10ms} (as JFR's {@code profile} settings). */
    public static final String INTERVAL = "jprof.trace.interval";

    static final Duration DEFAULT_INTERVAL = Duration.ofMillis(10);
    /** JFR samples at most this often. */
    static final Duration MIN_INTERVAL = Duration.ofMillis(1);

    private final Set<SliceKind> kinds;
    private final Duration samplingInterval;
    private final List<String> rootFunctions;
    private final String label;

    private TraceOptions(Set<SliceKind> kinds, Duration samplingInterval, List<String> rootFunctions, String label) {
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("Nothing to trace: the options name no slice kind");
        }
        this.kinds = Collections.unmodifiableSet(EnumSet.copyOf(kinds));
        if (samplingInterval.compareTo(MIN_INTERVAL) < 0) {
            throw new IllegalArgumentException("Invalid " + INTERVAL + " [" + Units.format(samplingInterval)
                    + "]: JFR samples at most every " + Units.format(MIN_INTERVAL));
        }
        this.samplingInterval = samplingInterval;
        this.rootFunctions = List.copyOf(rootFunctions);
        this.label = Objects.requireNonNull(label, "label");
    }

    /** Everything: every {@link SliceKind}, sampled every 10 ms. */
    public static TraceOptions all() {
        return new TraceOptions(EnumSet.allOf(SliceKind.class), DEFAULT_INTERVAL, List.of(), "");
    }

    /** Only {@code kinds}, for example {@code of(BLOCKED, WAITING, PARKED)} for a block profile. */
    public static TraceOptions of(SliceKind... kinds) {
        return new TraceOptions(EnumSet.copyOf(Arrays.asList(kinds)), DEFAULT_INTERVAL, List.of(), "");
    }

    /**
     * {@link #all()} with the sampling interval from {@code config} ({@value #INTERVAL}).
     *
     * @throws IllegalArgumentException naming the key when its value is invalid
     */
    public static TraceOptions defaults(Function<String, Optional<String>> config) {
        TraceOptions o = all();
        Optional<String> v = config.apply(INTERVAL);
        return v.isPresent() ? o.withSamplingInterval(Units.parseDuration(v.get(), INTERVAL)) : o;
    }

    public Set<SliceKind> kinds() {
        return kinds;
    }

    public Duration samplingInterval() {
        return samplingInterval;
    }

    /** Functions at which stacks start, as {@link dev.jprof.capture.ProfileOptions#withRootFunctions(List)}. */
    public List<String> rootFunctions() {
        return rootFunctions;
    }

    /** The label of the trace's own JFR event ({@code dev.jprof.Trace}), for example the test's name. */
    public String label() {
        return label;
    }

    public TraceOptions withKinds(Set<SliceKind> kinds) {
        return new TraceOptions(kinds, samplingInterval, rootFunctions, label);
    }

    /**
     * With execution samples every {@code interval}.
     *
     * @throws IllegalArgumentException when shorter than 1 ms, JFR's limit
     */
    public TraceOptions withSamplingInterval(Duration interval) {
        return new TraceOptions(kinds, interval, rootFunctions, label);
    }

    public TraceOptions withRootFunctions(List<String> functions) {
        return new TraceOptions(kinds, samplingInterval, functions, label);
    }

    public TraceOptions withLabel(String label) {
        return new TraceOptions(kinds, samplingInterval, rootFunctions, label);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TraceOptions t
                && kinds.equals(t.kinds)
                && samplingInterval.equals(t.samplingInterval)
                && rootFunctions.equals(t.rootFunctions)
                && label.equals(t.label);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kinds, samplingInterval, rootFunctions, label);
    }

    @Override
    public String toString() {
        return "TraceOptions[kinds=" + kinds + ", interval=" + Units.format(samplingInterval)
                + (rootFunctions.isEmpty() ? "" : ", roots=" + rootFunctions) + "]";
    }
}
