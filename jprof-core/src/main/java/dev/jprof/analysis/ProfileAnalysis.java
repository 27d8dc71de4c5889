package dev.jprof.analysis;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.internal.Figures;
import dev.jprof.profile.Frame;
import dev.jprof.profile.Profile;
import dev.jprof.profile.Sample;
import dev.jprof.profile.ValueType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * What {@code go tool pprof} reports about a profile, as a Java API: top functions by flat and
 * cumulative value, focus and ignore filters, a per-thread breakdown.
 *
 * <pre>{@code
 * ProfileAnalysis cpu = ProfileAnalysis.of(profile);
 * List<HotFunction> top = cpu.top(10);                 // go tool pprof -top
 * List<HotFunction> topCum = cpu.topCum(10);           // go tool pprof -top -cum
 * double regex = cpu.focus("java\\.util\\.regex").flatPercent();
 * }</pre>
 *
 * <p>Semantics are pprof's, at its default {@code functions} granularity: frames are grouped by
 * function name; a function's <em>flat</em> value is the value of samples whose leaf is that function,
 * its <em>cum</em> value that of samples whose stack contains it at least once (recursion counts once).
 * Percentages are of the total of the chosen sample type over the <em>whole</em> profile, before any
 * {@link #focus focus} or {@link #ignore ignore}, as pprof prints them by default; the total sums
 * absolute values. A {@link #threads thread filter} narrows the whole: shares on
 * {@code threads("main")} are shares of the main thread's time. The sample type is the
 * profile's default ({@code cpu}, {@code wall}, {@code alloc_space}, {@code delay}) unless chosen
 * with {@link #sampleType(String)}.
 *
 * <p>Instances are immutable: each filter returns a new analysis.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ProfileAnalysis {

    private final Profile profile;
    private final int valueIndex;
    private final List<Predicate<Sample>> filters;
    /** The filters that narrow the whole (thread filters): the base of percentages and sample counts. */
    private final List<Predicate<Sample>> baseFilters;

    private final List<String> description;

    private List<Sample> kept;
    private List<Sample> base;
    private Map<String, long[]> byFunction;
    private long total = -1;

    private ProfileAnalysis(
            Profile profile,
            int valueIndex,
            List<Predicate<Sample>> filters,
            List<Predicate<Sample>> baseFilters,
            List<String> description) {
        this.profile = profile;
        this.valueIndex = valueIndex;
        this.filters = List.copyOf(filters);
        this.baseFilters = List.copyOf(baseFilters);
        this.description = List.copyOf(description);
    }

    /** The analysis of {@code profile}'s default sample type (the last one when it names none), with no filter. */
    public static ProfileAnalysis of(Profile profile) {
        Objects.requireNonNull(profile, "profile");
        return new ProfileAnalysis(profile, defaultIndex(profile), List.of(), List.of(), List.of());
    }

    /** The index of the sample type tools show by default: the named default, else the last type. */
    static int defaultIndex(Profile profile) {
        String type = profile.defaultSampleType();
        if (type != null) {
            List<ValueType> types = profile.sampleTypes();
            for (int i = 0; i < types.size(); i++) {
                if (types.get(i).type().equals(type)) {
                    return i;
                }
            }
        }
        return profile.sampleTypes().size() - 1;
    }

    /**
     * This analysis on the values of {@code type}, as {@code -sample_index=<type>}.
     *
     * @throws IllegalArgumentException naming the available types when the profile has no such type
     */
    public ProfileAnalysis sampleType(String type) {
        return new ProfileAnalysis(profile, profile.valueIndex(type), filters, baseFilters, description);
    }

    /**
     * Keeps only samples with a frame whose function or file name contains a match of {@code regex},
     * as {@code -focus=<regex>}. Several calls must all match.
     *
     * @throws java.util.regex.PatternSyntaxException when {@code regex} is invalid
     */
    public ProfileAnalysis focus(String regex) {
        Pattern p = Pattern.compile(regex);
        return with(s -> anyFrame(s, p), "focus=" + regex);
    }

    /**
     * Drops samples with a frame whose function or file name contains a match of {@code regex}, as
     * {@code -ignore=<regex>}.
     *
     * @throws java.util.regex.PatternSyntaxException when {@code regex} is invalid
     */
    public ProfileAnalysis ignore(String regex) {
        Pattern p = Pattern.compile(regex);
        return with(s -> !anyFrame(s, p), "ignore=" + regex);
    }

    /**
     * Keeps only samples whose {@code thread} label contains a match of {@code regex}, as
     * {@code -tagfocus=thread=<regex>}, and makes those threads the whole: percentages are of their
     * total and {@link #sampleCount()} counts their events, so {@code threads("main")} gives shares of
     * the main thread's time (pprof's {@code -tagfocus} keeps the whole profile's total).
     *
     * @throws java.util.regex.PatternSyntaxException when {@code regex} is invalid
     */
    public ProfileAnalysis threads(String regex) {
        Pattern p = Pattern.compile(regex);
        Predicate<Sample> filter = s -> p.matcher(Objects.requireNonNullElse(s.label(Sample.THREAD_LABEL), ""))
                .find();
        List<Predicate<Sample>> b = new ArrayList<>(baseFilters);
        b.add(filter);
        ProfileAnalysis a = with(filter, "threads=" + regex);
        return new ProfileAnalysis(profile, valueIndex, a.filters, b, a.description);
    }

    /**
     * Keeps only samples taken inside a region named {@code name} (its {@code region} label, the
     * innermost region's name), as {@code -tagfocus=region=<name>}. Regions are marked with
     * {@code dev.jprof.api.Jprof.region}.
     */
    public ProfileAnalysis region(String name) {
        Objects.requireNonNull(name, "name");
        return with(s -> name.equals(s.label(Sample.REGION_LABEL)), "region=" + name);
    }

    /**
     * This analysis's sample type and filters applied to {@code other}, for example a baseline.
     *
     * @throws IllegalArgumentException when {@code other} has no sample type of this analysis's type
     */
    public ProfileAnalysis on(Profile other) {
        Objects.requireNonNull(other, "other");
        return new ProfileAnalysis(other, other.valueIndex(valueType().type()), filters, baseFilters, description);
    }

    private ProfileAnalysis with(Predicate<Sample> filter, String what) {
        List<Predicate<Sample>> f = new ArrayList<>(filters);
        f.add(filter);
        List<String> d = new ArrayList<>(description);
        d.add(what);
        return new ProfileAnalysis(profile, valueIndex, f, baseFilters, d);
    }

    private static boolean anyFrame(Sample s, Pattern p) {
        for (Frame f : s.stack()) {
            if (p.matcher(f.function()).find()
                    || (!f.file().isEmpty() && p.matcher(f.file()).find())) {
                return true;
            }
        }
        return false;
    }

    /** The profile analysed, unfiltered. */
    public Profile profile() {
        return profile;
    }

    /** The samples this analysis keeps, in profile order. */
    public List<Sample> samples() {
        if (kept == null) {
            List<Sample> k = new ArrayList<>();
            for (Sample s : profile.samples()) {
                if (filters.stream().allMatch(f -> f.test(s))) {
                    k.add(s);
                }
            }
            kept = List.copyOf(k);
        }
        return kept;
    }

    /** The samples of the whole that percentages are of: every sample, or those of the threads chosen. */
    private List<Sample> baseSamples() {
        if (base == null) {
            base = baseFilters.isEmpty()
                    ? profile.samples()
                    : profile.samples().stream()
                            .filter(s -> baseFilters.stream().allMatch(f -> f.test(s)))
                            .toList();
        }
        return base;
    }

    /** The filtered profile: the same header, only the samples this analysis keeps. */
    public Profile filteredProfile() {
        Profile.Builder b = profile.withoutSamples();
        for (Sample s : samples()) {
            b.addSample(s.stack(), s.values(), s.labels());
        }
        return b.build();
    }

    /** The chosen sample type. */
    public ValueType valueType() {
        return profile.sampleTypes().get(valueIndex);
    }

    /** The filters applied, as pprof options ({@code focus=…}, {@code ignore=…}, {@code threads=…}). */
    public List<String> filters() {
        return description;
    }

    /**
     * The total of the chosen sample type over the whole profile, or the threads {@link #threads}
     * chose (absolute values): the base of every percentage.
     */
    public long total() {
        if (total < 0) {
            long t = 0;
            for (Sample s : baseSamples()) {
                t += Math.abs(s.value(valueIndex));
            }
            total = t;
        }
        return total;
    }

    /** The total of the chosen sample type over the samples this analysis keeps. */
    public long value() {
        long v = 0;
        for (Sample s : samples()) {
            v += s.value(valueIndex);
        }
        return v;
    }

    /** {@link #value()} as a percentage of {@link #total()}: the share of what the filters keep. */
    public double percent() {
        return percent(value());
    }

    /**
     * How many sampling events the whole profile holds: the sum of its {@code samples} values where
     * it has that type (CPU and wall profiles, Go's profiles), otherwise its number of samples (each
     * allocation or lock event jprof records is one sample). This is what decides how precise a
     * percentage is. After {@link #threads}, the events of those threads.
     */
    public long sampleCount() {
        return countEvents(baseSamples());
    }

    /** {@link #sampleCount()} over the samples this analysis keeps. */
    public long keptSampleCount() {
        return countEvents(samples());
    }

    private long countEvents(List<Sample> samples) {
        int idx = samplesIndex(profile);
        if (idx < 0) {
            return samples.size();
        }
        long n = 0;
        for (Sample s : samples) {
            n += Math.abs(s.value(idx));
        }
        return n;
    }

    static int samplesIndex(Profile profile) {
        List<ValueType> types = profile.sampleTypes();
        for (int i = 0; i < types.size(); i++) {
            if (types.get(i).type().equals("samples") && types.get(i).unit().equals("count")) {
                return i;
            }
        }
        return -1;
    }

    /** Flat and cum per function over the kept samples: {@code {flat, cum}}. */
    private Map<String, long[]> byFunction() {
        if (byFunction == null) {
            Map<String, long[]> map = new HashMap<>();
            Set<String> seen = new HashSet<>();
            for (Sample s : samples()) {
                long v = s.value(valueIndex);
                List<Frame> stack = s.stack();
                if (stack.isEmpty()) {
                    continue;
                }
                map.computeIfAbsent(stack.get(0).function(), k -> new long[2])[0] += v;
                seen.clear();
                for (Frame f : stack) {
                    if (seen.add(f.function())) {
                        map.computeIfAbsent(f.function(), k -> new long[2])[1] += v;
                    }
                }
            }
            byFunction = map;
        }
        return byFunction;
    }

    /** Every function of the kept samples, ordered as {@code pprof -top}: flat descending, then name. */
    public List<HotFunction> top() {
        return rows(FLAT_ORDER, Integer.MAX_VALUE);
    }

    /** The first {@code n} rows of {@link #top()}. */
    public List<HotFunction> top(int n) {
        return rows(FLAT_ORDER, n);
    }

    /** Every function of the kept samples, ordered as {@code pprof -top -cum}: cum descending, then name. */
    public List<HotFunction> topCum() {
        return rows(CUM_ORDER, Integer.MAX_VALUE);
    }

    /** The first {@code n} rows of {@link #topCum()}. */
    public List<HotFunction> topCum(int n) {
        return rows(CUM_ORDER, n);
    }

    private static final Comparator<Map.Entry<String, long[]>> FLAT_ORDER =
            Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -Math.abs(e.getValue()[0]))
                    .thenComparing(Map.Entry::getKey)
                    .thenComparingLong(e -> -Math.abs(e.getValue()[1]));
    private static final Comparator<Map.Entry<String, long[]>> CUM_ORDER =
            Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -Math.abs(e.getValue()[1]))
                    .thenComparing(Map.Entry::getKey)
                    .thenComparingLong(e -> -Math.abs(e.getValue()[0]));

    private List<HotFunction> rows(Comparator<Map.Entry<String, long[]>> order, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("The number of rows must not be negative: " + n);
        }
        List<Map.Entry<String, long[]>> entries = new ArrayList<>(byFunction().entrySet());
        entries.sort(order);
        List<HotFunction> rows = new ArrayList<>(Math.min(n, entries.size()));
        for (Map.Entry<String, long[]> e : entries) {
            if (rows.size() == n) {
                break;
            }
            long[] v = e.getValue();
            rows.add(new HotFunction(rows.size() + 1, e.getKey(), v[0], percent(v[0]), v[1], percent(v[1])));
        }
        return List.copyOf(rows);
    }

    /**
     * The row of the function named exactly {@code function} in {@link #top()}; a row of zeros with
     * rank 0 when no kept sample has it.
     */
    public HotFunction function(String function) {
        for (HotFunction f : top()) {
            if (f.function().equals(function)) {
                return f;
            }
        }
        return new HotFunction(0, function, 0, 0, 0, 0);
    }

    /** The value of kept samples whose leaf function's name contains a match of {@code regex}. */
    public long flat(String regex) {
        Pattern p = Pattern.compile(regex);
        long v = 0;
        for (Sample s : samples()) {
            if (!s.stack().isEmpty() && p.matcher(s.stack().get(0).function()).find()) {
                v += s.value(valueIndex);
            }
        }
        return v;
    }

    /** The value of kept samples with a function whose name contains a match of {@code regex} (each sample once). */
    public long cum(String regex) {
        Pattern p = Pattern.compile(regex);
        long v = 0;
        for (Sample s : samples()) {
            for (Frame f : s.stack()) {
                if (p.matcher(f.function()).find()) {
                    v += s.value(valueIndex);
                    break;
                }
            }
        }
        return v;
    }

    /** {@link #flat(String)} as a percentage of {@link #total()}. */
    public double flatPercent(String regex) {
        return percent(flat(regex));
    }

    /** {@link #cum(String)} as a percentage of {@link #total()}. */
    public double cumPercent(String regex) {
        return percent(cum(regex));
    }

    /** Per thread ({@code thread} label) over the kept samples: value descending, then name. */
    public List<ThreadShare> threadShares() {
        Map<String, long[]> map = new HashMap<>();
        int idx = samplesIndex(profile);
        for (Sample s : samples()) {
            long[] v =
                    map.computeIfAbsent(Objects.requireNonNullElse(s.label(Sample.THREAD_LABEL), ""), k -> new long[2]);
            v[0] += s.value(valueIndex);
            v[1] += idx < 0 ? 1 : Math.abs(s.value(idx));
        }
        List<ThreadShare> shares = new ArrayList<>();
        map.forEach((thread, v) -> shares.add(new ThreadShare(thread, v[0], percent(v[0]), v[1])));
        shares.sort(Comparator.comparingLong((ThreadShare t) -> -Math.abs(t.value()))
                .thenComparing(ThreadShare::thread));
        return List.copyOf(shares);
    }

    private double percent(long value) {
        long t = total();
        return t == 0 ? 0 : 100.0 * value / t;
    }

    /**
     * {@code rows} as a table a person reads, like {@code pprof -top}: a header line with the sample
     * type, total and number of samples, then rank, flat, flat%, cum, cum% and function per row.
     */
    public String format(List<HotFunction> rows) {
        ValueType type = valueType();
        StringBuilder b = new StringBuilder();
        b.append(type.type())
                .append(": total ")
                .append(Figures.value(total(), type.unit()))
                .append(" in ")
                .append(sampleCount())
                .append(sampleCount() == 1 ? " sample" : " samples");
        if (!description.isEmpty()) {
            b.append(", ")
                    .append(String.join(", ", description))
                    .append(" keeps ")
                    .append(Figures.value(value(), type.unit()))
                    .append(" (")
                    .append(Figures.percent(percent()))
                    .append(')');
        }
        b.append('\n');
        b.append(String.format(
                Locale.ROOT, "%5s %10s %7s %10s %7s  %s%n", "rank", "flat", "flat%", "cum", "cum%", "function"));
        for (HotFunction f : rows) {
            b.append(String.format(
                    Locale.ROOT,
                    "%5d %10s %7s %10s %7s  %s%n",
                    f.rank(),
                    Figures.value(f.flat(), type.unit()),
                    Figures.percent(f.flatPercent()),
                    Figures.value(f.cum(), type.unit()),
                    Figures.percent(f.cumPercent()),
                    f.function()));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "ProfileAnalysis[" + valueType() + (description.isEmpty() ? "" : ", " + String.join(", ", description))
                + "]";
    }
}
