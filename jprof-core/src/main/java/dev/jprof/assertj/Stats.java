package dev.jprof.assertj;

/**
 * When a sampled figure decides an assertion. Shares estimated from {@code n} sampling events are
 * treated as binomial proportions; a result is decided when it lies at least {@link #Z} standard
 * errors from the bound, otherwise the assertion fails with "not enough samples".
 */
final class Stats {

    /** Standard errors between an estimate and a bound for the result to count. */
    static final double Z = 3.0;

    /**
     * Fewer events than this decide nothing: with one event at 100%, the interval at {@link #Z} still
     * excludes a 5% bound, and a test would pass or fail on a single sample.
     */
    static final long MIN_EVENTS = 10;

    private Stats() {}

    /** {@code [low, high]} in percent: the Wilson score interval of a share {@code percent} estimated from {@code n} events. */
    static double[] interval(double percent, long n) {
        if (n < MIN_EVENTS) {
            return new double[] {0, 100};
        }
        double p = Math.min(1, Math.max(0, percent / 100));
        double z2 = Z * Z;
        double denominator = 1 + z2 / n;
        double center = (p + z2 / (2.0 * n)) / denominator;
        double half = Z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
        return new double[] {100 * Math.max(0, center - half), 100 * Math.min(1, center + half)};
    }

    /**
     * The standard error, in points, of the difference of two shares of one profile of {@code n}
     * events (a multinomial), with one pseudo-event each so that zero shares do not look certain.
     */
    static double differenceError(double percentA, double percentB, long n) {
        if (n < MIN_EVENTS) {
            return Double.POSITIVE_INFINITY;
        }
        double a = (percentA / 100 * n + 1) / (n + 2.0);
        double b = (percentB / 100 * n + 1) / (n + 2.0);
        return 100 * Math.sqrt(Math.max(0, a + b - (a - b) * (a - b)) / (n + 2.0));
    }

    /** The standard error, in points, of the difference of shares of two independent profiles. */
    static double independentDifferenceError(double percentA, long nA, double percentB, long nB) {
        if (nA < MIN_EVENTS || nB < MIN_EVENTS) {
            return Double.POSITIVE_INFINITY;
        }
        return 100 * Math.sqrt(variance(percentA, nA) + variance(percentB, nB));
    }

    private static double variance(double percent, long n) {
        double p = (percent / 100 * n + 1) / (n + 2.0);
        return p * (1 - p) / (n + 2.0);
    }
}
