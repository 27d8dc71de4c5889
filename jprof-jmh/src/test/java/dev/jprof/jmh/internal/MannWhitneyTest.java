package dev.jprof.jmh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import org.junit.jupiter.api.Test;

class MannWhitneyTest {

    @Test
    void exactPValuesOfSmallSamples() {
        // 3 vs 3 fully separated: 2 of the C(6,3) = 20 arrangements are as extreme
        assertThat(MannWhitney.pValue(new double[] {1, 2, 3}, new double[] {4, 5, 6}))
                .isCloseTo(0.1, offset(1e-12));
        // 5 vs 5 fully separated: 2 / C(10,5) = 2 / 252
        assertThat(MannWhitney.pValue(new double[] {1, 2, 3, 4, 5}, new double[] {6, 7, 8, 9, 10}))
                .isCloseTo(2.0 / 252, offset(1e-12));
        // interleaved, U = 10 (scipy.stats.mannwhitneyu exact: 0.6905)
        assertThat(MannWhitney.pValue(new double[] {1, 3, 5, 7, 9}, new double[] {2, 4, 6, 8, 10}))
                .isCloseTo(0.6905, offset(1e-4));
        assertThat(MannWhitney.minimumPValue(2, 2)).isCloseTo(1.0 / 3, offset(1e-12));
        assertThat(MannWhitney.minimumPValue(4, 4)).isCloseTo(2.0 / 70, offset(1e-12));
    }

    @Test
    void symmetricInItsArguments() {
        double[] a = {3.1, 2.7, 5.5, 4.0, 3.3, 2.2};
        double[] b = {4.4, 6.1, 5.2, 3.9, 7.0};
        assertThat(MannWhitney.pValue(a, b)).isEqualTo(MannWhitney.pValue(b, a));
        assertThat(MannWhitney.u(a, b) + MannWhitney.u(b, a)).isEqualTo(30);
    }

    @Test
    void normalApproximationWithTies() {
        // scipy.stats.mannwhitneyu(..., method='asymptotic', use_continuity=True): p = 0.009359
        double p = MannWhitney.pValue(
                new double[] {1, 2, 2, 3, 3, 3, 4, 4, 5, 6}, new double[] {3, 4, 4, 5, 5, 6, 6, 7, 8, 9});
        assertThat(p).isCloseTo(0.009359, offset(1e-5));
        assertThat(MannWhitney.pValue(new double[] {1, 1, 1}, new double[] {1, 1, 1}))
                .isEqualTo(1);
        assertThat(MannWhitney.pValue(new double[] {}, new double[] {1})).isEqualTo(1);
    }
}
