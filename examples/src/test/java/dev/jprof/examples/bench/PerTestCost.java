package dev.jprof.examples.bench;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Measures what {@code @ProfileCpu} costs per test: runs the suite of 100 ~20 ms tests with and
 * without it, alternating, and prints the median time of each and their ratio.
 *
 * <p>Run with {@code mvn -B -pl examples -am -Pbench verify -DskipTests}; {@code -Dbench.rounds=N}
 * sets the number of measured rounds (default 7), after one warm-up round of each suite.
 */
public final class PerTestCost {

    private PerTestCost() {}

    public static void main(String[] args) {
        int rounds = Integer.getInteger("bench.rounds", 7);
        System.setProperty("jprof.output.dir", System.getProperty("bench.output", "target/jprof-bench"));
        run(PerTestCostSuite.Plain.class);
        run(PerTestCostSuite.Profiled.class);
        List<Double> plain = new ArrayList<>();
        List<Double> profiled = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            double p = run(PerTestCostSuite.Plain.class);
            double q = run(PerTestCostSuite.Profiled.class);
            plain.add(p);
            profiled.add(q);
            ratios.add(q / p);
            System.out.printf(Locale.ROOT, "round %d: plain %.0f ms, @ProfileCpu %.0f ms, ratio %.3f%n", i + 1, p, q, q / p);
        }
        double mp = median(plain);
        double mq = median(profiled);
        System.out.printf(Locale.ROOT, "100 tests of ~%.0f ms: plain %.0f ms, @ProfileCpu %.0f ms (median of %d rounds); "
                        + "ratio %.3f (median of per-round ratios %.3f); cost per test %.1f ms%n",
                mp / 100, mp, mq, rounds, mq / mp, median(ratios), (mq - mp) / 100);
    }

    static double run(Class<?> suite) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(suite)).build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        long start = System.nanoTime();
        LauncherFactory.create().execute(request, listener);
        double millis = (System.nanoTime() - start) / 1e6;
        TestExecutionSummary summary = listener.getSummary();
        if (summary.getTestsSucceededCount() != 100) {
            summary.getFailures().forEach(f -> f.getException().printStackTrace());
            throw new IllegalStateException(suite.getSimpleName() + ": " + summary.getTestsSucceededCount() + " of 100 tests passed");
        }
        return millis;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
