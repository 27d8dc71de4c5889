package dev.jprof.junit.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes test summaries as the capture pipeline does, for report tests that need no profiling. */
final class Summaries {

    private Summaries() {}

    /** A passed test's summary of {@code run}, with no profile; the caller adds what it needs. */
    static Map<String, Object> test(String run, String testClass, String test) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("schema", TestSummary.SCHEMA);
        s.put("class", testClass);
        s.put("test", test);
        s.put("uniqueId", "[engine:junit-jupiter]/[class:" + testClass + "]/[method:" + test + "]");
        s.put("folder", testClass + "/" + test);
        s.put("status", "passed");
        s.put("failure", null);
        s.put("engine", "test");
        s.put("durationNanos", 1_000_000L);
        s.put("finishedAt", "2026-05-01T10:15:32.123Z");
        s.put("pid", 4242L);
        if (run != null) {
            s.put("run", run);
        }
        s.put("profiles", new LinkedHashMap<String, Object>());
        return s;
    }

    /** Adds a profile entry of {@code kind}, with a {@code jvm} figure when {@code jvm >= 0}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> profile(
            Map<String, Object> summary, String kind, String unit, long total, long jvm, String topFunction) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("pprof", kind + ".pb.gz");
        p.put("flameGraph", kind + ".html");
        p.put("sampleType", kind);
        p.put("unit", unit);
        p.put("samples", 10L);
        p.put("total", total);
        if (jvm >= 0) {
            p.put("jvm", jvm);
        }
        p.put(
                "top",
                List.of(Map.of(
                        "function",
                        topFunction,
                        "flat",
                        total / 2,
                        "flatPercent",
                        50.0,
                        "cum",
                        total,
                        "cumPercent",
                        100.0)));
        ((Map<String, Object>) summary.get("profiles")).put(kind, p);
        return summary;
    }

    /** Writes {@code summary} into its folder below {@code outputDir}. */
    static Path write(Path outputDir, Map<String, Object> summary) throws IOException {
        Path dir = outputDir.resolve(String.valueOf(summary.get("folder")));
        Files.createDirectories(dir);
        Path file = dir.resolve(TestSummary.FILE);
        Files.writeString(file, dev.jprof.internal.Json.write(summary, true) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    /** A JMH benchmark's summary as jprof-jmh's profiler writes it, in {@code folder} below {@code out}, with a file for each of its artifacts. */
    static Path benchmark(Path out, String run, String folder, String benchmark) throws IOException {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("schema", "jprof.jmh-summary/1");
        b.put("benchmark", benchmark);
        b.put("mode", "avgt");
        b.put("params", Map.of("size", "1000"));
        b.put("forks", 2L);
        b.put("score", 1234.5);
        b.put("scoreUnit", "ns/op");
        b.put("allocBytesPerOp", 56.0);
        b.put("allocObjectsPerOp", null);
        b.put("profiles", Map.of("cpu", Map.of("pprof", "cpu.pb.gz", "flameGraph", "cpu.html", "samples", 12L)));
        b.put("artifacts", List.of("cpu.html", "cpu.pb.gz", "cpu.fork-1.pb.gz", "cpu.fork-2.pb.gz"));
        b.put("run", run);
        Path dir = out.resolve(folder);
        Files.createDirectories(dir);
        for (Object f : (List<?>) b.get("artifacts")) {
            Files.writeString(dir.resolve((String) f), "x");
        }
        Files.writeString(dir.resolve(TestSummary.FILE), dev.jprof.internal.Json.write(b, true));
        return dir;
    }
}
