package dev.jprof.jmh.internal;

import dev.jprof.internal.Json;

import static org.apiguardian.api.API.Status.INTERNAL;

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
import org.apiguardian.api.API;

/**
 * The figures of one benchmark (with its mode and parameters) that the gate compares: the per-iteration
 * scores of every fork, and allocation per operation. Read from a JMH JSON results file ({@code -rf json})
 * or from a jprof baseline file.
 *
 * @param key {@code <benchmark> <mode>} and, with parameters, {@code  <k>=<v>,...}: unique in a run
 * @param mode JMH's short label: {@code thrpt}, {@code avgt}, {@code sample}, {@code ss}
 * @param unit the unit of the scores, {@code ops/s} or {@code ns/op}...
 * @param samples the raw score of every measured iteration of every fork
 * @param allocBytesPerOp {@code jprof.alloc.norm} (else {@code gc.alloc.rate.norm}), NaN when absent
 * @param allocObjectsPerOp {@code jprof.alloc.objects.norm}, NaN when absent
 */
@API(status = INTERNAL, since = "0.1")
public record BenchmarkFigures(String key, String mode, String unit, double score, List<Double> samples,
        double allocBytesPerOp, double allocObjectsPerOp) {

    /** The baseline file's format marker. */
    public static final String FORMAT = "jprof-jmh-baseline/1";

    public BenchmarkFigures {
        samples = List.copyOf(samples);
    }

    /** Higher scores are better in throughput mode; lower (time per operation) in the others. */
    public boolean higherIsBetter() {
        return mode.equals("thrpt");
    }

    /** Reads a JMH JSON results file or a baseline file: benchmarks by key, in key order. */
    public static Map<String, BenchmarkFigures> read(Path file) throws IOException {
        Object json;
        try {
            json = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IOException("Cannot read [" + file + "]: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IOException("Cannot read [" + file + "]: " + e.getMessage(), e);
        }
        try {
            if (json instanceof List<?> runs) {
                return fromJmh(runs);
            }
            if (json instanceof Map<?, ?> m && FORMAT.equals(m.get("format"))) {
                return fromBaseline((List<?>) m.get("benchmarks"));
            }
        } catch (ClassCastException | NullPointerException e) {
            throw new IOException("Cannot read [" + file + "]: unexpected structure (" + e.getMessage() + ")", e);
        }
        throw new IOException("Cannot read [" + file + "]: neither a JMH JSON results file (-rf json) nor a jprof baseline (\"format\": \""
                + FORMAT + "\")");
    }

    private static Map<String, BenchmarkFigures> fromJmh(List<?> runs) {
        Map<String, BenchmarkFigures> figures = new TreeMap<>();
        for (Object o : runs) {
            Map<?, ?> run = (Map<?, ?>) o;
            String benchmark = (String) run.get("benchmark");
            String mode = (String) run.get("mode");
            Map<String, String> params = new LinkedHashMap<>();
            if (run.get("params") instanceof Map<?, ?> p) {
                p.forEach((k, v) -> params.put(String.valueOf(k), String.valueOf(v)));
            }
            Map<?, ?> primary = (Map<?, ?>) run.get("primaryMetric");
            List<Double> samples = new ArrayList<>();
            if (primary.get("rawData") instanceof List<?> forks) {
                for (Object fork : forks) {
                    for (Object v : (List<?>) fork) {
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
            figures.put(key, new BenchmarkFigures(key, mode, (String) primary.get("scoreUnit"), number(primary.get("score")),
                    samples, bytes, metric(secondary, "jprof.alloc.objects.norm")));
        }
        return figures;
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
        String p = params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
        return benchmark + " " + mode + (p.isEmpty() ? "" : " " + p);
    }

    private static Map<String, BenchmarkFigures> fromBaseline(List<?> entries) {
        Map<String, BenchmarkFigures> figures = new TreeMap<>();
        for (Object o : entries) {
            Map<?, ?> e = (Map<?, ?>) o;
            List<Double> samples = new ArrayList<>();
            for (Object v : (List<?>) e.get("samples")) {
                samples.add(number(v));
            }
            String key = (String) e.get("key");
            figures.put(key, new BenchmarkFigures(key, (String) e.get("mode"), (String) e.get("unit"), number(e.get("score")),
                    samples, number(e.get("allocBytesPerOp")), number(e.get("allocObjectsPerOp"))));
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
        return Double.isNaN(v) || Double.isInfinite(v) ? v
                : new java.math.BigDecimal(v).setScale(2, java.math.RoundingMode.HALF_EVEN).doubleValue();
    }

    /** {@code v} with {@code digits} significant digits; NaN stays NaN (written as null). */
    private static double round(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
            return v;
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(digits)).doubleValue();
    }
}
