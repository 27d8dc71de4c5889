package dev.jprof.analysis;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * How a profile differs from a base profile, function by function, as {@code go tool pprof
 * -diff_base=base.pb.gz current.pb.gz} reports it, and as shares, which compare profiles of
 * different lengths.
 *
 * <pre>{@code
 * ProfileDiff diff = ProfileDiff.of(ProfileAnalysis.of(before), ProfileAnalysis.of(after));
 * Change worst = diff.byFlatPointsGrowth().get(0);   // the function whose flat share grew most
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ProfileDiff {

    /**
     * One function in either profile.
     *
     * @param function the function name
     * @param baseFlat its flat value in the base
     * @param flat its flat value now
     * @param baseCum its cum value in the base
     * @param cum its cum value now
     * @param baseFlatPercent its flat share of the base's total
     * @param flatPercent its flat share of the current total
     * @param baseCumPercent its cum share of the base's total
     * @param cumPercent its cum share of the current total
     */
    public record Change(
            String function,
            long baseFlat,
            long flat,
            long baseCum,
            long cum,
            double baseFlatPercent,
            double flatPercent,
            double baseCumPercent,
            double cumPercent) {

        /** {@code flat - baseFlat}: what {@code pprof -diff_base -top} prints as flat. */
        public long flatDelta() {
            return flat - baseFlat;
        }

        /** {@code cum - baseCum}: what {@code pprof -diff_base -top} prints as cum. */
        public long cumDelta() {
            return cum - baseCum;
        }

        /** How many percentage points the flat share grew (negative when it shrank). */
        public double flatPoints() {
            return flatPercent - baseFlatPercent;
        }

        /** How many percentage points the cum share grew (negative when it shrank). */
        public double cumPoints() {
            return cumPercent - baseCumPercent;
        }
    }

    private final ProfileAnalysis base;
    private final ProfileAnalysis current;
    private final List<Change> changes;

    private ProfileDiff(ProfileAnalysis base, ProfileAnalysis current) {
        this.base = base;
        this.current = current;
        Map<String, HotFunction> before = new HashMap<>();
        base.top().forEach(f -> before.put(f.function(), f));
        List<Change> list = new ArrayList<>();
        for (HotFunction now : current.top()) {
            HotFunction was = before.remove(now.function());
            list.add(
                    was == null
                            ? new Change(
                                    now.function(),
                                    0,
                                    now.flat(),
                                    0,
                                    now.cum(),
                                    0,
                                    now.flatPercent(),
                                    0,
                                    now.cumPercent())
                            : new Change(
                                    now.function(),
                                    was.flat(),
                                    now.flat(),
                                    was.cum(),
                                    now.cum(),
                                    was.flatPercent(),
                                    now.flatPercent(),
                                    was.cumPercent(),
                                    now.cumPercent()));
        }
        before.values()
                .forEach(was -> list.add(new Change(
                        was.function(), was.flat(), 0, was.cum(), 0, was.flatPercent(), 0, was.cumPercent(), 0)));
        list.sort(
                Comparator.comparingLong((Change c) -> -Math.abs(c.flatDelta())).thenComparing(Change::function));
        this.changes = List.copyOf(list);
    }

    /**
     * The difference of two analyses (with their filters). They must use the same sample type.
     *
     * @throws IllegalArgumentException naming both types when they differ
     */
    public static ProfileDiff of(ProfileAnalysis base, ProfileAnalysis current) {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(current, "current");
        if (!base.valueType().equals(current.valueType())) {
            throw new IllegalArgumentException("Cannot compare [" + current.valueType() + "] with a base of ["
                    + base.valueType() + "]: choose the same sample type for both");
        }
        return new ProfileDiff(base, current);
    }

    /** The base analysis. */
    public ProfileAnalysis base() {
        return base;
    }

    /** The current analysis. */
    public ProfileAnalysis current() {
        return current;
    }

    /** Every function of either profile, ordered as {@code pprof -diff_base -top}: |flat delta| descending, then name. */
    public List<Change> changes() {
        return changes;
    }

    /** Every function, the largest growth of flat share first. */
    public List<Change> byFlatPointsGrowth() {
        List<Change> list = new ArrayList<>(changes);
        list.sort(Comparator.comparingDouble((Change c) -> -c.flatPoints()).thenComparing(Change::function));
        return list;
    }

    /** Every function, the largest growth of cum share first. */
    public List<Change> byCumPointsGrowth() {
        List<Change> list = new ArrayList<>(changes);
        list.sort(Comparator.comparingDouble((Change c) -> -c.cumPoints()).thenComparing(Change::function));
        return list;
    }

    /**
     * {@code delta} as a percentage of the base's total: what {@code pprof -diff_base} prints as
     * flat% and cum%.
     */
    public double percentOfBase(long delta) {
        long t = base.total();
        return t == 0 ? 0 : 100.0 * delta / t;
    }
}
