package dev.jprof.jmh;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.internal.Config;
import dev.jprof.jmh.internal.MannWhitney;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apiguardian.api.API;

/**
 * A regression gate for JMH results, benchstat style: compares a JMH JSON results file ({@code -rf json})
 * with a committed baseline and fails on a regression.
 *
 * <pre>
 * java -cp ... dev.jprof.jmh.Gate results.json baseline.json [--update] [--metrics time,alloc]
 *      [--alpha 0.05] [--tolerance 5%] [--alloc-tolerance 1] [--objects-tolerance 0.1] [--allow-missing-baseline]
 * </pre>
 *
 * <ul>
 *   <li><b>time</b>: old and new mean score, delta %, and the two-sided Mann-Whitney U test on the raw
 *       score of every measured iteration of every fork. A benchmark regresses when the change is
 *       significant ({@code p < alpha}, default 0.05) <em>and</em> worse than {@code --tolerance}
 *       (default 5%; a percentage such as {@code 5%} or a fraction below 1 such as {@code 0.05}: a bare
 *       {@code 5} is rejected, since it would mean 500%). A change that is not significant is shown as
 *       {@code ~}, as benchstat does.
 *   <li><b>alloc</b>: {@code jprof.alloc.norm} (or, without jprof, {@code gc.alloc.rate.norm}) and
 *       {@code jprof.alloc.objects.norm}. These are exact counts, not samples of a noisy distribution,
 *       so they are compared directly: a benchmark regresses when it allocates more than
 *       {@code --alloc-tolerance} B/op (default 1: JMH's few allocations per iteration spread over the
 *       operations, far below the 16 B of the smallest object) or {@code --objects-tolerance} objects/op
 *       (default 0.1) more than the baseline. With {@code --metrics alloc} (or {@code time,alloc})
 *       given, a benchmark whose results or baseline hold no allocation figure is an error (exit 2),
 *       never a pass; without {@code --metrics}, such benchmarks are compared on time only, with a note.
 * </ul>
 *
 * <p>Exit status: 0 when nothing regressed (or the baseline was updated), 1 on a regression, 2 on bad
 * arguments or unreadable files ({@code --allow-missing-baseline} passes without a baseline, for
 * example on a JDK that has none yet); a file that cannot be read or parsed is named in the message. {@code --update}
 * (or {@code --update=true}; any value other than {@code true} or {@code false} is an error) rewrites the baseline from
 * the results, keeping baseline entries the results do not have. The baseline is JSON with one benchmark
 * per line, sorted, so that a change reviews as a diff. A JMH results file also serves as a baseline.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Gate {

    private static final Set<String> METRICS = Set.of("time", "alloc");
    /** The default significance level of a time change ({@code --alpha}). */
    public static final double DEFAULT_ALPHA = 0.05;
    /** The default relative tolerance of a significant time change ({@code --tolerance}, 5%). */
    public static final double DEFAULT_TOLERANCE = 0.05;
    /** The default tolerance of exact bytes per operation ({@code --alloc-tolerance}). */
    public static final double DEFAULT_ALLOC_TOLERANCE = 1;
    /** The default tolerance of exact objects per operation ({@code --objects-tolerance}). */
    public static final double DEFAULT_OBJECTS_TOLERANCE = 0.1;

    private Gate() {}

    /** Runs the gate and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out));
    }

    /** The gate's options. */
    record Options(
            Path results,
            Path baseline,
            boolean update,
            Set<String> metrics,
            boolean metricsGiven,
            double alpha,
            double tolerance,
            double allocTolerance,
            double objectsTolerance,
            boolean allowMissingBaseline) {}

    /**
     * Runs the gate, printing the comparison to {@code out}.
     *
     * @return 0 when nothing regressed or the baseline was updated, 1 on a regression, 2 on bad arguments or files
     */
    public static int run(List<String> args, PrintStream out) {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            out.println("jprof gate: " + e.getMessage());
            out.println(usage());
            return 2;
        }
        try {
            Map<String, BenchmarkFigures> results = BenchmarkFigures.read(o.results);
            if (o.update) {
                Map<String, BenchmarkFigures> merged = new TreeMap<>();
                if (Files.exists(o.baseline)) {
                    merged.putAll(BenchmarkFigures.read(o.baseline));
                }
                merged.putAll(results);
                BenchmarkFigures.writeBaseline(merged, o.baseline);
                out.println("jprof gate: wrote " + results.size() + " benchmark(s) from [" + o.results
                        + "] to baseline [" + o.baseline + "]");
                return 0;
            }
            if (!Files.exists(o.baseline)) {
                out.println("jprof gate: no baseline [" + o.baseline + "]; create it with --update"
                        + (o.allowMissingBaseline ? " (passing: --allow-missing-baseline)" : ""));
                return o.allowMissingBaseline ? 0 : 2;
            }
            Map<String, BenchmarkFigures> baseline = BenchmarkFigures.read(o.baseline);
            String missing = missingAllocation(baseline, results, o);
            if (missing != null) {
                out.println("jprof gate: " + missing);
                return 2;
            }
            return compare(baseline, results, o, out);
        } catch (IOException e) {
            out.println("jprof gate: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            // BenchmarkFigures.read reports every bad file as an IOException; this is a safety net, so that
            // no input can turn a broken file into exit status 1 or a stack trace
            out.println("jprof gate: cannot compare [" + o.results + "] with [" + o.baseline + "]: " + e);
            return 2;
        }
    }

    /**
     * Fail closed: with {@code --metrics alloc} given, a benchmark in both files that has no allocation
     * figure (B/op) in one of them cannot be checked, which must not read as "no regression".
     */
    private static String missingAllocation(
            Map<String, BenchmarkFigures> baseline, Map<String, BenchmarkFigures> results, Options o) {
        if (!o.metrics.contains("alloc") || !o.metricsGiven) {
            return null;
        }
        List<String> noResult = new ArrayList<>();
        List<String> noBaseline = new ArrayList<>();
        for (Map.Entry<String, BenchmarkFigures> e : results.entrySet()) {
            BenchmarkFigures old = baseline.get(e.getKey());
            if (old == null) {
                continue;
            }
            if (Double.isNaN(e.getValue().allocBytesPerOp())) {
                noResult.add(e.getKey());
            } else if (Double.isNaN(old.allocBytesPerOp())) {
                noBaseline.add(e.getKey());
            }
        }
        if (!noResult.isEmpty()) {
            return "--metrics alloc, but the results [" + o.results + "] hold no allocation figure (jprof.alloc.norm or"
                    + " gc.alloc.rate.norm) for " + noResult
                    + ": run JMH with -prof dev.jprof.jmh.JprofProfiler (or -prof gc)";
        }
        if (!noBaseline.isEmpty()) {
            return "--metrics alloc, but the baseline [" + o.baseline + "] holds no allocation figure for " + noBaseline
                    + ": rewrite it with --update from results that have them";
        }
        return null;
    }

    static int compare(
            Map<String, BenchmarkFigures> baseline, Map<String, BenchmarkFigures> results, Options o, PrintStream out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"benchmark", "metric", "old", "new", "delta", "test", ""});
        List<String> regressions = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Set<String> keys = new TreeSet<>(baseline.keySet());
        keys.addAll(results.keySet());
        for (String key : keys) {
            BenchmarkFigures old = baseline.get(key);
            BenchmarkFigures now = results.get(key);
            if (now == null) {
                notes.add("[" + key + "] is in the baseline but not in the results");
                continue;
            }
            if (old == null) {
                notes.add("[" + key + "] is new: not in the baseline (add it with --update)");
                continue;
            }
            if (o.metrics.contains("time")) {
                rows.add(time(key, old, now, o, regressions));
            }
            if (o.metrics.contains("alloc")) {
                String[] bytes =
                        alloc(key, "B/op", old.allocBytesPerOp(), now.allocBytesPerOp(), o.allocTolerance, regressions);
                if (bytes != null) {
                    rows.add(bytes);
                }
                String[] objects = alloc(
                        key,
                        "objects/op",
                        old.allocObjectsPerOp(),
                        now.allocObjectsPerOp(),
                        o.objectsTolerance,
                        regressions);
                if (objects != null) {
                    rows.add(objects);
                }
            }
        }
        print(rows, out);
        notes.forEach(n -> out.println("note: " + n));
        if (regressions.isEmpty()) {
            out.println("jprof gate: no regression (" + o.metrics + ", alpha " + o.alpha + ", tolerance "
                    + percent(o.tolerance) + ", alloc tolerance " + o.allocTolerance + " B/op)");
            return 0;
        }
        out.println(
                "jprof gate: " + regressions.size() + (regressions.size() == 1 ? " regression" : " regressions") + ":");
        regressions.forEach(r -> out.println("  " + r));
        out.println("If the change is intended, rewrite the baseline with --update and commit it.");
        return 1;
    }

    private static String[] time(
            String key, BenchmarkFigures old, BenchmarkFigures now, Options o, List<String> regressions) {
        double[] a = old.samples().stream().mapToDouble(Double::doubleValue).toArray();
        double[] b = now.samples().stream().mapToDouble(Double::doubleValue).toArray();
        double oldMean =
                a.length == 0 ? old.score() : Arrays.stream(a).average().orElse(Double.NaN);
        double newMean =
                b.length == 0 ? now.score() : Arrays.stream(b).average().orElse(Double.NaN);
        double delta = (newMean - oldMean) / oldMean;
        double p = MannWhitney.pValue(a, b);
        String n = "n=" + a.length + "+" + b.length;
        boolean significant = p < o.alpha;
        boolean worse = old.higherIsBetter() ? delta < 0 : delta > 0;
        String verdict;
        if (!significant) {
            verdict = MannWhitney.minimumPValue(a.length, b.length) >= o.alpha
                    ? "~ (too few samples for p<" + o.alpha + ")"
                    : "~";
        } else if (worse && Math.abs(delta) > o.tolerance) {
            verdict = "REGRESSION";
            regressions.add(String.format(
                    Locale.ROOT,
                    "%s: time %s -> %s %s (%+.1f%%, p=%.3f %s, tolerance %s)",
                    key,
                    fmt(oldMean),
                    fmt(newMean),
                    now.unit(),
                    100 * delta,
                    p,
                    n,
                    percent(o.tolerance)));
        } else {
            verdict = worse ? "slower, within tolerance" : "faster";
        }
        return new String[] {
            key,
            "time",
            fmt(oldMean) + " " + old.unit(),
            fmt(newMean) + " " + now.unit(),
            String.format(Locale.ROOT, "%+.1f%%", 100 * delta),
            String.format(Locale.ROOT, "p=%.3f %s", p, n),
            verdict
        };
    }

    private static String[] alloc(
            String key, String unit, double old, double now, double tolerance, List<String> regressions) {
        if (Double.isNaN(old) && Double.isNaN(now)) {
            return null;
        }
        String delta = Double.isNaN(old) || Double.isNaN(now) ? "" : String.format(Locale.ROOT, "%+.2f", now - old);
        String verdict;
        if (Double.isNaN(now)) {
            verdict = "not measured now";
        } else if (Double.isNaN(old)) {
            verdict = "not in baseline";
        } else if (now - old > tolerance) {
            verdict = "REGRESSION";
            regressions.add(String.format(
                    Locale.ROOT,
                    "%s: allocates %s %s, baseline %s %s (%s %s, tolerance %s)",
                    key,
                    fmt(now),
                    unit,
                    fmt(old),
                    unit,
                    delta,
                    unit,
                    fmt(tolerance)));
        } else if (old - now > tolerance) {
            verdict = "less than baseline (update it)";
        } else {
            verdict = "same";
        }
        return new String[] {key, "alloc", fmt(old) + " " + unit, fmt(now) + " " + unit, delta, "exact", verdict};
    }

    private static void print(List<String[]> rows, PrintStream out) {
        if (rows.size() == 1) {
            return; // nothing compared: only the header
        }
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                b.append(i == 0 ? "" : "  ").append(String.format(Locale.ROOT, "%-" + width[i] + "s", r[i]));
            }
            out.println(b.toString().stripTrailing());
        }
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        double abs = Math.abs(v);
        return abs != 0 && (abs >= 1e6 || abs < 1e-3)
                ? String.format(Locale.ROOT, "%.3e", v)
                : String.format(Locale.ROOT, abs >= 100 ? "%.1f" : "%.3f", v);
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }

    static Options parse(List<String> args) {
        List<String> files = new ArrayList<>();
        boolean update = false;
        Set<String> metrics = new TreeSet<>(METRICS);
        boolean metricsGiven = false;
        double alpha = DEFAULT_ALPHA;
        double tolerance = DEFAULT_TOLERANCE;
        double allocTolerance = DEFAULT_ALLOC_TOLERANCE;
        double objectsTolerance = DEFAULT_OBJECTS_TOLERANCE;
        boolean allowMissingBaseline = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                files.add(arg);
                continue;
            }
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : null;
            if (name.equals("--update")) {
                update = value == null || Config.parseBoolean(value, name);
                continue;
            }
            if (name.equals("--allow-missing-baseline")) {
                allowMissingBaseline = value == null || Config.parseBoolean(value, name);
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("option [" + name + "] needs a value");
                }
                value = args.get(++i);
            }
            switch (name) {
                case "--metrics" -> {
                    metricsGiven = true;
                    metrics = new TreeSet<>();
                    for (String m : Config.split(value, ',')) {
                        if (!METRICS.contains(m)) {
                            throw new IllegalArgumentException(
                                    "unknown metric [" + m + "]: expected time, alloc or both");
                        }
                        metrics.add(m);
                    }
                }
                case "--alpha" -> alpha = number(name, value);
                case "--tolerance" -> tolerance = tolerance(name, value);
                case "--alloc-tolerance" -> allocTolerance = number(name, value);
                case "--objects-tolerance" -> objectsTolerance = number(name, value);
                default -> throw new IllegalArgumentException("unknown option [" + name + "]");
            }
        }
        if (files.size() != 2) {
            throw new IllegalArgumentException("expected a results file and a baseline file, got " + files);
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("--alpha must be between 0 and 1, got " + alpha);
        }
        return new Options(
                Path.of(files.get(0)),
                Path.of(files.get(1)),
                update,
                metrics,
                metricsGiven,
                alpha,
                tolerance,
                allocTolerance,
                objectsTolerance,
                allowMissingBaseline);
    }

    private static double number(String name, String value) {
        double d = parse(value.trim());
        if (!(d >= 0)) {
            throw new IllegalArgumentException(
                    "option [" + name + "] needs a non-negative number, got [" + value + "]");
        }
        return d;
    }

    /**
     * A relative tolerance as a fraction: {@code 5%} or {@code 0.05}. A bare number of 1 or more is
     * rejected: {@code 5} is far more likely to mean 5% than 500%.
     *
     * @param name the option, named in the message of a bad value
     * @throws IllegalArgumentException naming the option and the value when it is not such a tolerance
     */
    public static double tolerance(String name, String value) {
        String v = value.trim();
        if (v.endsWith("%")) {
            double percent = parse(v.substring(0, v.length() - 1).trim());
            if (percent >= 0) {
                return percent / 100;
            }
        } else {
            double fraction = parse(v);
            if (fraction >= 1) {
                throw new IllegalArgumentException(
                        "option [" + name + "] takes a percentage (5%) or a fraction below 1 (0.05)," + " got [" + value
                                + "]: write " + v + "% for " + v + " percent");
            }
            if (fraction >= 0) {
                return fraction;
            }
        }
        throw new IllegalArgumentException(
                "option [" + name + "] takes a percentage (5%) or a fraction below 1 (0.05), got [" + value + "]");
    }

    /** {@code text} as a finite number, or NaN. */
    private static double parse(String text) {
        try {
            double d = Double.parseDouble(text);
            return Double.isInfinite(d) || !text.matches("[0-9.eE+-]+") ? Double.NaN : d;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    static String usage() {
        return "usage: java -cp <classpath> dev.jprof.jmh.Gate <results.json> <baseline.json> [--update]"
                + " [--metrics time,alloc] [--alpha 0.05] [--tolerance 5%] [--alloc-tolerance 1] [--objects-tolerance 0.1] [--allow-missing-baseline]";
    }
}
