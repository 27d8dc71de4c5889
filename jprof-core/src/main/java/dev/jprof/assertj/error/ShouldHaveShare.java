package dev.jprof.assertj.error;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** A share of a profile is on the wrong side of its bound. */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ShouldHaveShare extends BasicErrorMessageFactory {

    private ShouldHaveShare(String format, Object... arguments) {
        super(format, arguments);
    }

    /**
     * <pre>
     * Expecting the flat cpu share of functions matching /regex/ to be below 10.00%
     * but it is 23.45% (at least 20.10% with 500 samples):
     * (table)
     * </pre>
     *
     * @param below {@code true} for an upper bound, {@code false} for a lower bound
     * @param conservative the end of the confidence interval nearest to the bound
     */
    public static ErrorMessageFactory shouldHaveShare(
            String metric,
            String what,
            boolean below,
            double bound,
            double actual,
            double conservative,
            long samples,
            String table) {
        return new ShouldHaveShare(
                below
                        ? "%nExpecting the %s share of %s to be below %s%nbut it is %s (at least %s with %s samples):%n%s"
                        : "%nExpecting the %s share of %s to be above %s%nbut it is %s (at most %s with %s samples):%n%s",
                Describe.text(metric),
                Describe.text(what),
                Describe.percent(bound),
                Describe.percent(actual),
                Describe.percent(conservative),
                Describe.count(samples),
                Describe.text(table));
    }
}
