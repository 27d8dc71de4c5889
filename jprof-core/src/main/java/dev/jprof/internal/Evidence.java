package dev.jprof.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.jprof.analysis.Profiles;
import dev.jprof.profile.Profile;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * More evidence for a sampled check that cannot decide: a profile of code that jprof may run again
 * ({@code Profiler.cpu(op)}, {@code jprof.cpu(op)}, a test checked by {@code @Hot}/{@code @NotHot})
 * carries, here, a way to repeat that code. An undecided assertion asks for {@link #more more}: the
 * code runs again for a while, its samples are added to the profile's, and the assertion decides
 * again, until it decides or the time budget ({@value #BUDGET}, default 5 s) is spent, as Go's
 * benchmarks repeat their body {@code b.N} times.
 *
 * <p>Profiles are immutable values: the link from a profile to its code is kept here, weakly, by
 * the profile's identity, and never changes what the profile holds.
 */
@API(status = INTERNAL, since = "0.1")
public final class Evidence {

    /** How long a sampled check may repeat the profiled code to decide: {@value}, default {@code 5s}; {@code 0} never repeats. */
    public static final String BUDGET = "jprof.repeat.budget";
    /** The default of {@value #BUDGET}. */
    public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(5);

    /** The first repeat runs the code for at least this long; each later one for as long as all before it. */
    private static final long FIRST_CHUNK_NANOS = 200_000_000L;

    /** Runs the profiled code again. */
    @FunctionalInterface
    public interface Source {
        /**
         * Runs the code again, at least once and for at least {@code nanos}, and returns the profile of
         * those runs (of the same kind, sample types and filters as the first).
         */
        Profile repeat(long nanos) throws Throwable;
    }

    /** One profiled piece of code and what repeating it has cost so far; shared by every profile extended from it. */
    private static final class Repeats {
        final Source source;
        final Duration budget;
        final String what;
        /** How long one run took: the first profile's span. */
        final long runNanos;

        /** The profile first registered: when it is gone, so is every link to this code. */
        final WeakReference<Profile> origin;

        long spentNanos;
        int rounds;
        String failure;
        /**
         * The profile with every repeat so far added, for as long as the first profile lives: a second
         * assertion on the first profile starts from it instead of repeating the code again.
         */
        Profile latest;

        Repeats(Source source, Duration budget, String what, Profile origin) {
            this.source = source;
            this.budget = budget;
            this.what = what;
            this.runNanos = origin.durationNanos();
            this.origin = new WeakReference<>(origin);
        }
    }

    private record Entry(WeakReference<Profile> profile, Repeats repeats) {}

    private static final List<Entry> ENTRIES = new ArrayList<>();

    private Evidence() {}

    /** The budget of {@code config} ({@value #BUDGET}), or the default; failing with the key's name when invalid. */
    public static Duration budget(Function<String, Optional<String>> config) {
        return config.apply(BUDGET)
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(v -> Units.parseDuration(v, BUDGET))
                .orElse(DEFAULT_BUDGET);
    }

    /** The budget of the {@value #BUDGET} system property, or the default. */
    public static Duration budgetFromSystemProperties() {
        return budget(key -> Optional.ofNullable(System.getProperty(key)));
    }

    /**
     * Links {@code profile} to the code it is a profile of, replacing an earlier link.
     *
     * @param what the code, in messages ({@code "the test"}, {@code "the profiled code"})
     */
    public static void register(Profile profile, Source source, Duration budget, String what) {
        link(profile, new Repeats(source, budget, what, profile));
    }

    @SuppressWarnings("ReferenceEquality") // entries are per profile instance, as an IdentityHashMap would be
    private static synchronized void link(Profile profile, Repeats repeats) {
        for (Iterator<Entry> i = ENTRIES.iterator(); i.hasNext(); ) {
            Entry e = i.next();
            Profile p = e.profile.get();
            if (p == null || p == profile || e.repeats.origin.get() == null) {
                i.remove(); // its profile, or the first profile of its code, is gone (or it is replaced)
            }
        }
        ENTRIES.add(new Entry(new WeakReference<>(profile), repeats));
    }

    @SuppressWarnings("ReferenceEquality") // as link
    private static synchronized Repeats find(Profile profile) {
        for (Entry e : ENTRIES) {
            if (e.profile.get() == profile) {
                return e.repeats;
            }
        }
        return null;
    }

    /**
     * {@code profile} with the samples of more runs of its code added, or empty when its code cannot
     * be repeated (none is known, the budget is spent, or repeating it failed). When an earlier
     * assertion on the same code has already repeated it, its samples come first, without a new run:
     * two assertions on one profile share the evidence and the budget.
     */
    @SuppressWarnings("ReferenceEquality") // the latest extension, by identity
    public static Optional<Profile> more(Profile profile) {
        Repeats r = find(profile);
        if (r == null || r.failure != null) {
            return Optional.empty();
        }
        Profile latest = r.latest;
        if (latest != null && latest != profile) {
            return Optional.of(latest);
        }
        long left = r.budget.toNanos() - r.spentNanos;
        if (left <= 0 || r.runNanos > left) {
            return Optional.empty(); // spent, or one more run would overrun it
        }
        long chunk = Math.min(left, Math.max(FIRST_CHUNK_NANOS, r.spentNanos));
        long start = System.nanoTime();
        Profile repeated;
        try {
            repeated = r.source.repeat(chunk);
        } catch (Throwable t) {
            r.failure = t.toString();
            return Optional.empty();
        } finally {
            r.spentNanos += System.nanoTime() - start;
            r.rounds++;
        }
        Profile merged = Profiles.merge(profile, repeated);
        link(merged, r);
        r.latest = merged;
        return Optional.of(merged);
    }

    /**
     * What repeating did for {@code profile}, for the end of a "not enough samples (N)" message:
     * {@code " after repeating for 5 s"}, {@code " (repeating the test threw …)"}, or advice when
     * its code cannot be repeated.
     */
    public static String outcome(Profile profile) {
        Repeats r = find(profile);
        if (r == null) {
            return "; run longer or lower the interval";
        }
        if (r.failure != null) {
            return " (repeating " + r.what + " threw " + r.failure + ")";
        }
        if (r.budget.isZero() || r.budget.isNegative()) {
            return "; repeating " + r.what + " is off (" + BUDGET + "=" + Units.format(r.budget) + ")";
        }
        if (r.rounds == 0) {
            return "; one run of " + r.what + " (" + seconds(Duration.ofNanos(r.runNanos)) + ") is longer than "
                    + BUDGET + " (" + seconds(r.budget) + "): run it longer or lower the interval";
        }
        return " after repeating for " + seconds(r.budget) + " (" + r.what + ", " + r.rounds
                + (r.rounds == 1 ? " round" : " rounds") + "); raise " + BUDGET + " or lower the interval";
    }

    /** {@code 5 s}, {@code 0.5 s}, {@code 250 ms}. */
    static String seconds(Duration d) {
        long ms = d.toMillis();
        if (ms >= 1000 || ms == 0) {
            return java.math.BigDecimal.valueOf(d.toNanos(), 9)
                            .stripTrailingZeros()
                            .toPlainString() + " s";
        }
        return ms + " ms";
    }
}
