package dev.jprof.jmh;

import dev.jprof.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The figures of one benchmark (with its mode and parameters) that the gate compares: the per-iteration
 * scores of every fork, and allocation per operation. Read from a JMH JSON results file ({@code -rf json})
 * or from a jprof baseline file.
 *
 * @param key {@code <benchmark> <mode>} and, with parameters, {@code  <k>=<v>,...}: unique in a run
 * @param mode JMH's short label of the mode: thrpt, avgt, sample or ss
 * @param unit the unit of the scores, {@code ops/s} or {@code ns/op}...
 * @param samples the raw score of every measured iteration of every fork
 * @param allocBytesPerOp {@code jprof.alloc.norm} (else {@code gc.alloc.rate.norm}), NaN when absent
 * @param allocObjectsPerOp {@code jprof.alloc.objects.norm}, NaN when absent
 */
record BenchmarkFigures(
        String key,
        String mode,
        String unit,
        double score,
        List<Double> samples,
        double allocBytesPerOp,
        double allocObjectsPerOp) {

    /** The baseline file's format marker. */
    public static final String FORMAT = "jprof-jmh-baseline/1";

    public BenchmarkFigures {
        samples = List.copyOf(samples);
    }

    /** Higher scores are better in throughput mode; lower (time per operation) in the others. */
    public boolean higherIsBetter() {
        return mode.equals("thrpt");
    }

    /**
     * Reads a JMH JSON results file or a baseline file: benchmarks by key, in key order.
     *
     * @throws IOException naming {@code file} and what is wrong with it, for any unreadable or malformed
     *     file (never another exception)
     */
    public static Map<String, BenchmarkFigures> read(Path file) throws IOException {
        Object json;
        try {
            json = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw new IOException("Cannot read [" + file + "]: " + e.getMessage(), e);
        }
        try {
            if (json instanceof List<?> runs) {
                return fromJmh(runs);
            }
            if (json instanceof Map<?, ?> m && FORMAT.equals(m.get("format"))) {
                return fromBaseline(list(m.get("benchmarks"), "\"benchmarks\""));
            }
        } catch (Malformed e) {
            throw new IOException("Cannot read [" + file + "]: " + e.getMessage(), e);
        }
        throw new IOException("Cannot read [" + file
                + "]: neither a JMH JSON results file (-rf json) nor a jprof baseline (\"format\": \"" + FORMAT
                + "\")");
    }

    /** What is wrong with the structure of a results or baseline file. */
    private static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    private static Map<String, BenchmarkFigures> fromJmh(List<?> runs) throws Malformed {
        Map<String, BenchmarkFigures> figures = new TreeMap<>();
        for (int i = 0; i < runs.size(); i++) {
            String what = "benchmark " + (i + 1);
            Map<?, ?> run = map(runs.get(i), what);
            String benchmark = string(run, "benchmark", what);
            what = "benchmark " + (i + 1) + " [" + benchmark + "]";
            String mode = string(run, "mode", what);
            Map<String, String> params = new LinkedHashMap<>();
            if (run.get("params") instanceof Map<?, ?> p) {
                p.forEach((k, v) -> params.put(String.valueOf(k), String.valueOf(v)));
            }
            Map<?, ?> primary = map(run.get("primaryMetric"), what + ", \"primaryMetric\"");
            List<Double> samples = new ArrayList<>();
            if (primary.get("rawData") != null) {
                for (Object fork : list(primary.get("rawData"), what + ", \"rawData\"")) {
                    for (Object v : list(fork, what + ", \"rawData\" of a fork")) {
                        samples.add(number(v));
                    }
                }
            }
            Map<?, ?> secondary = run.get("secondaryMetrics") instanceof Map<?, ?> s ? s : Map.of();
            double bytes = metric(secondary, "jprof.alloc.norm");
            if (Double.isNaN(bytes)) {
                bytes = metric(secondary, "gc.alloc.rate.norm");
            }
            String key = key(benchmark, mode, params);
            figures.put(
                    key,
                    new BenchmarkFigures(
                            key,
                            mode,
                            string(primary, "scoreUnit", what + ", \"primaryMetric\""),
                            number(primary.get("score")),
                            samples,
                            bytes,
                            metric(secondary, "jprof.alloc.objects.norm")));
        }
        return figures;
    }

    private static Map<?, ?> map(Object o, String what) throws Malformed {
        if (o instanceof Map<?, ?> m) {
            return m;
        }
        throw new Malformed(what + " is not an object" + (o == null ? " (missing)" : ""));
    }

    private static List<?> list(Object o, String what) throws Malformed {
        if (o instanceof List<?> l) {
            return l;
        }
        throw new Malformed(what + " is not an array" + (o == null ? " (missing)" : ""));
    }

    private static String string(Map<?, ?> m, String field, String what) throws Malformed {
        if (m.get(field) instanceof String s) {
            return s;
        }
        throw new Malformed(what + " has no \"" + field + "\" string");
    }

    private static double metric(Map<?, ?> secondary, String name) {
        return secondary.get(name) instanceof Map<?, ?> m ? number(m.get("score")) : Double.NaN;
    }

    private static double number(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) { // JMH writes "NaN" and "Infinity" as strings
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    /** {@code com.acme.Bench.parse thrpt size=1000,kind=x}. */
    public static String key(String benchmark, String mode, Map<String, String> params) {
        String p = params.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
        return benchmark + " " + mode + (p.isEmpty() ? "" : " " + p);
    }

    private static Map<String, BenchmarkFigures> fromBaseline(List<?> entries) throws Malformed {
        Map<String, BenchmarkFigures> figures = new TreeMap<>();
        for (int i = 0; i < entries.size(); i++) {
            String what = "baseline entry " + (i + 1);
            Map<?, ?> e = map(entries.get(i), what);
            String key = string(e, "key", what);
            what = "baseline entry " + (i + 1) + " [" + key + "]";
            List<Double> samples = new ArrayList<>();
            for (Object v : list(e.get("samples"), what + ", \"samples\"")) {
                samples.add(number(v));
            }
            figures.put(
                    key,
                    new BenchmarkFigures(
                            key,
                            string(e, "mode", what),
                            string(e, "unit", what),
                            number(e.get("score")),
                            samples,
                            number(e.get("allocBytesPerOp")),
                            number(e.get("allocObjectsPerOp"))));
        }
        return figures;
    }

    /** Writes {@code figures} as a baseline: pretty JSON, one benchmark per line, in key order. */
    public static void writeBaseline(Map<String, BenchmarkFigures> figures, Path file) throws IOException {
        StringBuilder b = new StringBuilder("{\"format\": \"" + FORMAT + "\", \"benchmarks\": [\n");
        List<BenchmarkFigures> sorted = new ArrayList<>(new TreeMap<>(figures).values());
        for (int i = 0; i < sorted.size(); i++) {
            BenchmarkFigures f = sorted.get(i);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("key", f.key);
            e.put("mode", f.mode);
            e.put("unit", f.unit);
            e.put("allocBytesPerOp", hundredths(f.allocBytesPerOp));
            e.put("allocObjectsPerOp", hundredths(f.allocObjectsPerOp));
            e.put("score", round(f.score, 6));
            e.put("samples", f.samples.stream().map(s -> (Object) round(s, 6)).toList());
            b.append("  ").append(Json.write(e)).append(i + 1 < sorted.size() ? ",\n" : "\n");
        }
        b.append("]}\n");
        byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
        dev.jprof.internal.AtomicFiles.write(file, out -> out.write(bytes));
    }

    private static double hundredths(double v) {
        return Double.isNaN(v) || Double.isInfinite(v)
                ? v
                : new java.math.BigDecimal(v)
                        .setScale(2, java.math.RoundingMode.HALF_EVEN)
                        .doubleValue();
    }

    /** {@code v} with {@code digits} significant digits; NaN stays NaN (written as null). */
    private static double round(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
            return v;
        }
        return new java.math.BigDecimal(v)
                .round(new java.math.MathContext(digits))
                .doubleValue();
    }
}
