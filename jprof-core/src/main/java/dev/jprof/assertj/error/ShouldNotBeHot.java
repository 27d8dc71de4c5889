package dev.jprof.assertj.error;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.analysis.HotFunction;
import dev.jprof.analysis.ProfileAnalysis;
import org.apiguardian.api.API;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** A function that must not be among the top N hot functions is. */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ShouldNotBeHot extends BasicErrorMessageFactory {

    private ShouldNotBeHot(String format, Object... arguments) {
        super(format, arguments);
    }

    /**
     * <pre>
     * Expecting no function matching /java\.util\.regex/ among the top 5 by flat cpu
     * but java.util.regex.Pattern$Start.match is #2 with flat 31.20%:
     * (table)
     * </pre>
     *
     * @param what the functions, for example {@code function matching /regex/}
     * @param metric {@code flat cpu} or {@code cum alloc_space}
     * @param table the top rows, as {@link ProfileAnalysis#format}
     */
    public static ErrorMessageFactory shouldNotBeHot(
            String what, int n, String metric, HotFunction offender, double offenderPercent, String table) {
        return new ShouldNotBeHot(
                "%nExpecting no %s among the top %s by %s%nbut %s is #%s with %s %s:%n%s",
                Describe.text(what),
                n,
                Describe.text(metric),
                Describe.text(offender.function()),
                offender.rank(),
                Describe.text(metric.substring(0, metric.indexOf(' '))),
                Describe.percent(offenderPercent),
                Describe.text(table));
    }
}
