package dev.jprof.profile;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.profile.internal.FrameIndices;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One sample: a stack (leaf first, as pprof stores it), one value per sample type of its profile,
 * and string labels such as {@code thread}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Sample {

    /** The label key under which the name of the sampled thread is stored. */
    public static final String THREAD_LABEL = "thread";
    /**
     * Label key of a sample taken inside a region that code marked ({@code dev.jprof.api.Jprof.region}):
     * the innermost region's name, as the innermost of Go's nested {@code pprof.Do} labels of one key wins.
     */
    public static final String REGION_LABEL = "region";

    static {
        FrameIndices.install(s -> s.frameIndices);
    }

    private final List<Frame> stack;
    /** Each frame's index in the profile's {@link Profile#frames()}: its builder's, shared by equal stacks. */
    private final int[] frameIndices;

    private final long[] values;
    private final Map<String, String> labels;

    Sample(List<Frame> stack, int[] frameIndices, long[] values, Map<String, String> labels) {
        this.stack = List.copyOf(stack);
        this.frameIndices = frameIndices;
        this.values = values.clone();
        this.labels = Map.copyOf(labels);
    }

    /** The frames, leaf (innermost call) first. */
    public List<Frame> stack() {
        return stack;
    }

    /** The value for sample type {@code index}. */
    public long value(int index) {
        return values[index];
    }

    /** A copy of all values, one per sample type. */
    public long[] values() {
        return values.clone();
    }

    /** The number of values (equal to the number of sample types of the profile). */
    public int valueCount() {
        return values.length;
    }

    /** The string labels of this sample. */
    public Map<String, String> labels() {
        return labels;
    }

    /** The label {@code key}, or {@code null}. */
    public String label(String key) {
        return labels.get(key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sample other
                && stack.equals(other.stack)
                && Arrays.equals(values, other.values)
                && labels.equals(other.labels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stack, Arrays.hashCode(values), labels);
    }

    @Override
    public String toString() {
        return "Sample" + Arrays.toString(values) + labels + " " + stack;
    }
}
