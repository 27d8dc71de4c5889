package dev.jprof.profile;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * What one value of a sample measures, named as pprof names it: a type such as {@code cpu} and a
 * unit such as {@code nanoseconds}.
 *
 * @param type the quantity, for example {@code alloc_space}; never empty
 * @param unit the unit, for example {@code bytes}; never empty
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record ValueType(String type, String unit) {

    public static final ValueType SAMPLES = new ValueType("samples", "count");
    public static final ValueType CPU_NANOS = new ValueType("cpu", "nanoseconds");
    public static final ValueType WALL_NANOS = new ValueType("wall", "nanoseconds");
    public static final ValueType ALLOC_OBJECTS = new ValueType("alloc_objects", "count");
    public static final ValueType ALLOC_SPACE = new ValueType("alloc_space", "bytes");
    public static final ValueType CONTENTIONS = new ValueType("contentions", "count");
    public static final ValueType DELAY_NANOS = new ValueType("delay", "nanoseconds");
    /** Bytes read or written, of an I/O profile. */
    public static final ValueType BYTES = new ValueType("bytes", "bytes");

    public ValueType {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(unit, "unit");
    }

    @Override
    public String toString() {
        return type + "/" + unit;
    }
}
