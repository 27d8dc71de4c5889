package dev.jprof.assertj.error;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.analysis.HotFunction;
import dev.jprof.internal.Figures;
import org.apiguardian.api.API;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** A function that must be among the top N hot functions is not. */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ShouldBeHot extends BasicErrorMessageFactory {

    private ShouldBeHot(String message) {
        super("%s", unquotedString(message));
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
        String but = best == null
                ? "but no sample has one"
                : "but the hottest one, " + best.function() + ", is #" + best.rank() + " with "
                        + metric.substring(0, metric.indexOf(' ')) + " " + Figures.percent(bestPercent);
        return new ShouldBeHot(
                String.format("%nExpecting a %s among the top %d by %s%n%s:%n%s", what, n, metric, but, table));
    }
}
