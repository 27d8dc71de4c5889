package dev.jprof.examples.bench;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
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
        Map<String, List<Double>> times = new LinkedHashMap<>();
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        Map<String, List<Map<String, Double>>> cpu = new LinkedHashMap<>();
        List<String> names =
                List.of(PLAIN, "@ProfileCpu", "jprof.profile=cpu", "@AllocationLimit(bytes)", "jprof.flight=on");
        List<Class<?>> suites = List.of(
                PerTestCostSuite.Plain.class,
                PerTestCostSuite.Profiled.class,
                PerTestCostSuite.Plain.class,
                PerTestCostSuite.Limited.class,
                PerTestCostSuite.Plain.class);
        List<Map<String, String>> configs =
                List.of(Map.of(), Map.of(), Map.of("jprof.profile", "cpu"), Map.of(), Map.of("jprof.flight", "on"));
        for (int m = 0; m < names.size(); m++) {
            run(suites.get(m), configs.get(m)); // warm-up
        }
        List<Double> loads = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            StringBuilder line = new StringBuilder("round " + (i + 1) + ":");
            double p = 0;
            for (int m = 0; m < names.size(); m++) {
                ThreadCpu before = ThreadCpu.now();
                double t = run(suites.get(m), configs.get(m));
                Map<String, Double> used = ThreadCpu.now().since(before);
                String name = names.get(m);
                if (m == 0) {
                    p = t;
                }
                times.computeIfAbsent(name, k -> new ArrayList<>()).add(t);
                ratios.computeIfAbsent(name, k -> new ArrayList<>()).add(t / p);
                cpu.computeIfAbsent(name, k -> new ArrayList<>()).add(used);
                line.append(String.format(
                        Locale.ROOT, " %s %.0f ms (%.3f; cpu %s);", name, t, t / p, ThreadCpu.format(used)));
            }
            double load = ThreadCpu.load();
            loads.add(load);
            System.out.println(line.append(String.format(Locale.ROOT, " load %.1f", load)));
        }
        double mp = median(times.get(PLAIN));
        System.out.printf(
                Locale.ROOT,
                "100 tests of ~%.0f ms, median of %d rounds (load average %.1f to %.1f, median %.1f): plain %.0f ms%n",
                mp / 100,
                rounds,
                loads.stream().mapToDouble(Double::doubleValue).min().orElse(-1),
                loads.stream().mapToDouble(Double::doubleValue).max().orElse(-1),
                median(loads),
                mp);
        Map<String, Double> plainCpu = medians(cpu.get(PLAIN));
        for (String name : names) {
            double mt = median(times.get(name));
            Map<String, Double> c = medians(cpu.get(name));
            Map<String, Double> perTest = new TreeMap<>();
            c.forEach((g, v) -> perTest.put(g, (v - plainCpu.getOrDefault(g, 0.0)) / 100));
            System.out.printf(
                    Locale.ROOT,
                    "  %-24s %6.0f ms, ratio %.3f (median of per-round ratios %.3f), %.2f ms per test;"
                            + " CPU ms per round: %s; CPU ms per test over plain: %s%n",
                    name,
                    mt,
                    mt / mp,
                    median(ratios.get(name)),
                    (mt - mp) / 100,
                    ThreadCpu.format(c),
                    formatPerTest(perTest));
        }
    }

    private static final String PLAIN = "plain";

    /** The median of each group over rounds. */
    static Map<String, Double> medians(List<Map<String, Double>> rounds) {
        Map<String, List<Double>> byGroup = new TreeMap<>();
        for (Map<String, Double> r : rounds) {
            r.forEach(
                    (g, v) -> byGroup.computeIfAbsent(g, k -> new ArrayList<>()).add(v));
        }
        Map<String, Double> m = new TreeMap<>();
        byGroup.forEach((g, v) -> m.put(g, median(v)));
        return m;
    }

    static String formatPerTest(Map<String, Double> perTest) {
        StringBuilder b = new StringBuilder();
        perTest.forEach((g, v) ->
                b.append(g).append(String.format(Locale.ROOT, " %+.2f", v)).append(", "));
        return b.length() == 0 ? "" : b.substring(0, b.length() - 2);
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
