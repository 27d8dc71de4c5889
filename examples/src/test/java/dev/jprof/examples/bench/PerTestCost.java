package dev.jprof.examples.bench;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Measures what {@code @ProfileCpu} costs per test: runs the suite of 100 ~20 ms tests with and
 * without it, the plain suite with {@code jprof.profile=cpu} (the whole suite profiled, no
 * annotation), the suite with {@code @AllocationLimit(bytes = …)} (bytes only, a limit it stays
 * below) and the plain suite with {@code jprof.flight=on} (the flight recorder, which writes nothing
 * for passing tests), alternating, and prints the median time of each and their ratio to the plain suite.
 *
 * <p>Run with {@code mvn -B -pl examples -am -Pbench verify -DskipTests}; {@code -Dbench.rounds=N}
 * sets the number of measured rounds (default 7), after one warm-up round of each suite.
 */
public final class PerTestCost {

    private PerTestCost() {}

    public static void main(String[] args) {
        int rounds = Integer.getInteger("bench.rounds", 7);
        System.setProperty("jprof.output.dir", System.getProperty("bench.output", "target/jprof-bench"));
        Map<String, String> wholeSuite = Map.of("jprof.profile", "cpu");
        Map<String, String> flight = Map.of("jprof.flight", "on");
        run(PerTestCostSuite.Plain.class);
        run(PerTestCostSuite.Profiled.class);
        run(PerTestCostSuite.Plain.class, wholeSuite);
        run(PerTestCostSuite.Limited.class);
        List<Double> limited = new ArrayList<>();
        List<Double> limitedRatios = new ArrayList<>();
        run(PerTestCostSuite.Plain.class, flight);
        List<Double> flown = new ArrayList<>();
        List<Double> flightRatios = new ArrayList<>();
        List<Double> plain = new ArrayList<>();
        List<Double> profiled = new ArrayList<>();
        List<Double> suite = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> suiteRatios = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            double p = run(PerTestCostSuite.Plain.class);
            double q = run(PerTestCostSuite.Profiled.class);
            double w = run(PerTestCostSuite.Plain.class, wholeSuite);
            double a = run(PerTestCostSuite.Limited.class);
            limited.add(a);
            limitedRatios.add(a / p);
            double f = run(PerTestCostSuite.Plain.class, flight);
            flown.add(f);
            flightRatios.add(f / p);
            plain.add(p);
            profiled.add(q);
            suite.add(w);
            ratios.add(q / p);
            suiteRatios.add(w / p);
            System.out.printf(
                    Locale.ROOT,
                    "round %d: plain %.0f ms, @ProfileCpu %.0f ms (%.3f), jprof.profile=cpu %.0f ms (%.3f),"
                            + " @AllocationLimit(bytes) %.0f ms (%.3f), jprof.flight=on %.0f ms (%.3f)%n",
                    i + 1,
                    p,
                    q,
                    q / p,
                    w,
                    w / p,
                    a,
                    a / p,
                    f,
                    f / p);
        }
        double mp = median(plain);
        double mq = median(profiled);
        double mw = median(suite);
        System.out.printf(
                Locale.ROOT,
                "100 tests of ~%.0f ms: plain %.0f ms, @ProfileCpu %.0f ms (median of %d rounds); "
                        + "ratio %.3f (median of per-round ratios %.3f); cost per test %.1f ms%n",
                mp / 100,
                mp,
                mq,
                rounds,
                mq / mp,
                median(ratios),
                (mq - mp) / 100);
        System.out.printf(
                Locale.ROOT,
                "same suite with jprof.profile=cpu: %.0f ms; ratio %.3f (median of per-round ratios %.3f); "
                        + "cost per test %.1f ms%n",
                mw,
                mw / mp,
                median(suiteRatios),
                (mw - mp) / 100);
        double ma = median(limited);
        System.out.printf(
                Locale.ROOT,
                "same suite with @AllocationLimit(bytes = ...), bytes only: %.0f ms; ratio %.3f (median of"
                        + " per-round ratios %.3f); cost per test %.2f ms%n",
                ma,
                ma / mp,
                median(limitedRatios),
                (ma - mp) / 100);
        double mf = median(flown);
        System.out.printf(
                Locale.ROOT,
                "same suite with jprof.flight=on: %.0f ms; ratio %.3f (median of per-round ratios %.3f)%n",
                mf,
                mf / mp,
                median(flightRatios));
    }

    private static int launches;

    static double run(Class<?> suite) {
        return run(suite, Map.of());
    }

    static double run(Class<?> suite, Map<String, String> config) {
        // Each launch writes to a folder of its own, as a separate build would: in one output folder, a JVM's
        // launches are one run, and each would merge the suite profiles of all earlier rounds into its own.
        String dir = System.getProperty("jprof.output.dir", "target/jprof-bench") + "/launch-" + (++launches);
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(suite))
                .configurationParameters(config)
                .configurationParameter("jprof.output.dir", dir)
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        long start = System.nanoTime();
        LauncherFactory.create().execute(request, listener);
        double millis = (System.nanoTime() - start) / 1e6;
        TestExecutionSummary summary = listener.getSummary();
        if (summary.getTestsSucceededCount() != 100) {
            summary.getFailures().forEach(f -> f.getException().printStackTrace());
            throw new IllegalStateException(
                    suite.getSimpleName() + ": " + summary.getTestsSucceededCount() + " of 100 tests passed");
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
