package dev.jprof.examples.bench;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * What jprof costs a test JVM from its first test on, the one-time start of the recording included:
 * runs each suite of {@link FreshJvmSuites} in a fresh JVM, the modes interleaved, and prints the
 * median time of each and the cost per test against the plain suite measured in the same rounds.
 *
 * <ul>
 *   <li>50 tests of about 1 ms: plain, {@code @ProfileCpu}, {@code @Trace}, {@code @AllocationLimit(bytes = …)},
 *       and the plain suite with {@code jprof.profile=cpu};
 *   <li>four tests that each spin 300 ms, run at once under JUnit parallel execution: plain and
 *       {@code @ProfileCpu}.
 * </ul>
 *
 * <p>Run with {@code mvn -B verify -pl examples -am -Pbench -DskipTests}; {@code -Dbench.rounds=N}
 * sets the rounds (default 7). Each run is timed inside the child JVM, around the launcher's
 * {@code execute}, so JVM start-up is not counted, but the first capture's start is.
 */
public final class FreshJvmCost {

    private FreshJvmCost() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 1) {
            child(args[0]);
            return;
        }
        int rounds = Integer.getInteger("bench.rounds", 7);
        Map<String, List<Double>> times = new LinkedHashMap<>();
        List<String> modes = List.of(System.getProperty(
                        "bench.modes",
                        "plain,cpu,trace,limit,suite-cpu,parallel-plain,parallel-cpu,warm-parallel-plain,warm-parallel-cpu")
                .split(","));
        for (int i = 0; i < rounds; i++) {
            for (String mode : modes) {
                double ms = inFreshJvm(mode);
                times.computeIfAbsent(mode, k -> new ArrayList<>()).add(ms);
            }
            System.out.printf(Locale.ROOT, "round %d: %s%n", i + 1, latest(times));
        }
        System.out.printf(Locale.ROOT, "load average at the end: %.1f%n", ThreadCpu.load());
        if (times.containsKey("plain")) {
            double plain = PerTestCost.median(times.get("plain"));
            System.out.printf(
                    Locale.ROOT,
                    "50 tests of ~1 ms in a fresh JVM, median of %d rounds: plain %.0f ms%n",
                    rounds,
                    plain);
            for (String mode : List.of("cpu", "trace", "limit", "suite-cpu")) {
                if (times.containsKey(mode)) {
                    double m = PerTestCost.median(times.get(mode));
                    System.out.printf(Locale.ROOT, "  %-10s %.0f ms, %.2f ms per test%n", mode, m, (m - plain) / 50);
                }
            }
        }
        for (String jvm : List.of("", "warm-")) {
            if (times.containsKey(jvm + "parallel-plain") && times.containsKey(jvm + "parallel-cpu")) {
                double pp = PerTestCost.median(times.get(jvm + "parallel-plain"));
                double pc = PerTestCost.median(times.get(jvm + "parallel-cpu"));
                System.out.printf(
                        Locale.ROOT,
                        "4 tests spinning 300 ms at once (parallel execution), %s JVM: plain %.0f ms, @ProfileCpu %.0f ms,"
                                + " ratio %.2f%n",
                        jvm.isEmpty() ? "fresh" : "warm (" + WARM_UP + " runs before)",
                        pp,
                        pc,
                        pc / pp);
            }
        }
    }

    /** The runs of the suite before the one timed, in a warm JVM. */
    private static final int WARM_UP = 5;

    private static String latest(Map<String, List<Double>> times) {
        StringBuilder b = new StringBuilder();
        times.forEach((mode, list) -> b.append(mode)
                .append(' ')
                .append(Math.round(list.get(list.size() - 1)))
                .append(" ms, "));
        return b.substring(0, b.length() - 2);
    }

    private static double inFreshJvm(String mode) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + "/bin/java");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Djprof.output.dir=" + System.getProperty("bench.output", "target/jprof-bench") + "/" + mode);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(FreshJvmCost.class.getName());
        command.add(mode);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(mode + " failed:\n" + out);
        }
        for (String line : out.lines().toList()) {
            if (line.startsWith("cpu ")) {
                System.out.println(line);
            }
            if (line.startsWith("elapsed=")) {
                return Double.parseDouble(line.substring("elapsed=".length()));
            }
        }
        throw new IllegalStateException(mode + " printed no time:\n" + out);
    }

    private static void child(String given) {
        boolean warm = given.startsWith("warm-");
        String mode = warm ? given.substring("warm-".length()) : given;
        Class<?> suite = switch (mode) {
            case "plain", "suite-cpu" -> FreshJvmSuites.Plain.class;
            case "cpu" -> FreshJvmSuites.Cpu.class;
            case "trace" -> FreshJvmSuites.Traced.class;
            case "limit" -> FreshJvmSuites.Limited.class;
            case "parallel-plain" -> FreshJvmSuites.Spinning.class;
            case "parallel-cpu" -> FreshJvmSuites.SpinningProfiled.class;
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        };
        LauncherDiscoveryRequestBuilder request =
                LauncherDiscoveryRequestBuilder.request().selectors(selectClass(suite));
        if (mode.equals("suite-cpu")) {
            request.configurationParameter("jprof.profile", "cpu");
        }
        if (mode.startsWith("parallel")) {
            request.configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                    .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
                    .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                    .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "4");
        }
        var launcher = LauncherFactory.create();
        var built = request.build();
        for (int i = 0; warm && i < WARM_UP; i++) {
            launcher.execute(built);
        }
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        ThreadCpu before = ThreadCpu.now();
        long start = System.nanoTime();
        launcher.execute(built, listener);
        double millis = (System.nanoTime() - start) / 1e6;
        if (listener.getSummary().getTotalFailureCount() > 0
                || listener.getSummary().getTestsSucceededCount() == 0) {
            listener.getSummary().getFailures().forEach(f -> f.getException().printStackTrace());
            System.exit(1);
        }
        System.out.println(
                "cpu " + given + ": " + ThreadCpu.format(ThreadCpu.now().since(before)));
        System.out.println("elapsed=" + millis);
        System.exit(0);
    }
}
