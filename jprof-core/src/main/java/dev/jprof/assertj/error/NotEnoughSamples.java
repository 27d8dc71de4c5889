package dev.jprof.assertj.error;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * A sampled profile has too few samples to decide an assertion either way: its result would be
 * chance, so it fails rather than pass or fail at random.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class NotEnoughSamples extends BasicErrorMessageFactory {

    private NotEnoughSamples(String claim, String evidence, long samples, String after, String table) {
        super(
                "%nCannot decide whether %s%n(%s):%nnot enough samples (%s)%s%n%s",
                Describe.text(claim),
                Describe.text(evidence),
                Describe.count(samples),
                Describe.text(after),
                Describe.text(table));
    }

    /**
     * <pre>
     * Cannot decide whether the flat cpu share of functions matching /regex/ is below 10.00%
     * (measured 8.00%, between 2.10% and 25.30% at 3 standard errors):
     * not enough samples (42); run longer or lower the interval
     * (table)
     * </pre>
     *
     * @param claim what was to be decided
     * @param evidence what was measured and how uncertain it is
     */
    public static ErrorMessageFactory notEnoughSamples(String claim, String evidence, long samples, String table) {
        return notEnoughSamples(claim, evidence, samples, "; run longer or lower the interval", table);
    }

    /**
     * As {@link #notEnoughSamples(String, String, long, String)}, with what was done to get more
     * samples after the count: {@code "not enough samples (42) after repeating for 5 s (…)"}.
     *
     * @param after what follows the count, for example {@code " after repeating for 5 s"}
     */
    public static ErrorMessageFactory notEnoughSamples(
            String claim, String evidence, long samples, String after, String table) {
        return new NotEnoughSamples(claim, evidence, samples, after, table);
    }
}
