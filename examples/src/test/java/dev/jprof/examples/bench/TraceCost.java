package dev.jprof.examples.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Measures what {@code @Trace} costs per test, for CPU-bound tests and for tests that block
 * thousands of times: runs each suite of {@link TraceCostSuite} with and without it, alternating,
 * and prints the median times and the cost per test. The trace's recording is read and its
 * {@code trace.json} written on jprof's worker thread while the next test runs, as in a real run.
 *
 * <p>Run with {@code mvn -B verify -pl examples -am -Pbench -DskipTests} (after
 * {@link PerTestCost}); {@code -Dbench.rounds=N} sets the number of measured rounds (default 7).
 */
public final class TraceCost {

    private TraceCost() {}

    public static void main(String[] args) {
        int rounds = Integer.getInteger("bench.rounds", 7);
        System.setProperty("jprof.output.dir", System.getProperty("bench.output", "target/jprof-bench"));
        compare("CPU-bound (log parsing)", PerTestCostSuite.Plain.class, TraceCostSuite.Traced.class, rounds);
        compare(
                "blocking (" + TraceCostSuite.HANDOFFS + " hand-offs)",
                TraceCostSuite.PlainHandoff.class,
                TraceCostSuite.TracedHandoff.class,
                rounds);
    }

    private static void compare(String what, Class<?> plainSuite, Class<?> tracedSuite, int rounds) {
        PerTestCost.run(plainSuite);
        PerTestCost.run(tracedSuite);
        List<Double> plain = new ArrayList<>();
        List<Double> traced = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Map<String, Double>> plainCpu = new ArrayList<>();
        List<Map<String, Double>> tracedCpu = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            ThreadCpu before = ThreadCpu.now();
            double p = PerTestCost.run(plainSuite);
            ThreadCpu between = ThreadCpu.now();
            double q = PerTestCost.run(tracedSuite);
            Map<String, Double> pc = between.since(before);
            Map<String, Double> qc = ThreadCpu.now().since(between);
            plain.add(p);
            traced.add(q);
            ratios.add(q / p);
            plainCpu.add(pc);
            tracedCpu.add(qc);
            System.out.printf(
                    Locale.ROOT,
                    "%s round %d: plain %.0f ms (cpu %s), @Trace %.0f ms (cpu %s); load %.1f%n",
                    what,
                    i + 1,
                    p,
                    ThreadCpu.format(pc),
                    q,
                    ThreadCpu.format(qc),
                    ThreadCpu.load());
        }
        double mp = PerTestCost.median(plain);
        double mq = PerTestCost.median(traced);
        Map<String, Double> cp = PerTestCost.medians(plainCpu);
        Map<String, Double> cq = PerTestCost.medians(tracedCpu);
        Map<String, Double> perTest = new TreeMap<>();
        cq.forEach((g, v) -> perTest.put(g, (v - cp.getOrDefault(g, 0.0)) / 100));
        System.out.printf(
                Locale.ROOT,
                "%s, 100 tests of ~%.1f ms: plain %.0f ms, @Trace %.0f ms (median of %d rounds); "
                        + "ratio %.3f (median of per-round ratios %.3f); cost per test %.1f ms; "
                        + "process CPU ratio %.3f; CPU ms per test over plain: %s%n",
                what,
                mp / 100,
                mp,
                mq,
                rounds,
                mq / mp,
                PerTestCost.median(ratios),
                (mq - mp) / 100,
                cq.get("total") / cp.get("total"),
                PerTestCost.formatPerTest(perTest));
    }
}
