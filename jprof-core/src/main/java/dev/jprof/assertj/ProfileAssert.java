package dev.jprof.assertj;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;
import static org.assertj.core.description.EmptyTextDescription.emptyDescription;

import dev.jprof.analysis.HotFunction;
import dev.jprof.analysis.ProfileAnalysis;
import dev.jprof.analysis.ProfileDiff;
import dev.jprof.assertj.error.NotEnoughSamples;
import dev.jprof.assertj.error.ShouldHaveShare;
import dev.jprof.assertj.error.ShouldNotGrow;
import dev.jprof.internal.Evidence;
import dev.jprof.internal.Figures;
import dev.jprof.profile.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.WritableAssertionInfo;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Assertions on what is hot in a profile; made by {@link JprofAssertions#assertThat(Profile)}.
 *
 * <pre>{@code
 * assertThat(cpu).hotFunctions(5).noneMatch("java\\.util\\.regex");
 * assertThat(cpu).hasCumShareAbove("Parser\\.parse", 50);
 * assertThat(cpu).focus("Router\\.route").hasFlatShareBelow("HashMap", 10);
 * assertThat(cpu).hasNoShareGrowthOver(baseline, 5);
 * }</pre>
 *
 * <p>Shares are percentages of the total of the profile's default sample type ({@code cpu},
 * {@code wall}, {@code alloc_space}, {@code delay}), as {@code go tool pprof -top} prints them; see
 * {@link ProfileAnalysis}. Functions are chosen by regular expression, found anywhere in the function
 * name (as {@code pprof -focus}): {@code "Parser\\.parse"}, {@code "^java\\.util\\.regex\\."}.
 *
 * <p>Sampled figures are uncertain. Every assertion here passes or fails only when the measured share
 * is at least three standard errors from its bound. When it is closer, and the profile comes from
 * code jprof can run again ({@code Profiler.cpu(op)}, {@code jprof.cpu(op)}, a test checked by
 * {@code @Hot}/{@code @NotHot}), that code is repeated and its samples added until the assertion
 * decides or {@code jprof.repeat.budget} (default 5 s) is spent; only then does it fail with "not
 * enough samples (N) after repeating for 5 s". A share bound {@code b} with a true share {@code p}
 * needs about {@code 9 p (1 - p) / (b - p)^2} samples: 180 for 5% against a bound of 10%, 100 for
 * 50% against 35%.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ProfileAssert extends AbstractAssert<ProfileAssert, Profile> {

    private static final int TABLE_ROWS = 10;

    private final ProfileAnalysis analysis;

    ProfileAssert(Profile actual) {
        this(actual, actual == null ? null : ProfileAnalysis.of(actual));
    }

    private ProfileAssert(Profile actual, ProfileAnalysis analysis) {
        super(actual, ProfileAssert.class);
        this.analysis = analysis;
    }

    private ProfileAssert with(ProfileAnalysis a) {
        ProfileAssert copy = new ProfileAssert(actual, a);
        carryOver(info, copy.info);
        return copy;
    }

    /**
     * What was set on an assert before it navigated to another ({@code as}, {@code withFailMessage},
     * {@code withRepresentation}), kept by the other. A {@code withFailMessage(Supplier)} is evaluated here.
     */
    static void carryOver(WritableAssertionInfo from, WritableAssertionInfo to) {
        to.description(from.description());
        to.useRepresentation(from.representation());
        String message = from.overridingErrorMessage();
        if (message != null) {
            to.overridingErrorMessage(message);
        }
    }

    /** The analysis behind these assertions, with the sample type and filters chosen so far. */
    public ProfileAnalysis analysis() {
        isNotNull();
        return analysis;
    }

    /**
     * Asserts on the values of sample type {@code type} (for example {@code alloc_objects}) instead of
     * the default.
     *
     * @throws IllegalArgumentException naming the available types
     */
    public ProfileAssert usingSampleType(String type) {
        isNotNull();
        return with(analysis.sampleType(type));
    }

    /** Asserts on samples with a function or file matching {@code regex} only, as {@code pprof -focus}; shares stay of the whole profile. */
    public ProfileAssert focus(String regex) {
        isNotNull();
        return with(analysis.focus(regex));
    }

    /** Asserts on samples without a function or file matching {@code regex}, as {@code pprof -ignore}. */
    public ProfileAssert ignore(String regex) {
        isNotNull();
        return with(analysis.ignore(regex));
    }

    /**
     * Asserts on samples of threads whose name matches {@code regex} only; shares are of those threads'
     * time: {@code onThreads("main").hasCumShareAbove("Parser\\.parse", 50)} holds when parsing is
     * more than half of what the main thread did.
     */
    public ProfileAssert onThreads(String regex) {
        isNotNull();
        return with(analysis.threads(regex));
    }

    /**
     * Asserts on samples taken inside the region named {@code name} only (marked with
     * {@code dev.jprof.api.Jprof.region}; the innermost region of a sample counts), as
     * {@code pprof -tagfocus=region=<name>}; shares stay of the whole profile.
     *
     * <pre>{@code
     * assertThat(cpu).inRegion("parse").hotFunctions(5).noneMatch("java\\.util\\.regex");
     * // fails naming the regex frames among parse's five hottest
     * }</pre>
     */
    public ProfileAssert inRegion(String name) {
        isNotNull();
        return with(analysis.region(name));
    }

    /**
     * The profile holds at least {@code n} sampling events.
     *
     * <pre>{@code
     * assertThat(cpu).hasAtLeastSamples(200);   // fails with 42: "not enough samples (42); ..."
     * }</pre>
     */
    public ProfileAssert hasAtLeastSamples(long n) {
        isNotNull();
        long samples = analysis.sampleCount();
        if (samples < n) {
            throw failure(
                    NotEnoughSamples.notEnoughSamples(
                            "the profile has at least " + n + " samples",
                            "it has " + samples,
                            samples,
                            table(analysis, analysis.top(TABLE_ROWS), List.of())),
                    samples,
                    n);
        }
        return this;
    }

    /** Assertions on the {@code n} functions with the highest flat values, as {@code pprof -top}. */
    public HotFunctionsAssert hotFunctions(int n) {
        return hot(n, false);
    }

    /** Assertions on the {@code n} functions with the highest cumulative values, as {@code pprof -top -cum}. */
    public HotFunctionsAssert hotFunctionsByCum(int n) {
        return hot(n, true);
    }

    private HotFunctionsAssert hot(int n, boolean cum) {
        isNotNull();
        if (n < 1) {
            throw new IllegalArgumentException("The number of hot functions must be at least 1: " + n);
        }
        HotFunctionsAssert a = new HotFunctionsAssert(analysis, cum, n);
        carryOver(info, a.info);
        return a;
    }

    /**
     * The flat share (samples whose leaf function matches {@code regex}) is below {@code percent}.
     *
     * <pre>{@code
     * assertThat(cpu).hasFlatShareBelow("java\\.util\\.regex", 10);   // passes at 2% with 1,000 samples
     * assertThat(cpu).hasFlatShareBelow("java\\.util\\.regex", 10);   // fails at 30% with 1,000 samples
     * }</pre>
     */
    public ProfileAssert hasFlatShareBelow(String regex, double percent) {
        return share(regex, percent, false, true);
    }

    /** The flat share of functions matching {@code regex} is above {@code percent}; see {@link #hasFlatShareBelow}. */
    public ProfileAssert hasFlatShareAbove(String regex, double percent) {
        return share(regex, percent, false, false);
    }

    /**
     * The cumulative share (samples with a function matching {@code regex} anywhere on the stack) is
     * below {@code percent}.
     *
     * <pre>{@code
     * assertThat(cpu).hasCumShareBelow("Logger\\.log", 5);   // fails when logging is on 12% of the stacks
     * }</pre>
     */
    public ProfileAssert hasCumShareBelow(String regex, double percent) {
        return share(regex, percent, true, true);
    }

    /**
     * The cumulative share of functions matching {@code regex} is above {@code percent}.
     *
     * <pre>{@code
     * assertThat(cpu).hasCumShareAbove("Parser\\.parse", 50);   // passes when parsing is on 80% of the stacks
     * }</pre>
     */
    public ProfileAssert hasCumShareAbove(String regex, double percent) {
        return share(regex, percent, true, false);
    }

    private ProfileAssert share(String regex, double bound, boolean cum, boolean below) {
        isNotNull();
        Pattern p = Pattern.compile(regex);
        if (!(bound >= 0 && bound <= 100)) {
            throw new IllegalArgumentException("A share bound is a percentage from 0 to 100: " + bound);
        }
        ProfileAnalysis analysis = this.analysis;
        double share;
        long samples;
        double[] interval;
        while (true) {
            share = cum ? analysis.cumPercent(regex) : analysis.flatPercent(regex);
            samples = analysis.sampleCount();
            interval = Stats.interval(share, samples);
            boolean pass = below ? interval[1] < bound : interval[0] > bound;
            if (pass) {
                return this;
            }
            boolean fail = below ? interval[0] >= bound : interval[1] <= bound;
            Optional<Profile> more = fail ? Optional.empty() : Evidence.more(analysis.profile());
            if (more.isEmpty()) {
                break;
            }
            analysis = analysis.on(more.get());
        }
        boolean fail = below ? interval[0] >= bound : interval[1] <= bound;
        String metric = metric(analysis, cum);
        String what = "functions matching /" + regex + "/";
        List<HotFunction> rows = cum ? analysis.topCum() : analysis.top();
        String table = table(
                analysis,
                rows.subList(0, Math.min(TABLE_ROWS, rows.size())),
                rows.stream()
                        .filter(f ->
                                f.rank() > TABLE_ROWS && p.matcher(f.function()).find())
                        .limit(3)
                        .toList());
        String expected = (below ? "< " : "> ") + Figures.percent(bound);
        if (fail) {
            throw failure(
                    ShouldHaveShare.shouldHaveShare(
                            metric, what, below, bound, share, below ? interval[0] : interval[1], samples, table),
                    Figures.percent(share),
                    expected);
        }
        String claim =
                "the " + metric + " share of " + what + " is " + (below ? "below " : "above ") + Figures.percent(bound);
        String evidence = String.format(
                Locale.ROOT,
                "measured %s, between %s and %s at %.0f standard errors",
                Figures.percent(share),
                Figures.percent(interval[0]),
                Figures.percent(interval[1]),
                Stats.Z);
        throwAssertionError(NotEnoughSamples.notEnoughSamples(
                claim, evidence, samples, Evidence.outcome(analysis.profile()), table));
        return this;
    }

    /**
     * No function's flat share grew by more than {@code points} percentage points compared with
     * {@code baseline} (analysed with the same sample type and filters). Shares, not values, are
     * compared, so the two profiles may cover different lengths of time.
     *
     * <pre>{@code
     * assertThat(after).hasNoShareGrowthOver(before, 5);   // fails when Parser.parse went from 10% to 25%
     * }</pre>
     */
    public ProfileAssert hasNoShareGrowthOver(Profile baseline, double points) {
        return growth(baseline, points, false);
    }

    /** As {@link #hasNoShareGrowthOver}, for cumulative shares. */
    public ProfileAssert hasNoCumShareGrowthOver(Profile baseline, double points) {
        return growth(baseline, points, true);
    }

    private ProfileAssert growth(Profile baseline, double points, boolean cum) {
        isNotNull();
        Objects.requireNonNull(baseline, "baseline");
        ProfileAnalysis analysis = this.analysis;
        ProfileAnalysis base = analysis.on(baseline);
        long nBase = base.sampleCount();
        long n;
        List<ProfileDiff.Change> failing = new ArrayList<>();
        List<ProfileDiff.Change> undecided = new ArrayList<>();
        while (true) {
            ProfileDiff diff = ProfileDiff.of(base, analysis);
            n = analysis.sampleCount();
            failing.clear();
            undecided.clear();
            for (ProfileDiff.Change c : cum ? diff.byCumPointsGrowth() : diff.byFlatPointsGrowth()) {
                double grew = cum ? c.cumPoints() : c.flatPoints();
                double error = Stats.independentDifferenceError(
                        cum ? c.cumPercent() : c.flatPercent(),
                        n,
                        cum ? c.baseCumPercent() : c.baseFlatPercent(),
                        nBase);
                if (grew - points > Stats.Z * error) {
                    failing.add(c);
                } else if (points - grew <= Stats.Z * error) {
                    undecided.add(c);
                }
            }
            Optional<Profile> more =
                    failing.isEmpty() && !undecided.isEmpty() ? Evidence.more(analysis.profile()) : Optional.empty();
            if (more.isEmpty()) {
                break;
            }
            analysis = analysis.on(more.get());
        }
        String metric = metric(analysis, cum);
        if (!failing.isEmpty()) {
            throwAssertionError(ShouldNotGrow.shouldNotGrow(metric, points, failing.size(), growthTable(failing, cum)));
        }
        if (!undecided.isEmpty()) {
            String claim = "no function's " + metric + " share grew by more than "
                    + String.format(Locale.ROOT, "%.2f", points) + " points over the baseline";
            String evidence = String.format(
                    Locale.ROOT,
                    "%d function%s within %.0f standard errors of the bound; the baseline has %d samples",
                    undecided.size(),
                    undecided.size() == 1 ? " is" : "s are",
                    Stats.Z,
                    nBase);
            throwAssertionError(NotEnoughSamples.notEnoughSamples(
                    claim,
                    evidence,
                    n,
                    Evidence.outcome(analysis.profile()),
                    growthTable(undecided.subList(0, Math.min(TABLE_ROWS, undecided.size())), cum)));
        }
        return this;
    }

    /**
     * The failure of an assertion with an actual and an expected value (that IDEs show side by side), its
     * message made by {@code message}; {@code as}/{@code withFailMessage} apply as to any AssertJ failure.
     */
    private AssertionError failure(ErrorMessageFactory message, Object actualValue, Object expectedValue) {
        return failureWithActualExpected(
                actualValue, expectedValue, "%s", message.create(emptyDescription(), info.representation()));
    }

    private static String growthTable(List<ProfileDiff.Change> changes, boolean cum) {
        StringBuilder b = new StringBuilder(
                String.format(Locale.ROOT, "%8s %8s %8s  %s%n", "base%", "now%", "points", "function"));
        for (ProfileDiff.Change c : changes) {
            double was = cum ? c.baseCumPercent() : c.baseFlatPercent();
            double now = cum ? c.cumPercent() : c.flatPercent();
            b.append(String.format(
                    Locale.ROOT,
                    "%8s %8s %+8.2f  %s%n",
                    Figures.percent(was),
                    Figures.percent(now),
                    now - was,
                    c.function()));
        }
        return b.toString();
    }

    private static String metric(ProfileAnalysis analysis, boolean cum) {
        String m = (cum ? "cum " : "flat ") + analysis.valueType().type();
        return analysis.filters().isEmpty() ? m : m + " (" + String.join(", ", analysis.filters()) + ")";
    }

    private static String table(ProfileAnalysis analysis, List<HotFunction> top, List<HotFunction> extra) {
        List<HotFunction> rows = new ArrayList<>(top);
        rows.addAll(extra);
        return analysis.format(rows);
    }
}
