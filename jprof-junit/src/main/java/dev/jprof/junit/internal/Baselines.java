package dev.jprof.junit.internal;

import dev.jprof.internal.AtomicFiles;
import dev.jprof.internal.Figures;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The allocation baseline file: one line per test, sorted by test, so that a change reads well in
 * code review:
 *
 * <pre>
 * # jprof allocation baseline: bytes per run of each test body. Update: mvn test -Djprof.baseline.update=true
 * dev.jprof.examples.RouterTest#routesARequest() = 0 B/op
 * dev.jprof.examples.TrafficReportTest#summarizes() = 31024 B/op
 * </pre>
 *
 * <p>One instance per file and run, shared by all tests (thread-safe); written atomically after
 * every change, keeping the entries of tests that did not run.
 */
final class Baselines {

    /** The baseline file: {@value}, default {@code jprof-baseline.txt}, relative to the module ({@code basedir}). */
    static final String FILE = "jprof.baseline.file";
    /** Rewrite the entries of the tests that run: {@value}, default {@code false}. */
    static final String UPDATE = "jprof.baseline.update";
    /** Bytes per op above the baseline still accepted: {@value}, default {@code 0}. */
    static final String TOLERANCE_BYTES = "jprof.baseline.tolerance.bytes";
    /** Percent of the baseline above it still accepted: {@value}, default {@code 0}; the larger tolerance wins. */
    static final String TOLERANCE_PERCENT = "jprof.baseline.tolerance.percent";
    /** A test with no entry: {@value}, one of {@code fail} (default), {@code record}, {@code pass}. */
    static final String MISSING = "jprof.baseline.missing";

    static final String DEFAULT_FILE = "jprof-baseline.txt";
    static final String HEADER =
            "# jprof allocation baseline: bytes per run of each test body, one test per line, sorted."
                    + "\n# Rewrite with: mvn test -Djprof.baseline.update=true";
    private static final String SEPARATOR = " = ";
    private static final String UNIT = " B/op";

    enum Missing {
        FAIL,
        RECORD,
        PASS
    }

    record Config(Path file, boolean update, double toleranceBytes, double tolerancePercent, Missing missing) {

        static Config from(Function<String, Optional<String>> config) {
            Function<String, Optional<String>> nonBlank =
                    key -> config.apply(key).map(String::trim).filter(s -> !s.isEmpty());
            Path file = Path.of(nonBlank.apply(FILE).orElse(DEFAULT_FILE));
            if (!file.isAbsolute()) {
                String basedir = System.getProperty("basedir");
                file = basedir != null ? Path.of(basedir).resolve(file) : file.toAbsolutePath();
            }
            boolean update = nonBlank.apply(UPDATE)
                    .map(v -> Settings.parseBoolean(v, UPDATE))
                    .orElse(false);
            double bytes = number(nonBlank, TOLERANCE_BYTES);
            double percent = number(nonBlank, TOLERANCE_PERCENT);
            Missing missing = nonBlank.apply(MISSING)
                    .map(v -> {
                        try {
                            return Missing.valueOf(v.toUpperCase(java.util.Locale.ROOT));
                        } catch (IllegalArgumentException e) {
                            throw new ExtensionConfigurationException(
                                    "Invalid " + MISSING + " [" + v + "]: expected fail, record or pass");
                        }
                    })
                    .orElse(Missing.FAIL);
            return new Config(file.normalize(), update, bytes, percent, missing);
        }

        private static double number(Function<String, Optional<String>> config, String key) {
            return config.apply(key)
                    .map(v -> {
                        try {
                            double d = Double.parseDouble(v);
                            if (d < 0 || Double.isNaN(d)) {
                                throw new NumberFormatException();
                            }
                            return d;
                        } catch (NumberFormatException e) {
                            throw new ExtensionConfigurationException(
                                    "Invalid " + key + " [" + v + "]: expected a number >= 0");
                        }
                    })
                    .orElse(0.0);
        }

        /** The most bytes per op accepted for a test whose baseline is {@code baseline}. */
        double allowed(double baseline) {
            return baseline + Math.max(toleranceBytes, baseline * tolerancePercent / 100);
        }
    }

    private final Path file;
    private final SortedMap<String, Double> entries;

    private Baselines(Path file, SortedMap<String, Double> entries) {
        this.file = file;
        this.entries = entries;
    }

    static Baselines load(Path file) {
        TreeMap<String, Double> entries = new TreeMap<>();
        if (Files.exists(file)) {
            try {
                int n = 0;
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    n++;
                    String l = line.strip();
                    if (l.isEmpty() || l.startsWith("#")) {
                        continue;
                    }
                    int at = l.lastIndexOf(SEPARATOR);
                    // "a = B/op": the separator and the unit share the space before "B/op"
                    if (at <= 0 || !l.endsWith(UNIT) || at + SEPARATOR.length() > l.length() - UNIT.length()) {
                        throw new ExtensionConfigurationException("Invalid line " + n + " of the baseline file [" + file
                                + "]: expected <test> = <bytes> B/op, found [" + line + "]");
                    }
                    String number = l.substring(at + SEPARATOR.length(), l.length() - UNIT.length());
                    double bytes;
                    try {
                        bytes = Double.parseDouble(number);
                    } catch (NumberFormatException e) {
                        bytes = Double.NaN;
                    }
                    if (!(bytes >= 0 && bytes < Double.POSITIVE_INFINITY) || !number.matches("[0-9.eE+-]+")) {
                        throw new ExtensionConfigurationException("Invalid number on line " + n
                                + " of the baseline file [" + file + "]: expected bytes >= 0, found [" + line + "]");
                    }
                    entries.put(l.substring(0, at), bytes);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the baseline file [" + file + "]", e);
            }
        }
        return new Baselines(file, entries);
    }

    Path file() {
        return file;
    }

    synchronized Optional<Double> get(String test) {
        return Optional.ofNullable(entries.get(test));
    }

    /** Records {@code bytesPerOp} for {@code test} and rewrites the file. */
    synchronized void put(String test, double bytesPerOp) throws IOException {
        entries.put(test, bytesPerOp);
        String text = render(entries);
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write(text);
            w.flush();
        });
    }

    static String render(Map<String, Double> entries) {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        new TreeMap<>(entries)
                .forEach((test, bytes) -> b.append(test)
                        .append(SEPARATOR)
                        .append(Figures.perOp(bytes))
                        .append(UNIT)
                        .append('\n'));
        return b.toString();
    }
}
