package dev.jprof.jmh.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.jprof.profile.Profile;
import dev.jprof.profile.Sample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apiguardian.api.API;

/** Labelling, merging and summarising the profiles of iterations and forks. */
@API(status = INTERNAL, since = "0.1")
public final class Profiles {

    /** The label naming the fork a sample comes from: {@code 1}, {@code 2}... ({@code 0} without forking). */
    public static final String FORK_LABEL = "fork";
    /** The label naming the measurement iteration a sample comes from, from {@code 1}. */
    public static final String ITERATION_LABEL = "iteration";

    private Profiles() {}

    /** {@code profile} with {@code labels} added to every sample. */
    public static Profile withLabels(Profile profile, Map<String, String> labels) {
        Profile.Builder b = header(profile);
        for (Sample s : profile.samples()) {
            Map<String, String> l = new HashMap<>(s.labels());
            l.putAll(labels);
            b.addSample(s.stack(), s.values(), l);
        }
        return b.build();
    }

    /**
     * One profile with the samples of all {@code profiles}, in order: they must have the same sample
     * types. It starts when the first started and lasts as long as all of them together; comments are
     * kept once each.
     *
     * @throws IllegalArgumentException when {@code profiles} is empty or their sample types differ
     */
    public static Profile merge(List<Profile> profiles) {
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException("Nothing to merge");
        }
        Profile first = profiles.get(0);
        Profile.Builder b = Profile.builder(first.sampleTypes())
                .periodType(first.periodType())
                .period(first.period())
                .defaultSampleType(first.defaultSampleType());
        long start = Long.MAX_VALUE;
        long duration = 0;
        Set<String> comments = new LinkedHashSet<>();
        for (Profile p : profiles) {
            if (!p.sampleTypes().equals(first.sampleTypes())) {
                throw new IllegalArgumentException("Cannot merge profiles with sample types " + first.sampleTypes()
                        + " and " + p.sampleTypes());
            }
            if (p.startEpochNanos() > 0) {
                start = Math.min(start, p.startEpochNanos());
            }
            duration += p.durationNanos();
            comments.addAll(p.comments());
            for (Sample s : p.samples()) {
                b.addSample(s.stack(), s.values(), s.labels());
            }
        }
        comments.forEach(b::comment);
        return b.startEpochNanos(start == Long.MAX_VALUE ? 0 : start).durationNanos(duration).build();
    }

    private static Profile.Builder header(Profile p) {
        Profile.Builder b = Profile.builder(p.sampleTypes())
                .periodType(p.periodType())
                .period(p.period())
                .startEpochNanos(p.startEpochNanos())
                .durationNanos(p.durationNanos())
                .defaultSampleType(p.defaultSampleType());
        p.comments().forEach(b::comment);
        return b;
    }

    /** One hot function: its name and the share of the profile's last value it holds itself (flat). */
    public record Hot(String function, double flatShare) {}

    /** The {@code n} functions with the largest flat share of the last sample value, largest first. */
    public static List<Hot> hotFunctions(Profile profile, int n) {
        int v = profile.sampleTypes().size() - 1;
        Map<String, Long> flat = new HashMap<>();
        long total = 0;
        for (Sample s : profile.samples()) {
            long value = s.value(v);
            total += value;
            if (!s.stack().isEmpty()) {
                flat.merge(s.stack().get(0).function(), value, Long::sum);
            }
        }
        long sum = total;
        List<Hot> hot = new ArrayList<>();
        flat.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(n)
                .forEach(e -> hot.add(new Hot(e.getKey(), sum == 0 ? 0 : (double) e.getValue() / sum)));
        return hot;
    }

    /** The hot functions as lines of a table: {@code "  34.1%  java.util.regex.Pattern$Slice.match"}. */
    public static String hotTable(Profile profile, int n) {
        StringBuilder b = new StringBuilder();
        for (Hot h : hotFunctions(profile, n)) {
            b.append(String.format(Locale.ROOT, "  %5.1f%%  %s%n", 100 * h.flatShare(), h.function()));
        }
        return b.toString();
    }
}
