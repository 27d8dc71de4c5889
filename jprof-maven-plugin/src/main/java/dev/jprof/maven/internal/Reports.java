package dev.jprof.maven.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.jprof.jmh.Gate;
import dev.jprof.junit.internal.JoinedReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apiguardian.api.API;

/** What the goals and the command line share: naming the inputs of a merge, running a merge and a comparison. */
@API(status = INTERNAL, since = "0.1")
public final class Reports {

    /** The folder a joined report goes to, below the build directory, and the default of {@code jprof.aggregate.dir}. */
    public static final String AGGREGATE = "jprof-aggregate";

    private Reports() {}

    /**
     * The inputs of {@code jprof.inputs}: comma-separated folders, each resolved against {@code base}, each named
     * after its path without a trailing {@code target/jprof} or {@code target/jprof-aggregate} ({@code shard1/target/jprof}
     * is {@code shard1}); {@code name=folder} names one explicitly. Names that would be equal get {@code -2}, {@code -3}.
     *
     * @throws IllegalArgumentException naming {@code jprof.inputs} when it holds no folder
     */
    public static List<JoinedReport.Input> inputs(String list, Path base) {
        List<JoinedReport.Input> inputs = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (String item : list == null ? new String[0] : list.split(",")) {
            String s = item.trim();
            if (s.isEmpty()) {
                continue;
            }
            String name = null;
            int eq = s.indexOf('=');
            if (eq > 0
                    && !s.substring(0, eq).contains("/")
                    && !s.substring(0, eq).contains("\\")) {
                name = s.substring(0, eq);
                s = s.substring(eq + 1);
            }
            Path dir = base.resolve(s).normalize();
            if (name == null) {
                name = nameOf(base.resolve(s));
            }
            String unique = name;
            for (int i = 2; !taken.add(unique); i++) {
                unique = name + "-" + i;
            }
            inputs.add(new JoinedReport.Input(unique, dir));
        }
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException(
                    "jprof.inputs names no folder: give the target/jprof folders to merge, comma-separated");
        }
        return inputs;
    }

    /** {@code shard1/target/jprof} is {@code shard1}; {@code reports/linux} is {@code linux}. */
    static String nameOf(Path dir) {
        List<String> parts = new ArrayList<>();
        for (Path p : dir.normalize()) {
            parts.add(p.toString());
        }
        if (parts.size() >= 2
                && parts.get(parts.size() - 2).equals("target")
                && parts.get(parts.size() - 1).startsWith("jprof")) {
            parts = parts.subList(0, parts.size() - 2);
        }
        String name = parts.isEmpty() ? "" : parts.get(parts.size() - 1);
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            Path abs = dir.toAbsolutePath().normalize();
            name = abs.getFileName() == null ? "report" : abs.getFileName().toString();
        }
        return name.equals("suite") ? "suite-report" : name;
    }

    /** Joins {@code inputs} into {@code outputDir}; returns the console line. */
    public static String merge(List<JoinedReport.Input> inputs, Path outputDir) throws IOException {
        return JoinedReport.write(inputs, outputDir);
    }

    /**
     * The folder to compare when none is given: the joined report in {@code aggregateDir} when it has one, else the
     * module's {@code outputDir}.
     */
    public static Path current(Path aggregateDir, Path outputDir) {
        return Files.isRegularFile(aggregateDir.resolve("summary.json")) ? aggregateDir : outputDir;
    }

    /**
     * Compares {@code current} with {@code base}, writes {@code compare.md} and {@code compare.html} into
     * {@code current}, and reports the table and its regressions to {@code log}.
     *
     * @return the regressions, one line each
     */
    public static List<String> compare(Path base, Path current, Comparison.Thresholds thresholds, Consumer<String> log)
            throws IOException {
        Comparison c = Comparison.of(base, current, thresholds);
        c.write(current);
        log.accept("jprof: " + c.headline() + ": " + current.resolve("compare.md") + ", "
                + current.resolve("compare.html"));
        c.regressions().forEach(r -> log.accept("jprof: regression: " + r));
        return c.regressions();
    }

    /** Thresholds from the goals' and the command line's texts; {@code null} or empty takes the JMH gate's default. */
    public static Comparison.Thresholds thresholds(
            String alpha, String tolerance, String allocTolerance, String objectsTolerance) {
        Comparison.Thresholds d = Comparison.Thresholds.GATE;
        return new Comparison.Thresholds(
                number("jprof.compare.alpha", alpha, d.alpha()),
                blank(tolerance) ? d.tolerance() : Gate.tolerance("jprof.compare.tolerance", tolerance),
                number("jprof.compare.allocTolerance", allocTolerance, d.allocTolerance()),
                number("jprof.compare.objectsTolerance", objectsTolerance, d.objectsTolerance()));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static double number(String key, String value, double orElse) {
        if (blank(value)) {
            return orElse;
        }
        try {
            double d = Double.parseDouble(value.trim());
            if (d >= 0 && Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(key + " needs a non-negative number, got [" + value + "]");
    }
}
