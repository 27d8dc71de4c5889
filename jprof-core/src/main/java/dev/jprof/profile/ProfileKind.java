package dev.jprof.profile;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The kinds of profile jprof captures, each with the sample types Go's tools use for it, so that
 * {@code go tool pprof} labels the values correctly.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public enum ProfileKind {
    /** On-CPU samples: {@code samples/count}, {@code cpu/nanoseconds}. */
    CPU(List.of(ValueType.SAMPLES, ValueType.CPU_NANOS), ValueType.CPU_NANOS),
    /** Wall-clock samples of every thread, running or not: {@code samples/count}, {@code wall/nanoseconds}. */
    WALL(List.of(ValueType.SAMPLES, ValueType.WALL_NANOS), ValueType.WALL_NANOS),
    /** Heap allocations: {@code alloc_objects/count}, {@code alloc_space/bytes}. */
    ALLOC(List.of(ValueType.ALLOC_OBJECTS, ValueType.ALLOC_SPACE), ValueType.ALLOC_SPACE),
    /** Lock contention (monitor enter, {@code java.util.concurrent} locks): {@code contentions/count}, {@code delay/nanoseconds}. */
    LOCK(List.of(ValueType.CONTENTIONS, ValueType.DELAY_NANOS), ValueType.DELAY_NANOS);

    // Immutable, though Error Prone cannot tell: List.of and ValueType, a record of two strings.
    @SuppressWarnings("ImmutableEnumChecker")
    private final List<ValueType> sampleTypes;

    @SuppressWarnings("ImmutableEnumChecker")
    private final ValueType periodType;

    ProfileKind(List<ValueType> sampleTypes, ValueType periodType) {
        this.sampleTypes = sampleTypes;
        this.periodType = periodType;
    }

    /** The sample types of a profile of this kind, in order. */
    public List<ValueType> sampleTypes() {
        return sampleTypes;
    }

    /** The period type written to pprof: what one sampling period is measured in. */
    public ValueType periodType() {
        return periodType;
    }

    /** The lower-case name used in file names ({@code cpu.pb.gz}) and options ({@code events=cpu}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind whose sample types are exactly {@code types}, if any. */
    public static Optional<ProfileKind> of(List<ValueType> types) {
        for (ProfileKind kind : values()) {
            if (kind.sampleTypes.equals(types)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    /**
     * The kind named {@code id}, ignoring case.
     *
     * @throws IllegalArgumentException naming the accepted values when {@code id} is unknown
     */
    public static ProfileKind fromId(String id) {
        for (ProfileKind kind : values()) {
            if (kind.id().equalsIgnoreCase(id.trim())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("Unknown profile kind [" + id + "]: expected one of cpu, wall, alloc, lock");
    }
}
