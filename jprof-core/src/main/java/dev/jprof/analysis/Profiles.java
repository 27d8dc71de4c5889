package dev.jprof.analysis;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.format.Pprof;
import dev.jprof.profile.Profile;
import dev.jprof.profile.Sample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apiguardian.api.API;

/** Reading and combining profiles. */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Profiles {

    private Profiles() {}

    /**
     * Reads a pprof file (gzipped or not) written by jprof, Go, async-profiler's converter or any
     * other pprof writer. Same as {@link Pprof#read(Path)}.
     *
     * @throws IOException naming {@code file} when it cannot be read
     * @throws dev.jprof.format.PprofFormatException when it is not a pprof profile
     */
    public static Profile read(Path file) throws IOException {
        return Pprof.read(file);
    }

    /**
     * One profile with the samples of all {@code profiles}, as {@code pprof -proto a b > merged}.
     * The sample types, period type, period and default sample type are the first profile's; the
     * start is the earliest known one and the duration is the sum of theirs (the time profiled, as
     * pprof's own merge: profiles of iterations, forks or tests leave out the time between them);
     * comments are kept once each, in order.
     *
     * @throws IllegalArgumentException when there is no profile, or the sample types differ (naming both)
     */
    public static Profile merge(List<Profile> profiles) {
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException("Nothing to merge: no profile given");
        }
        Profile first = Objects.requireNonNull(profiles.get(0), "profile");
        long start = 0;
        long duration = 0;
        Set<String> comments = new LinkedHashSet<>();
        for (Profile p : profiles) {
            Objects.requireNonNull(p, "profile");
            if (!p.sampleTypes().equals(first.sampleTypes())) {
                throw new IllegalArgumentException("Cannot merge a profile of " + p.sampleTypes() + " with one of "
                        + first.sampleTypes() + ": the sample types must be the same");
            }
            if (p.startEpochNanos() != 0) {
                start = start == 0 ? p.startEpochNanos() : Math.min(start, p.startEpochNanos());
            }
            duration += p.durationNanos();
            comments.addAll(p.comments());
        }
        Profile.Builder b = Profile.builder(first.sampleTypes())
                .periodType(first.periodType())
                .period(first.period())
                .startEpochNanos(start)
                .durationNanos(duration)
                .defaultSampleType(first.defaultSampleType());
        comments.forEach(b::comment);
        for (Profile p : profiles) {
            for (Sample s : p.samples()) {
                b.addSample(s.stack(), s.values(), s.labels());
            }
        }
        return b.build();
    }

    /** {@link #merge(List)} of {@code profiles}. */
    public static Profile merge(Profile... profiles) {
        return merge(List.of(profiles));
    }
}
