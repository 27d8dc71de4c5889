package dev.jprof.jmh.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * The Mann-Whitney U test (Wilcoxon rank-sum), two-sided, as benchstat uses it: no assumption about the
 * distribution of the scores, robust to outliers. Exact p-values for small samples without ties (up to
 * {@value #EXACT_LIMIT} values per side), otherwise the normal approximation with tie and continuity
 * corrections.
 */
@API(status = INTERNAL, since = "0.1")
public final class MannWhitney {

    static final int EXACT_LIMIT = 30;

    private MannWhitney() {}

    /** The U statistic of {@code a}: the number of pairs (x in a, y in b) with x > y, ties counting one half. */
    public static double u(double[] a, double[] b) {
        double u = 0;
        for (double x : a) {
            for (double y : b) {
                u += x > y ? 1 : x == y ? 0.5 : 0;
            }
        }
        return u;
    }

    /**
     * The two-sided p-value of the hypothesis that {@code a} and {@code b} come from the same distribution.
     * 1 when either side is empty.
     */
    public static double pValue(double[] a, double[] b) {
        int n = a.length;
        int m = b.length;
        if (n == 0 || m == 0) {
            return 1;
        }
        double u = u(a, b);
        boolean ties = hasTies(a, b);
        if (!ties && n <= EXACT_LIMIT && m <= EXACT_LIMIT) {
            return exact(u, n, m);
        }
        double mean = n * (double) m / 2;
        double tieTerm = tieTerm(a, b);
        int total = n + m;
        double variance = n * (double) m / 12 * ((total + 1) - tieTerm / (total * (double) (total - 1)));
        if (variance <= 0) {
            return 1; // every value equal
        }
        double z = (Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
        return Math.min(1, 2 * (1 - normalCdf(Math.max(0, z))));
    }

    /** The smallest two-sided p-value samples of sizes {@code n} and {@code m} can give (all of one side above the other). */
    public static double minimumPValue(int n, int m) {
        if (n == 0 || m == 0) {
            return 1;
        }
        if (n <= EXACT_LIMIT && m <= EXACT_LIMIT) {
            return exact(0, n, m);
        }
        return 0;
    }

    private static double exact(double u, int n, int m) {
        double[] dist = distribution(n, m);
        double mean = n * (double) m / 2;
        double lo = Math.min(u, 2 * mean - u);
        double tail = 0;
        for (int k = 0; k <= (int) Math.floor(lo + 1e-9); k++) {
            tail += dist[k];
        }
        return Math.min(1, 2 * tail);
    }

    /** P(U = k) for k = 0 .. n*m, by the recurrence f(n, m, k) = f(n-1, m, k-m) + f(n, m-1, k). */
    private static double[] distribution(int n, int m) {
        // f[j][k] for the current i: arrangements with i values of the first sample and j of the second
        double[][] f = new double[m + 1][];
        for (int j = 0; j <= m; j++) {
            f[j] = new double[1];
            f[j][0] = 1; // i = 0: U = 0
        }
        for (int i = 1; i <= n; i++) {
            double[][] g = new double[m + 1][];
            g[0] = new double[] {1};
            for (int j = 1; j <= m; j++) {
                double[] r = new double[i * j + 1];
                double[] left = f[j]; // i-1, j: shift by j
                for (int k = 0; k < left.length; k++) {
                    r[k + j] += left[k];
                }
                double[] down = g[j - 1]; // i, j-1
                for (int k = 0; k < down.length; k++) {
                    r[k] += down[k];
                }
                g[j] = r;
            }
            f = g;
        }
        double[] counts = f[m];
        double sum = Arrays.stream(counts).sum();
        double[] p = new double[counts.length];
        for (int k = 0; k < counts.length; k++) {
            p[k] = counts[k] / sum;
        }
        return p;
    }

    private static boolean hasTies(double[] a, double[] b) {
        double[] all = concat(a, b);
        Arrays.sort(all);
        for (int i = 1; i < all.length; i++) {
            if (all[i] == all[i - 1]) {
                return true;
            }
        }
        return false;
    }

    /** The sum over groups of tied values of t^3 - t. */
    private static double tieTerm(double[] a, double[] b) {
        double[] all = concat(a, b);
        Arrays.sort(all);
        double term = 0;
        int i = 0;
        while (i < all.length) {
            int j = i;
            while (j + 1 < all.length && all[j + 1] == all[i]) {
                j++;
            }
            double t = j - i + 1;
            term += t * t * t - t;
            i = j + 1;
        }
        return term;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** The standard normal CDF (Abramowitz-Stegun 7.1.26 through erf; absolute error below 1.5e-7). */
    public static double normalCdf(double z) {
        double x = Math.abs(z) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double erf = 1
                - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592)
                        * t
                        * Math.exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
