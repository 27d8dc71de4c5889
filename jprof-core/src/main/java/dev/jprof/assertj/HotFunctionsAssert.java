package dev.jprof.assertj;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;
import static org.assertj.core.description.EmptyTextDescription.emptyDescription;

import dev.jprof.analysis.HotFunction;
import dev.jprof.analysis.ProfileAnalysis;
import dev.jprof.assertj.error.NotEnoughSamples;
import dev.jprof.assertj.error.ShouldBeHot;
import dev.jprof.assertj.error.ShouldNotBeHot;
import dev.jprof.internal.Evidence;
import dev.jprof.internal.Figures;
import dev.jprof.profile.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ListAssert;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Assertions on the top N functions of a profile, by flat or by cumulative value; made by
 * {@link ProfileAssert#hotFunctions(int)} and {@link ProfileAssert#hotFunctionsByCum(int)}.
 *
 * <p>A function counts as hot when it is among the top N <em>and</em> has at least
 * {@link #withMinShare(double) a minimum share} (default {@value #DEFAULT_MIN_SHARE}%), so that a
 * function with 0.3% is not "hot" just because the profile has few functions. Being among the top N
 * is decided by comparing the function's share with that of the N-th function that does not match,
 * the minimum share by the function's own share: each only when they differ by at least three
 * standard errors. When neither "hot" nor "not hot" is decided, the profiled code is run again for
 * more samples where jprof can ({@code jprof.cpu(op)}, {@code @Hot}/{@code @NotHot}), within
 * {@code jprof.repeat.budget}; after that the assertion fails with "not enough samples (N)", so that
 * sampling noise cannot flip the result.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class HotFunctionsAssert extends AbstractAssert<HotFunctionsAssert, List<HotFunction>> {

    /** The share, in percent, below which no function counts as hot: {@value}. */
    public static final double DEFAULT_MIN_SHARE = 5.0;

    private final ProfileAnalysis analysis;
    private final boolean cum;
    private final int n;
    private double minShare = DEFAULT_MIN_SHARE;

    HotFunctionsAssert(ProfileAnalysis analysis, boolean cum, int n) {
        super(cum ? analysis.topCum(n) : analysis.top(n), HotFunctionsAssert.class);
        this.analysis = analysis;
        this.cum = cum;
        this.n = n;
    }

    /**
     * Counts a function as hot only from {@code percent} of the total on (default
     * {@value #DEFAULT_MIN_SHARE}); {@code 0} makes the rank alone decide.
     */
    public HotFunctionsAssert withMinShare(double percent) {
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException("A minimum share is a percentage from 0 to 100: " + percent);
        }
        this.minShare = percent;
        return myself;
    }

    /**
     * The function named exactly {@code function} is among the top N.
     *
     * <pre>{@code
     * assertThat(cpu).hotFunctions(3).contains("com.acme.Parser.parse");   // passes when it is #1 with 60%
     * assertThat(cpu).hotFunctions(3).contains("com.acme.Lexer.read");     // fails when it is #9 with 1%
     * }</pre>
     */
    public HotFunctionsAssert contains(String function) {
        Objects.requireNonNull(function, "function");
        return check("function [" + function + "]", function::equals, true);
    }

    /**
     * The function named exactly {@code function} is not among the top N.
     *
     * <pre>{@code
     * assertThat(cpu).hotFunctions(5).doesNotContain("java.lang.String.format");   // passes when it is #30
     * assertThat(cpu).hotFunctions(5).doesNotContain("com.acme.Parser.parse");     // fails when it is #1
     * }</pre>
     */
    public HotFunctionsAssert doesNotContain(String function) {
        Objects.requireNonNull(function, "function");
        return check("function [" + function + "]", function::equals, false);
    }

    /**
     * A function whose name contains a match of {@code regex} is among the top N.
     *
     * <pre>{@code
     * assertThat(cpu).hotFunctionsByCum(3).anyMatch("Parser\\.parse");   // passes when Parser.parse is #2 by cum
     * }</pre>
     */
    public HotFunctionsAssert anyMatch(String regex) {
        Pattern p = Pattern.compile(regex);
        return check("function matching /" + regex + "/", f -> p.matcher(f).find(), true);
    }

    /**
     * No function whose name contains a match of {@code regex} is among the top N.
     *
     * <pre>{@code
     * assertThat(cpu).hotFunctions(5).noneMatch("java\\.util\\.regex");   // passes when regex matching is #12 at 0.5%
     * assertThat(cpu).hotFunctions(5).noneMatch("^java\\.");              // fails when java.lang.String.split is #1
     * }</pre>
     */
    public HotFunctionsAssert noneMatch(String regex) {
        Pattern p = Pattern.compile(regex);
        return check("function matching /" + regex + "/", f -> p.matcher(f).find(), false);
    }

    /** A function whose name satisfies {@code predicate} is among the top N. */
    public HotFunctionsAssert anyMatch(Predicate<String> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        return check("function matching the given predicate", predicate, true);
    }

    /**
     * No function whose name satisfies {@code predicate} is among the top N:
     * {@code assertThat(cpu).hotFunctions(5).noneMatch(f -> f.startsWith("java.util.regex"))}.
     */
    public HotFunctionsAssert noneMatch(Predicate<String> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        return check("function matching the given predicate", predicate, false);
    }

    /** The names of the top N functions, in order, for any list assertion (no sampling checks). */
    public ListAssert<String> names() {
        return Assertions.assertThat(actual.stream().map(HotFunction::function).toList());
    }

    private HotFunctionsAssert check(String what, Predicate<String> match, boolean wantIn) {
        isNotNull();
        ProfileAnalysis analysis = this.analysis;
        while (true) {
            Verdict v = decide(analysis, match);
            if (wantIn ? v.hot : v.notHot) {
                return this;
            }
            Optional<Profile> more = v.hot || v.notHot ? Optional.empty() : Evidence.more(analysis.profile());
            if (more.isEmpty()) {
                fail(analysis, v, what, match, wantIn);
            }
            analysis = analysis.on(more.get());
        }
    }

    /** The hottest matching function, the N-th function that does not match, and what they decide. */
    private record Verdict(
            HotFunction best,
            double bestShare,
            double low,
            double high,
            long samples,
            boolean hot,
            boolean notHot,
            String rivalText,
            List<HotFunction> top) {}

    private Verdict decide(ProfileAnalysis analysis, Predicate<String> match) {
        List<HotFunction> all = cum ? analysis.topCum() : analysis.top();
        HotFunction best = null;
        HotFunction rival = null;
        int others = 0;
        for (HotFunction f : all) {
            if (match.test(f.function())) {
                if (best == null) {
                    best = f;
                }
            } else if (++others == n) {
                rival = f;
            }
        }
        double bestShare = best == null ? 0 : share(best);
        double rivalShare = rival == null ? 0 : share(rival);
        long samples = analysis.sampleCount();
        double[] interval = Stats.interval(bestShare, samples);
        // hot = ahead of the N-th other function, and at least minShare
        boolean aheadDecided;
        boolean behindDecided;
        String rivalText;
        if (rival == null) {
            aheadDecided = bestShare > 0;
            behindDecided = false;
            rivalText = String.format(Locale.ROOT, "fewer than %d functions that do not match", n);
        } else {
            double error = Stats.differenceError(bestShare, rivalShare, samples);
            aheadDecided = bestShare - rivalShare > Stats.Z * error;
            behindDecided = rivalShare - bestShare > Stats.Z * error;
            // the rival's rank counts the matching functions too: name it by its place among the others
            String rivalName = String.format(
                    Locale.ROOT,
                    "the %s function that does not match, %s at %s",
                    ordinal(n),
                    rival.function(),
                    Figures.percent(rivalShare));
            rivalText = Double.isFinite(error)
                    ? String.format(
                            Locale.ROOT,
                            "%s: %.2f points apart where %.2f are needed",
                            rivalName,
                            Math.abs(bestShare - rivalShare),
                            Stats.Z * error)
                    : String.format(
                            Locale.ROOT, "%s: fewer than %d samples compare nothing", rivalName, Stats.MIN_EVENTS);
        }
        boolean hot = aheadDecided && interval[0] >= minShare;
        boolean notHot = behindDecided || interval[1] < minShare;
        return new Verdict(
                best,
                bestShare,
                interval[0],
                interval[1],
                samples,
                hot,
                notHot,
                rivalText,
                cum ? analysis.topCum(n) : analysis.top(n));
    }

    private static String ordinal(int i) {
        int mod100 = i % 100;
        String suffix = mod100 >= 11 && mod100 <= 13
                ? "th"
                : switch (i % 10) {
                    case 1 -> "st";
                    case 2 -> "nd";
                    case 3 -> "rd";
                    default -> "th";
                };
        return i + suffix;
    }

    private void fail(ProfileAnalysis analysis, Verdict v, String what, Predicate<String> match, boolean wantIn) {
        HotFunction best = v.best;
        double bestShare = v.bestShare;
        String metric = metric(analysis);
        String table = table(analysis, v.top, best);
        if (!v.hot && !v.notHot) {
            String claim = "a " + what + " is among the top " + n + " by " + metric + " with at least "
                    + Figures.percent(minShare);
            String evidence = String.format(
                    Locale.ROOT,
                    "%s at %s, between %s and %s; against %s",
                    best == null ? "none" : best.function(),
                    Figures.percent(bestShare),
                    Figures.percent(v.low),
                    Figures.percent(v.high),
                    v.rivalText);
            throwAssertionError(NotEnoughSamples.notEnoughSamples(
                    claim, evidence, v.samples, Evidence.outcome(analysis.profile()), table));
            return;
        }
        List<String> names = v.top.stream().map(HotFunction::function).toList();
        if (wantIn) {
            List<String> expected = new ArrayList<>(names);
            expected.add(best == null ? what : best.function());
            throw failure(
                    ShouldBeHot.shouldBeHot(what, n, metric, best, bestShare, table),
                    String.join("\n", names),
                    String.join("\n", expected));
        }
        List<String> expected = names.stream().filter(match.negate()).toList();
        throw failure(
                ShouldNotBeHot.shouldNotBeHot(what, n, metric, best, bestShare, table),
                String.join("\n", names),
                String.join("\n", expected));
    }

    /** As {@code ProfileAssert.failure}: an actual/expected failure whose message {@code message} makes. */
    private AssertionError failure(ErrorMessageFactory message, Object actualValue, Object expectedValue) {
        return failureWithActualExpected(
                actualValue, expectedValue, "%s", message.create(emptyDescription(), info.representation()));
    }

    private double share(HotFunction f) {
        return cum ? f.cumPercent() : f.flatPercent();
    }

    private String metric(ProfileAnalysis analysis) {
        String m = (cum ? "cum " : "flat ") + analysis.valueType().type();
        return analysis.filters().isEmpty() ? m : m + " (" + String.join(", ", analysis.filters()) + ")";
    }

    /** The top N rows, and the hottest matching row when it ranks lower. */
    private String table(ProfileAnalysis analysis, List<HotFunction> top, HotFunction best) {
        List<HotFunction> rows = new ArrayList<>(top);
        if (best != null && best.rank() > n) {
            rows.add(best);
        }
        return analysis.format(rows);
    }
}
