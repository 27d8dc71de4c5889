package dev.jprof.maven;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.internal.Config;
import dev.jprof.maven.internal.Reports;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * The {@code merge} and {@code compare} goals without Maven, with the same arguments:
 * <pre>
 * java -jar jprof-maven-plugin-&lt;version&gt;-cli.jar merge -Djprof.inputs=shard1/target/jprof,shard2/target/jprof [-Djprof.aggregate.dir=out]
 * java -jar jprof-maven-plugin-&lt;version&gt;-cli.jar compare -Djprof.base=main-report [-Djprof.current=out] [-Djprof.compare.fail=true]
 * </pre>
 * Each {@code -Dkey=value} may also be given as a JVM system property. Relative folders are resolved against
 * the working directory; {@code jprof.aggregate.dir} defaults to {@code target/jprof-aggregate}, and
 * {@code jprof.current} to it when it holds a report, else {@code target/jprof}.
 *
 * <p>Exit status: 0 when done (and nothing regressed, or {@code jprof.compare.fail} is not {@code true}), 1 on
 * a regression with {@code jprof.compare.fail=true}, 2 on bad arguments or unreadable reports, named in the message.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Cli {

    private static final Set<String> KEYS = Set.of(
            "jprof.inputs",
            "jprof.aggregate.dir",
            "jprof.base",
            "jprof.current",
            "jprof.output.dir",
            "jprof.compare.fail",
            "jprof.compare.alpha",
            "jprof.compare.tolerance",
            "jprof.compare.allocTolerance",
            "jprof.compare.objectsTolerance");

    private Cli() {}

    /** Runs a goal and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), Path.of(""), System.out));
    }

    /**
     * Runs a goal, relative folders resolved against {@code workingDir}.
     *
     * @return 0 when done, 1 on a regression with {@code jprof.compare.fail=true}, 2 on bad arguments or files
     */
    public static int run(List<String> args, Path workingDir, PrintStream out) {
        if (args.isEmpty() || !(args.get(0).equals("merge") || args.get(0).equals("compare"))) {
            out.println("jprof: expected a goal, merge or compare, got " + args);
            out.println(usage());
            return 2;
        }
        Map<String, String> options = new HashMap<>();
        for (String arg : args.subList(1, args.size())) {
            String a = arg.startsWith("-D") ? arg.substring(2) : arg;
            int eq = a.indexOf('=');
            String key = eq < 0 ? a : a.substring(0, eq);
            if (!KEYS.contains(key)) {
                out.println("jprof: unknown argument [" + arg + "]; expected -Dkey=value with a key of " + KEYS);
                return 2;
            }
            options.put(key, eq < 0 ? "true" : a.substring(eq + 1));
        }
        Path base = workingDir.toAbsolutePath();
        Path aggregate = base.resolve(option(options, "jprof.aggregate.dir", "target/" + Reports.AGGREGATE));
        try {
            if (args.get(0).equals("merge")) {
                out.println(Reports.merge(Reports.inputs(option(options, "jprof.inputs", null), base), aggregate));
                return 0;
            }
            String baseReport = option(options, "jprof.base", null);
            if (baseReport == null) {
                throw new IllegalArgumentException("compare needs -Djprof.base=<the base run's report folder>");
            }
            String current = option(options, "jprof.current", null);
            Path now = current != null
                    ? base.resolve(current)
                    : Reports.current(aggregate, base.resolve(option(options, "jprof.output.dir", "target/jprof")));
            boolean fail = Config.parseBoolean(option(options, "jprof.compare.fail", "false"), "jprof.compare.fail");
            List<String> regressions = Reports.compare(
                    base.resolve(baseReport),
                    now,
                    Reports.thresholds(
                            option(options, "jprof.compare.alpha", null),
                            option(options, "jprof.compare.tolerance", null),
                            option(options, "jprof.compare.allocTolerance", null),
                            option(options, "jprof.compare.objectsTolerance", null)),
                    out::println);
            return fail && !regressions.isEmpty() ? 1 : 0;
        } catch (IOException | RuntimeException e) {
            out.println("jprof: " + args.get(0) + " failed: " + e.getMessage());
            return 2;
        }
    }

    private static String option(Map<String, String> options, String key, String orElse) {
        String v = options.getOrDefault(key, System.getProperty(key));
        return v == null || v.isBlank() ? orElse : v;
    }

    static String usage() {
        return "usage: java -jar jprof-maven-plugin-<version>-cli.jar merge -Djprof.inputs=<folder>,<folder>... [-Djprof.aggregate.dir=<folder>]\n"
                + "       java -jar jprof-maven-plugin-<version>-cli.jar compare -Djprof.base=<folder> [-Djprof.current=<folder>]"
                + " [-Djprof.compare.fail=true] [-Djprof.compare.tolerance=5%] [-Djprof.compare.alpha=0.05]";
    }
}
