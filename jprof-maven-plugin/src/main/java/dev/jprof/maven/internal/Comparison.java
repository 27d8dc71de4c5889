package dev.jprof.maven.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.jprof.analysis.ProfileAnalysis;
import dev.jprof.analysis.ProfileDiff;
import dev.jprof.format.Pprof;
import dev.jprof.internal.AtomicFiles;
import dev.jprof.internal.Figures;
import dev.jprof.jmh.Gate;
import dev.jprof.jmh.internal.MannWhitney;
import dev.jprof.junit.internal.JoinedReport;
import dev.jprof.profile.Profile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A run compared with a base run, test by test, benchstat style: time, CPU of the test's own threads,
 * exact bytes and objects per operation, and the function whose share grew most. The verdicts follow
 * jprof-jmh's {@link Gate}: sampled figures regress only when the change is significant at
 * {@code alpha} <em>and</em> worse than the relative tolerance; exact figures (allocation of
 * {@code @AllocationLimit} tests) regress when they grew by more than their absolute tolerance.
 *
 * <ul>
 *   <li><b>time</b>: the test's duration. With two or more runs of the test on each side (shards or
 *       repeated runs joined into one report), the Mann-Whitney U test over them, as the gate does;
 *       with fewer, a single duration is no evidence and the change is shown as {@code ~}.
 *   <li><b>cpu</b>: CPU time of the test's own threads. With two or more runs on each side, Mann-Whitney;
 *       with one, the sampling test: under no change, each of the n + n' CPU samples of both runs falls in
 *       either run with equal odds, so the new count is Binomial(n + n', 1/2).
 *   <li><b>B/op, objects/op</b>: the exact counts, the smallest of each side's runs (the JVM's own
 *       events only ever add bytes), compared with the gate's tolerances.
 *   <li><b>grew most</b>: from the tests' own pprof files, the function whose flat share grew most, in
 *       percentage points, with its standard error; it counts as grown beyond noise at three standard
 *       errors, as jprof's share assertions do.
 * </ul>
 */
@API(status = INTERNAL, since = "0.1")
public final class Comparison {

    /** Three standard errors: where a share change counts as more than sampling noise (as jprof's share assertions). */
    static final double Z = 3.0;

    static final String REGRESSION = "REGRESSION";

    /** How the comparison decides. */
    public record Thresholds(double alpha, double tolerance, double allocTolerance, double objectsTolerance) {
        /** The JMH gate's defaults. */
        public static final Thresholds GATE = new Thresholds(
                Gate.DEFAULT_ALPHA,
                Gate.DEFAULT_TOLERANCE,
                Gate.DEFAULT_ALLOC_TOLERANCE,
                Gate.DEFAULT_OBJECTS_TOLERANCE);

        /** Checks the values. */
        public Thresholds {
            if (!(alpha > 0 && alpha < 1)) {
                throw new IllegalArgumentException("jprof.compare.alpha must be between 0 and 1, got " + alpha);
            }
            if (!(tolerance >= 0) || !(allocTolerance >= 0) || !(objectsTolerance >= 0)) {
                throw new IllegalArgumentException("tolerances must be non-negative: " + this);
            }
        }
    }

    /** One figure of one test: {@code metric} changed from {@code base} to {@code now}. */
    public record Row(String metric, String base, String now, String delta, String evidence, String verdict) {}

    /** One test, as matched on both sides. */
    public record TestChange(
            String module, String testClass, String test, String folder, List<Row> rows, List<String> regressions) {
        /** {@code module test class › test}, as messages name it. */
        public String name() {
            return (module == null ? "" : module + " ") + testClass + " › " + test;
        }
    }

    private final Path baseDir;
    private final Path currentDir;
    private final Thresholds thresholds;
    private final List<TestChange> tests = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private Comparison(Path baseDir, Path currentDir, Thresholds thresholds) {
        this.baseDir = baseDir;
        this.currentDir = currentDir;
        this.thresholds = thresholds;
    }

    /**
     * Compares the run report in {@code currentDir} with the one in {@code baseDir} (a module's
     * {@code target/jprof} or a joined report).
     *
     * @throws IOException naming the report or profile that cannot be read
     */
    public static Comparison of(Path baseDir, Path currentDir, Thresholds thresholds) throws IOException {
        Comparison c = new Comparison(baseDir, currentDir, thresholds);
        List<Map<String, Object>> base = JoinedReport.results(baseDir);
        List<Map<String, Object>> now = JoinedReport.results(currentDir);
        boolean modules = base.stream().anyMatch(t -> t.get("module") != null)
                && now.stream().anyMatch(t -> t.get("module") != null);
        Map<String, List<Map<String, Object>>> baseByKey = group(base, modules);
        Map<String, List<Map<String, Object>>> nowByKey = group(now, modules);
        for (Map.Entry<String, List<Map<String, Object>>> e : nowByKey.entrySet()) {
            List<Map<String, Object>> old = baseByKey.get(e.getKey());
            Map<String, Object> first = e.getValue().get(0);
            if (old == null) {
                c.notes.add("new: " + describe(first, modules) + " is not in the base");
                continue;
            }
            c.tests.add(c.compare(modules ? (String) first.get("module") : null, old, e.getValue()));
        }
        for (Map.Entry<String, List<Map<String, Object>>> e : baseByKey.entrySet()) {
            if (!nowByKey.containsKey(e.getKey())) {
                c.notes.add("gone: " + describe(e.getValue().get(0), modules) + " is in the base but did not run now");
            }
        }
        return c;
    }

    private static Map<String, List<Map<String, Object>>> group(List<Map<String, Object>> tests, boolean modules) {
        Map<String, List<Map<String, Object>>> byKey = new LinkedHashMap<>();
        for (Map<String, Object> t : tests) {
            String key = (modules ? t.get("module") + "\u0000" : "") + t.get("class") + "\u0000" + t.get("test");
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
        }
        return byKey;
    }

    private static String describe(Map<String, Object> t, boolean modules) {
        return (modules ? t.get("module") + " " : "") + t.get("class") + " › " + t.get("test");
    }

    /** The tests found on both sides, in the current report's order. */
    public List<TestChange> tests() {
        return tests;
    }

    /** Tests only on one side. */
    public List<String> notes() {
        return notes;
    }

    /** Every regression, one line each, naming the test. */
    public List<String> regressions() {
        List<String> all = new ArrayList<>();
        tests.forEach(t -> t.regressions().forEach(r -> all.add(t.name() + ": " + r)));
        return all;
    }

    private TestChange compare(String module, List<Map<String, Object>> old, List<Map<String, Object>> now)
            throws IOException {
        Map<String, Object> first = now.get(0);
        List<Row> rows = new ArrayList<>();
        List<String> regressions = new ArrayList<>();
        rows.add(sampled(
                "time",
                "nanoseconds",
                figures(old, "durationNanos", null),
                figures(now, "durationNanos", null),
                -1,
                -1,
                regressions));
        double[] oldCpu = figures(old, "total", "cpu");
        double[] nowCpu = figures(now, "total", "cpu");
        if (oldCpu.length > 0 && nowCpu.length > 0) {
            rows.add(sampled(
                    "cpu",
                    "nanoseconds",
                    oldCpu,
                    nowCpu,
                    (long) sum(figures(old, "samples", "cpu")),
                    (long) sum(figures(now, "samples", "cpu")),
                    regressions));
        }
        exact("B/op", "bytes", old, now, thresholds.allocTolerance(), regressions)
                .ifPresent(rows::add);
        exact("objects/op", "objects", old, now, thresholds.objectsTolerance(), regressions)
                .ifPresent(rows::add);
        Row grew = grewMost(old.get(0), first);
        if (grew != null) {
            rows.add(grew);
        }
        return new TestChange(
                module,
                String.valueOf(first.get("class")),
                String.valueOf(first.get("test")),
                String.valueOf(first.get("folder")),
                rows,
                regressions);
    }

    /** A figure of every run of a test: a top-level one, or one of its {@code kind} profile. */
    private static double[] figures(List<Map<String, Object>> runs, String key, String kind) {
        List<Double> values = new ArrayList<>();
        for (Map<String, Object> t : runs) {
            Object source = t;
            if (kind != null) {
                source = t.get("profiles") instanceof Map<?, ?> p ? p.get(kind) : null;
            }
            if (source instanceof Map<?, ?> m && m.get(key) instanceof Number n) {
                values.add(n.doubleValue());
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }

    private static double mean(double[] values) {
        return values.length == 0 ? Double.NaN : sum(values) / values.length;
    }

    /**
     * A sampled figure: Mann-Whitney over the runs when each side has two or more, else the sampling test
     * on the sample counts when known (cpu), else no evidence.
     */
    private Row sampled(
            String metric,
            String unit,
            double[] a,
            double[] b,
            long samplesA,
            long samplesB,
            List<String> regressions) {
        double oldMean = mean(a);
        double newMean = mean(b);
        double delta = (newMean - oldMean) / oldMean;
        String deltaText = oldMean > 0 ? String.format(Locale.ROOT, "%+.1f%%", 100 * delta) : "";
        double p;
        String evidence;
        boolean decidable;
        if (a.length >= 2 && b.length >= 2) {
            p = MannWhitney.pValue(a, b);
            evidence = String.format(Locale.ROOT, "p=%.3f n=%d+%d", p, a.length, b.length);
            decidable = MannWhitney.minimumPValue(a.length, b.length) < thresholds.alpha();
        } else if (samplesA > 0 || samplesB > 0) {
            long n = samplesA + samplesB;
            double z = (samplesB - samplesA) / Math.sqrt((double) n);
            p = Math.min(1, 2 * (1 - MannWhitney.normalCdf(Math.abs(z))));
            evidence = String.format(Locale.ROOT, "p=%.3f samples %d→%d", p, samplesA, samplesB);
            decidable = true;
        } else {
            p = 1;
            evidence = "n=" + a.length + "+" + b.length;
            decidable = false;
        }
        String verdict;
        if (!decidable) {
            verdict = "~ (one run each: too few for p<" + thresholds.alpha() + ")";
        } else if (p >= thresholds.alpha() || !(oldMean > 0)) {
            verdict = "~";
        } else if (delta > thresholds.tolerance()) {
            verdict = REGRESSION;
            regressions.add(String.format(
                    Locale.ROOT,
                    "%s %s → %s (%s, %s, tolerance %.1f%%)",
                    metric,
                    JoinedReport.format((long) oldMean, unit),
                    JoinedReport.format((long) newMean, unit),
                    deltaText,
                    evidence,
                    100 * thresholds.tolerance()));
        } else {
            verdict = delta > 0 ? "slower, within tolerance" : "faster";
        }
        return new Row(
                metric,
                JoinedReport.format((long) oldMean, unit),
                JoinedReport.format((long) newMean, unit),
                deltaText,
                evidence,
                verdict);
    }

    /** Exact allocation of {@code @AllocationLimit} tests: the smallest of each side's runs. */
    private java.util.Optional<Row> exact(
            String metric,
            String key,
            List<Map<String, Object>> old,
            List<Map<String, Object>> now,
            double tolerance,
            List<String> regressions) {
        double a = smallestExact(old, key);
        double b = smallestExact(now, key);
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return java.util.Optional.empty();
        }
        String unit = key.equals("bytes") ? "bytes" : "count";
        long delta = (long) (b - a);
        String deltaText = (delta >= 0 ? "+" : "-") + JoinedReport.format(Math.abs(delta), unit);
        String verdict;
        if (b - a > tolerance) {
            verdict = REGRESSION;
            String more = key.equals("bytes")
                    ? JoinedReport.format(delta, unit) + " more per op (" + String.format(Locale.ROOT, "%,d", delta)
                            + " B)"
                    : JoinedReport.format(delta, unit) + " more objects per op";
            regressions.add(String.format(
                    Locale.ROOT,
                    "allocates %s: %s → %s (exact, tolerance %s %s)",
                    more,
                    JoinedReport.format((long) a, unit),
                    JoinedReport.format((long) b, unit),
                    fmt(tolerance),
                    metric));
        } else if (a - b > tolerance) {
            verdict = "less";
        } else {
            verdict = "same";
        }
        return java.util.Optional.of(new Row(
                metric,
                JoinedReport.format((long) a, unit),
                JoinedReport.format((long) b, unit),
                deltaText,
                "exact",
                verdict));
    }

    private static double smallestExact(List<Map<String, Object>> runs, String key) {
        double min = Double.NaN;
        for (Map<String, Object> t : runs) {
            if (t.get("allocations") instanceof Map<?, ?> a
                    && Boolean.TRUE.equals(a.get("exact"))
                    && a.get(key) instanceof Number n) {
                min = Double.isNaN(min) ? n.doubleValue() : Math.min(min, n.doubleValue());
            }
        }
        return min;
    }

    /** The function whose flat share grew most in the first profile both runs have (cpu, wall, alloc, lock, block). */
    private Row grewMost(Map<String, Object> old, Map<String, Object> now) throws IOException {
        for (String kind : List.of("cpu", "wall", "alloc", "lock", "block")) {
            Path a = profile(baseDir, old, kind);
            Path b = profile(currentDir, now, kind);
            if (a == null || b == null) {
                continue;
            }
            ProfileAnalysis base = ProfileAnalysis.of(read(a));
            ProfileAnalysis current = base.on(read(b));
            List<ProfileDiff.Change> changes = ProfileDiff.of(base, current).byFlatPointsGrowth();
            if (changes.isEmpty() || changes.get(0).flatPoints() <= 0) {
                return new Row("grew most (" + kind + ")", "", "", "", "", "no function's share grew");
            }
            ProfileDiff.Change c = changes.get(0);
            double error = Math.sqrt(variance(c.baseFlatPercent(), base.sampleCount())
                    + variance(c.flatPercent(), current.sampleCount()));
            boolean beyondNoise = c.flatPoints() > Z * error;
            return new Row(
                    "grew most (" + kind + " flat): " + c.function(),
                    Figures.percent(c.baseFlatPercent()),
                    Figures.percent(c.flatPercent()),
                    String.format(Locale.ROOT, "%+.1f pts", c.flatPoints()),
                    String.format(Locale.ROOT, "±%.1f pts (1 SE)", error),
                    beyondNoise ? "grew" : "~");
        }
        return null;
    }

    /** The variance of a share measured in {@code n} samples, in squared percentage points (as jprof's share assertions). */
    private static double variance(double percent, long n) {
        double p = percent / 100;
        return n <= 0 ? 0 : 10_000 * p * (1 - p) / n;
    }

    private static Path profile(Path dir, Map<String, Object> test, String kind) {
        if (!(test.get("profiles") instanceof Map<?, ?> profiles) || !(profiles.get(kind) instanceof Map<?, ?> p)) {
            return null;
        }
        Path file = dir.resolve(String.valueOf(test.get("folder"))).resolve(String.valueOf(p.get("pprof")));
        return Files.isRegularFile(file) ? file : null;
    }

    private static Profile read(Path file) throws IOException {
        try {
            return Pprof.read(file);
        } catch (RuntimeException e) {
            throw new IOException("Cannot read profile [" + file + "]: " + e.getMessage(), e);
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    // --- compare.md and compare.html -------------------------------------------------------------------

    /** The headline: how many tests, how many regressions. */
    public String headline() {
        int n = regressions().size();
        return tests.size() + (tests.size() == 1 ? " test" : " tests") + " compared with the base, "
                + (n == 0 ? "no regression" : n + (n == 1 ? " regression" : " regressions"));
    }

    /** Markdown, ready to post as a pull-request comment. */
    public String markdown() {
        StringBuilder b = new StringBuilder("### jprof: ").append(headline()).append("\n\n");
        b.append(settings()).append("\n\n");
        List<String> regressions = regressions();
        if (!regressions.isEmpty()) {
            b.append("**Regressions**\n\n");
            regressions.forEach(r -> b.append("- ").append(md(r)).append('\n'));
            b.append('\n');
        }
        b.append("| test | metric | base | now | delta | evidence | verdict |\n|---|---|---|---|---|---|---|\n");
        for (TestChange t : tests) {
            boolean first = true;
            for (Row r : t.rows()) {
                b.append("| ")
                        .append(first ? md(t.name()) : "")
                        .append(" | ")
                        .append(md(r.metric()))
                        .append(" | ")
                        .append(md(r.base()))
                        .append(" | ")
                        .append(md(r.now()))
                        .append(" | ")
                        .append(md(r.delta()))
                        .append(" | ")
                        .append(md(r.evidence()))
                        .append(" | ")
                        .append(r.verdict().equals(REGRESSION) ? "**" + REGRESSION + "**" : md(r.verdict()))
                        .append(" |\n");
                first = false;
            }
        }
        if (!notes.isEmpty()) {
            b.append('\n');
            notes.forEach(n -> b.append("- ").append(md(n)).append('\n'));
        }
        return b.toString();
    }

    private String settings() {
        return String.format(
                Locale.ROOT,
                "base `%s`, now `%s`; sampled figures: significant at p<%s and worse than %.1f%%;"
                        + " exact allocation: more than %s B/op or %s objects/op",
                baseDir,
                currentDir,
                fmt(thresholds.alpha()),
                100 * thresholds.tolerance(),
                fmt(thresholds.allocTolerance()),
                fmt(thresholds.objectsTolerance()));
    }

    private static String md(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\n", " ");
    }

    /**
     * A self-contained page of the same table; {@code linkBase} is the current report's folder relative to the
     * page, so that each test links to its files ({@code null}: no links).
     */
    public String html(String linkBase) {
        StringBuilder b = new StringBuilder(
                        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>jprof comparison</title>\n")
                .append(
                        "<style>body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;width:100%}")
                .append(
                        "th,td{border-bottom:1px solid #ddd;padding:.35em .6em;text-align:left;vertical-align:top}th{background:#f4f4f4}")
                .append(
                        "td{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px}.regression{color:#b00020;font-weight:bold}")
                .append(".meta{color:#666}</style></head><body>\n<h1>jprof: ")
                .append(JoinedReport.html(headline()))
                .append("</h1>\n")
                .append("<div class=\"meta\">")
                .append(JoinedReport.html(settings().replace("`", "")))
                .append("</div>\n");
        List<String> regressions = regressions();
        if (!regressions.isEmpty()) {
            b.append("<h2>Regressions</h2><ul id=\"regressions\">\n");
            regressions.forEach(
                    r -> b.append("<li>").append(JoinedReport.html(r)).append("</li>\n"));
            b.append("</ul>\n");
        }
        b.append(
                        "<table id=\"compare\"><thead><tr><th>Test</th><th>Metric</th><th>Base</th><th>Now</th><th>Delta</th><th>Evidence</th>")
                .append("<th>Verdict</th></tr></thead><tbody>\n");
        for (TestChange t : tests) {
            boolean first = true;
            for (Row r : t.rows()) {
                b.append("<tr><td>");
                if (first) {
                    if (linkBase != null) {
                        b.append("<a href=\"")
                                .append(JoinedReport.html(JoinedReport.href(linkBase + t.folder() + "/summary.json")))
                                .append("\">")
                                .append(JoinedReport.html(t.name()))
                                .append("</a>");
                    } else {
                        b.append(JoinedReport.html(t.name()));
                    }
                }
                b.append("</td>");
                for (String cell : List.of(r.metric(), r.base(), r.now(), r.delta(), r.evidence())) {
                    b.append("<td>").append(JoinedReport.html(cell)).append("</td>");
                }
                b.append("<td")
                        .append(r.verdict().equals(REGRESSION) ? " class=\"regression\"" : "")
                        .append('>')
                        .append(JoinedReport.html(r.verdict()))
                        .append("</td></tr>\n");
                first = false;
            }
        }
        b.append("</tbody></table>\n");
        if (!notes.isEmpty()) {
            b.append("<ul id=\"notes\">\n");
            notes.forEach(n -> b.append("<li>").append(JoinedReport.html(n)).append("</li>\n"));
            b.append("</ul>\n");
        }
        return b.append("</body></html>\n").toString();
    }

    /** Writes {@code compare.md} and {@code compare.html} into {@code dir} (the current report's folder links from there). */
    public void write(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        Files.createDirectories(dir);
        Path rel = dir.toAbsolutePath()
                .normalize()
                .relativize(currentDir.toAbsolutePath().normalize());
        String linkBase = rel.toString().isEmpty() ? "" : rel.toString().replace('\\', '/') + "/";
        byte[] md = markdown().getBytes(StandardCharsets.UTF_8);
        byte[] page = html(linkBase).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve("compare.md"), out -> out.write(md));
        AtomicFiles.write(dir.resolve("compare.html"), out -> out.write(page));
    }
}
