package dev.jprof.assertj.error;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.analysis.HotFunction;
import org.apiguardian.api.API;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** A function that must be among the top N hot functions is not. */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ShouldBeHot extends BasicErrorMessageFactory {

    private ShouldBeHot(String format, Object... arguments) {
        super(format, arguments);
    }

    /**
     * <pre>
     * Expecting a function matching /Parser\.parse/ among the top 3 by cum cpu
     * but the hottest one, com.acme.Parser.parse, is #7 with cum 2.10%:
     * (table)
     * </pre>
     * or, when no sample has such a function, {@code but no sample has one:}.
     *
     * @param best the hottest matching function, or {@code null} when there is none
     */
    public static ErrorMessageFactory shouldBeHot(
            String what, int n, String metric, HotFunction best, double bestPercent, String table) {
        if (best == null) {
            return new ShouldBeHot(
                    "%nExpecting a %s among the top %s by %s%nbut no sample has one:%n%s",
                    Describe.text(what), n, Describe.text(metric), Describe.text(table));
        }
        return new ShouldBeHot(
                "%nExpecting a %s among the top %s by %s%nbut the hottest one, %s, is #%s with %s %s:%n%s",
                Describe.text(what),
                n,
                Describe.text(metric),
                Describe.text(best.function()),
                best.rank(),
                Describe.text(metric.substring(0, metric.indexOf(' '))),
                Describe.percent(bestPercent),
                Describe.text(table));
    }
}
