package dev.jprof.junit.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.jprof.analysis.Profiles;
import dev.jprof.format.FlameGraph;
import dev.jprof.format.Pprof;
import dev.jprof.format.internal.RunReport;
import dev.jprof.internal.Json;
import dev.jprof.profile.Profile;
import dev.jprof.profile.Sample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * One report joined from several run reports: every module of a multi-module build (the Maven plugin's
 * {@code report-aggregate}) or the {@code target/jprof} folders of CI shards ({@code merge}).
 *
 * <p>The joined folder is self-contained, so it can be published as a CI artifact on its own:
 * <pre>
 * index.html, summary.json          the run report (RunReport) over every input's tests and JMH benchmarks, with a Module column
 * suite/&lt;kind&gt;.pb.gz, .html        the inputs' suite profiles merged, each sample labelled with its module and test
 * &lt;input&gt;/&lt;test folder&gt;/…         a copy of each test's files, which the report links to
 * </pre>
 *
 * <p>An input is a folder with a run report's {@code summary.json}: a module's {@code target/jprof}, or a
 * joined report itself (its tests keep their modules). A test that two inputs hold (the same test run on
 * two shards) is listed once per input, each row saying how many times it ran: nothing is lost.
 *
 * <p>The joined {@code summary.json} is a run summary (see {@link RunReport}) whose {@code "run"} names the
 * inputs and whose {@code "results"} are the inputs' test summaries, each with its {@code "module"}, its
 * {@code "folder"} below the joined folder, and {@code "copies"} when more than one input holds the test.
 */
@API(status = INTERNAL, since = "0.1")
public final class JoinedReport {

    /** A test summary's count of the rows of the same test in a joined report, when more than one. */
    static final String COPIES = RunReport.COPIES;

    private static final List<String> KINDS = List.of("cpu", "wall", "alloc", "lock", "block");

    private JoinedReport() {}

    /**
     * One run report to join.
     *
     * @param name the module (or shard) it is shown as, and the folder its files are copied to: one path segment
     * @param dir the folder holding its {@code summary.json}
     */
    public record Input(String name, Path dir) {
        /** Checks the name. */
        public Input {
            if (name.isEmpty() || !name.equals(TestFolders.safe(name)) || name.equals(WholeSuite.SUITE)) {
                throw new IllegalArgumentException("Invalid report name [" + name + "] for [" + dir
                        + "]: one folder name, not \"suite\", without / \\ : * ? \" < > |");
            }
        }
    }

    /** The tests of the run report in {@code dir}: the {@code "results"} of its {@code summary.json}. */
    public static List<Map<String, Object>> results(Path dir) throws IOException {
        return entries(dir, "results");
    }

    /** The tests and then the JMH benchmarks of the run report in {@code dir}, its {@code summary.json} read once. */
    private static List<Map<String, Object>> testsAndBenchmarks(Path dir) throws IOException {
        return entries(dir, "results", "benchmarks");
    }

    /** The JMH benchmarks of the run report in {@code dir}: the {@code "benchmarks"} of its {@code summary.json}. */
    public static List<Map<String, Object>> benchmarks(Path dir) throws IOException {
        return entries(dir, "benchmarks");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> entries(Path dir, String... keys) throws IOException {
        Path file = dir.resolve(RunReport.SUMMARY);
        Object parsed;
        try {
            parsed = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new IOException(
                    "No jprof run report in [" + dir + "]: [" + file.getFileName()
                            + "] is missing (run the tests with jprof first, or point at the folder that holds index.html)",
                    e);
        } catch (IllegalArgumentException e) {
            throw new IOException("Cannot read jprof run report [" + file + "]: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> run) || !RunReport.SCHEMA.equals(run.get("schema"))) {
            throw new IOException("[" + file + "] is not a jprof run report (schema " + RunReport.SCHEMA + ")");
        }
        List<Map<String, Object>> tests = new ArrayList<>();
        for (String key : keys) {
            if (run.get(key) instanceof List<?> entries) {
                for (Object o : entries) {
                    if (o instanceof Map<?, ?> m) {
                        tests.add(new LinkedHashMap<>((Map<String, Object>) m));
                    }
                }
            }
        }
        return tests;
    }

    /**
     * Joins {@code inputs} into {@code outputDir}: copies their tests' files, merges their suite profiles and
     * writes the report. What an earlier join wrote there is replaced; other files are left alone.
     *
     * @return the console line that describes the report
     * @throws IOException naming the input or file that could not be read or written
     */
    public static String write(List<Input> inputs, Path outputDir) throws IOException {
        Set<String> names = new HashSet<>();
        for (Input in : inputs) {
            if (!names.add(in.name())) {
                throw new IllegalArgumentException("Two reports to join are named [" + in.name() + "]: " + inputs);
            }
        }
        Path out = outputDir.toAbsolutePath().normalize();
        for (Input in : inputs) {
            Path dir = in.dir().toAbsolutePath().normalize();
            if (out.startsWith(dir)) {
                throw new IllegalArgumentException("Cannot write the joined report into [" + outputDir
                        + "]: it is inside the report [" + in.dir() + "] it joins");
            }
            for (Input other : inputs) {
                if (dir.startsWith(out.resolve(other.name()))) {
                    throw new IllegalArgumentException("Cannot write the joined report into [" + outputDir
                            + "]: its folder [" + other.name() + "] would replace the report [" + in.dir()
                            + "] it joins; choose another jprof.aggregate.dir");
                }
            }
        }
        List<Map<String, Object>> tests = new ArrayList<>();
        Map<String, List<Map<String, Object>>> copies = new LinkedHashMap<>();
        List<List<Map<String, Object>>> perInput = new ArrayList<>();
        for (Input in : inputs) {
            perInput.add(testsAndBenchmarks(in.dir()));
        }
        Files.createDirectories(outputDir);
        for (int i = 0; i < inputs.size(); i++) {
            Input in = inputs.get(i);
            delete(outputDir.resolve(in.name()));
            for (Map<String, Object> t : perInput.get(i)) {
                // the same test: in the same module of the joined inputs (none for a module's own report), with the
                // same id
                Object id = t.get("uniqueId") != null
                        ? t.get("uniqueId")
                        : RunReport.isBenchmark(t)
                                ? t.get("benchmark") + "\u0000" + t.get("folder")
                                : t.get("class") + "\u0000" + t.get("test");
                copies.computeIfAbsent(t.get(RunReport.MODULE) + "\u0000" + id, k -> new ArrayList<>())
                        .add(copy(in, t, outputDir));
            }
        }
        for (List<Map<String, Object>> same : copies.values()) {
            if (same.size() > 1) {
                same.forEach(t -> t.put(COPIES, (long) same.size()));
            }
            tests.addAll(same);
        }
        tests.sort(Comparator.comparing((Map<String, Object> t) -> String.valueOf(t.get(RunReport.MODULE)))
                .thenComparing(t -> String.valueOf(RunReport.isBenchmark(t) ? t.get("benchmark") : t.get("class")))
                .thenComparing(t -> String.valueOf(t.get("folder"))));
        mergeSuites(inputs, outputDir.resolve(WholeSuite.SUITE));
        List<String> shown = inputs.stream().map(Input::name).toList();
        return RunReport.writeJoined(outputDir, "joined: " + String.join(", ", shown), tests);
    }

    /** The test, its folder now below {@code outputDir}, with its files copied there. */
    private static Map<String, Object> copy(Input in, Map<String, Object> test, Path outputDir) throws IOException {
        Map<String, Object> t = new LinkedHashMap<>(test);
        String folder = String.valueOf(test.get("folder"));
        Path from = in.dir().resolve(folder).normalize();
        if (!from.startsWith(in.dir().normalize()) || folder.isEmpty()) {
            throw new IOException("Test folder [" + folder + "] in [" + in.dir().resolve(RunReport.SUMMARY)
                    + "] is outside its report");
        }
        String joined = in.name() + "/" + folder;
        Path to = outputDir.resolve(joined);
        Files.createDirectories(to);
        List<String> files = new ArrayList<>(RunReport.artifacts(in.dir(), test));
        files.add(TestSummary.FILE);
        for (String name : files) {
            Path source = from.resolve(name);
            if (Files.isRegularFile(source)) {
                Files.createDirectories(to.resolve(name).getParent());
                Files.copy(source, to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        t.putIfAbsent(RunReport.MODULE, in.name());
        t.put("folder", joined);
        return t;
    }

    /**
     * Writes {@code suite/<kind>.pb.gz} and its flame graph for every kind some input has: the inputs'
     * suite profiles merged, each sample labelled with its module (an input's, unless the sample has one).
     */
    private static void mergeSuites(List<Input> inputs, Path suite) throws IOException {
        for (String kind : KINDS) {
            Files.deleteIfExists(suite.resolve(kind + ".pb.gz"));
            Files.deleteIfExists(suite.resolve(kind + ".html"));
            List<Profile> parts = new ArrayList<>();
            for (Input in : inputs) {
                Path pprof = in.dir().resolve(WholeSuite.SUITE).resolve(kind + ".pb.gz");
                if (Files.isRegularFile(pprof)) {
                    parts.add(labelled(Pprof.read(pprof), in.name()));
                }
            }
            if (parts.isEmpty()) {
                continue;
            }
            Profile merged;
            try {
                merged = Profiles.merge(parts);
            } catch (IllegalArgumentException e) {
                throw new IOException(
                        "Cannot merge the suite profiles " + kind + ".pb.gz of " + inputs + ": " + e.getMessage(), e);
            }
            Files.createDirectories(suite);
            Pprof.write(merged, suite.resolve(kind + ".pb.gz"));
            FlameGraph.write(
                    merged, suite.resolve(kind + ".html"), "the whole suite, " + inputs.size() + " reports — " + kind);
        }
    }

    private static Profile labelled(Profile p, String module) {
        Profile.Builder b = p.withoutSamples();
        for (Sample s : p.samples()) {
            Map<String, String> labels = s.labels();
            if (!labels.containsKey(RunReport.MODULE)) {
                labels = new LinkedHashMap<>(labels);
                labels.put(RunReport.MODULE, module);
            }
            b.addSample(s.stack(), s.values(), labels);
        }
        return b.build();
    }

    /** A value of a pprof unit as the run report shows it: {@code 1.50 KiB}, {@code 12.30 ms}, {@code 1,234}. */
    public static String format(long value, String unit) {
        return RunReport.format(value, unit);
    }

    /** {@code text} escaped for HTML text and attribute values, as the run report escapes it. */
    public static String html(String text) {
        return RunReport.escape(text);
    }

    /** A relative URL for a '/'-separated path, as the run report links files. */
    public static String href(String path) {
        return RunReport.href(path);
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
