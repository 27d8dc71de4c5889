package dev.jprof.profile;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * An immutable profile: sample types, samples and the interned frames their stacks are made of.
 *
 * <p>This is the model behind every pprof file jprof writes or reads. Build one with
 * {@link #builder(List)} or {@link #builder(ProfileKind)}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Profile {

    private final List<ValueType> sampleTypes;
    private final List<Sample> samples;
    private final List<Frame> frames;
    private final ValueType periodType;
    private final long period;
    private final long startEpochNanos;
    private final long durationNanos;
    private final List<String> comments;
    private final String defaultSampleType;

    private Profile(Builder b) {
        this.sampleTypes = List.copyOf(b.sampleTypes);
        this.samples = List.copyOf(b.samples);
        this.frames = List.copyOf(b.used);
        this.periodType = b.periodType;
        this.period = b.period;
        this.startEpochNanos = b.startEpochNanos;
        this.durationNanos = b.durationNanos;
        this.comments = List.copyOf(b.comments);
        this.defaultSampleType = b.defaultSampleType;
    }

    /** A builder for a profile with the given sample types. */
    public static Builder builder(List<ValueType> sampleTypes) {
        return new Builder(sampleTypes);
    }

    /** A builder for a profile of {@code kind}: its sample types, period type and default sample type. */
    public static Builder builder(ProfileKind kind) {
        return new Builder(kind.sampleTypes())
                .periodType(kind.periodType())
                .defaultSampleType(kind.periodType().type());
    }

    /** What each value of a sample measures, in order. */
    public List<ValueType> sampleTypes() {
        return sampleTypes;
    }

    /** The samples, in the order they were added. */
    public List<Sample> samples() {
        return samples;
    }

    /** The distinct frames used by the samples, in first-use order. */
    public List<Frame> frames() {
        return frames;
    }

    /** The kind whose sample types this profile has, if it is one of jprof's. */
    public Optional<ProfileKind> kind() {
        return ProfileKind.of(sampleTypes);
    }

    /** The unit of the sampling period, or {@code null} when unknown. */
    public ValueType periodType() {
        return periodType;
    }

    /** The sampling period in units of {@link #periodType()}, {@code 0} when unknown. */
    public long period() {
        return period;
    }

    /** When the profile started, in nanoseconds since the epoch; {@code 0} when unknown. */
    public long startEpochNanos() {
        return startEpochNanos;
    }

    /** How long the profile covers, in nanoseconds; {@code 0} when unknown. */
    public long durationNanos() {
        return durationNanos;
    }

    /** Free-form comments, such as the capture engine ({@code engine=async-profiler/perf_events}). */
    public List<String> comments() {
        return comments;
    }

    /** The sample type tools show by default, or {@code null} for the last one. */
    public String defaultSampleType() {
        return defaultSampleType;
    }

    /**
     * The index of the sample type named {@code type}.
     *
     * @throws IllegalArgumentException naming the available types when there is none
     */
    public int valueIndex(String type) {
        for (int i = 0; i < sampleTypes.size(); i++) {
            if (sampleTypes.get(i).type().equals(type)) {
                return i;
            }
        }
        throw new IllegalArgumentException("Profile has no sample type [" + type + "]: it has " + sampleTypes);
    }

    /** The sum of value {@code index} over all samples. */
    public long total(int index) {
        long sum = 0;
        for (Sample s : samples) {
            sum += s.value(index);
        }
        return sum;
    }

    /** A builder that starts with everything of this profile. */
    public Builder toBuilder() {
        Builder b = withoutSamples();
        samples.forEach(s -> b.addSample(s.stack(), s.values(), s.labels()));
        return b;
    }

    /**
     * A builder with this profile's header (sample types, period, start, duration, default sample
     * type, comments) and no samples: for a profile of some of its samples, or of changed ones.
     */
    public Builder withoutSamples() {
        Builder b = new Builder(sampleTypes)
                .periodType(periodType)
                .period(period)
                .startEpochNanos(startEpochNanos)
                .durationNanos(durationNanos)
                .defaultSampleType(defaultSampleType);
        comments.forEach(b::comment);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Profile p
                && sampleTypes.equals(p.sampleTypes)
                && samples.equals(p.samples)
                && Objects.equals(periodType, p.periodType)
                && period == p.period
                && startEpochNanos == p.startEpochNanos
                && durationNanos == p.durationNanos
                && comments.equals(p.comments)
                && Objects.equals(defaultSampleType, p.defaultSampleType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sampleTypes, samples, periodType, period, startEpochNanos, durationNanos, comments);
    }

    @Override
    public String toString() {
        return "Profile" + sampleTypes + " with " + samples.size() + " samples, " + frames.size() + " frames";
    }

    /** Builds a {@link Profile}; interns frames so equal frames are one instance. Not thread-safe. */
    public static final class Builder {
        private final List<ValueType> sampleTypes;
        private final List<Sample> samples = new ArrayList<>();
        /** The frames the samples use, in first-use order. */
        private final List<Frame> used = new ArrayList<>();

        private final Map<Frame, Interned> canonical = new HashMap<>();
        /**
         * Every frame instance seen to its interned one: readers hand the same instances again and again,
         * and an identity lookup does not read the frame's strings.
         */
        private final IdentityHashMap<Frame, Interned> known = new IdentityHashMap<>();

        /** The one instance of equal frames, and its index in {@link #used}, -1 while no sample uses it. */
        private static final class Interned {
            final Frame frame;
            int index = -1;

            Interned(Frame frame) {
                this.frame = frame;
            }
        }

        /** A stack as given to its interned frames and their indices in {@link #used}. */
        private static final class Stack {
            final List<Frame> frames;
            final int[] indices;

            Stack(List<Frame> frames, int[] indices) {
                this.frames = frames;
                this.indices = indices;
            }
        }

        private final IdentityHashMap<List<Frame>, Stack> byInstance = new IdentityHashMap<>();
        /** The stack last interned, as given, and its frames' entries. */
        private List<Frame> previousStack = List.of();

        private Interned[] previousInterns = new Interned[0];
        private ValueType periodType;
        private long period;
        private long startEpochNanos;
        private long durationNanos;
        private final List<String> comments = new ArrayList<>();
        private String defaultSampleType;

        private Builder(List<ValueType> sampleTypes) {
            if (sampleTypes.isEmpty()) {
                throw new IllegalArgumentException("A profile needs at least one sample type");
            }
            this.sampleTypes = List.copyOf(sampleTypes);
        }

        /** The interned instance equal to {@code frame}. */
        public Frame frame(Frame frame) {
            return intern(frame).frame;
        }

        private Interned intern(Frame frame) {
            Interned c = known.get(frame);
            if (c == null) {
                c = canonical.computeIfAbsent(frame, Interned::new);
                known.put(frame, c);
            }
            return c;
        }

        /** The interned frame for {@code function}, {@code file} and {@code line}. */
        public Frame frame(String function, String file, int line) {
            return frame(new Frame(function, file, line));
        }

        /**
         * Adds a sample.
         *
         * @param stack frames, leaf first
         * @param values one per sample type
         * @param labels string labels, for example {@link Sample#THREAD_LABEL}
         * @throws IllegalArgumentException when the number of values does not match the sample types
         */
        @SuppressWarnings("ReferenceEquality") // frames are compared by identity: readers share their instances
        public Builder addSample(List<Frame> stack, long[] values, Map<String, String> labels) {
            if (values.length != sampleTypes.size()) {
                throw new IllegalArgumentException("Sample has " + values.length + " values but the profile has "
                        + sampleTypes.size() + " sample types " + sampleTypes);
            }
            // a reader hands the same stack list for every event with that stack: its interned copy is
            // reused while it still holds the same frame instances (a caller may refill its own list)
            Stack interned = byInstance.get(stack);
            if (interned == null || !sameInstances(stack, interned.frames)) {
                // an unmodifiable list of interned frames is kept as it is; anything else is copied (the
                // caller's list may change later)
                List<Frame> given = List.copyOf(stack);
                Frame[] copy = null;
                int depth = given.size();
                Interned[] interns = new Interned[depth];
                int[] indices = new int[depth];
                // stacks added one after the other mostly share their outer frames: those are looked up
                // once, compared by identity with the previous stack's from the root end
                int shared = 0;
                int m = previousStack.size();
                while (shared < depth
                        && shared < m
                        && given.get(depth - 1 - shared) == previousStack.get(m - 1 - shared)) {
                    interns[depth - 1 - shared] = previousInterns[m - 1 - shared];
                    shared++;
                }
                for (int i = 0; i < depth; i++) {
                    Frame f = given.get(i);
                    Interned c = i < depth - shared ? intern(f) : interns[i];
                    interns[i] = c;
                    if (c.frame != f && copy == null) {
                        copy = given.toArray(Frame[]::new);
                    }
                    if (copy != null) {
                        copy[i] = c.frame;
                    }
                    if (c.index < 0) {
                        c.index = used.size();
                        used.add(c.frame);
                    }
                    indices[i] = c.index;
                }
                interned = new Stack(copy == null ? given : List.of(copy), indices);
                previousStack = given;
                previousInterns = interns;
                byInstance.put(stack, interned);
            }
            samples.add(new Sample(interned.frames, interned.indices, values, labels));
            return this;
        }

        @SuppressWarnings("ReferenceEquality") // the point: the same frame instances, as the builder shares them
        private static boolean sameInstances(List<Frame> a, List<Frame> b) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i) != b.get(i)) {
                    return false;
                }
            }
            return true;
        }

        public Builder periodType(ValueType periodType) {
            this.periodType = periodType;
            return this;
        }

        public Builder period(long period) {
            this.period = period;
            return this;
        }

        public Builder startEpochNanos(long startEpochNanos) {
            this.startEpochNanos = startEpochNanos;
            return this;
        }

        public Builder durationNanos(long durationNanos) {
            this.durationNanos = durationNanos;
            return this;
        }

        public Builder comment(String comment) {
            comments.add(Objects.requireNonNull(comment, "comment"));
            return this;
        }

        public Builder defaultSampleType(String defaultSampleType) {
            this.defaultSampleType = defaultSampleType;
            return this;
        }

        public Profile build() {
            return new Profile(this);
        }
    }
}
