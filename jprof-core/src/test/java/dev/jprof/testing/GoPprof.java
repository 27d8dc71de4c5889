package dev.jprof.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs {@code go tool pprof} in tests, to check that files jprof writes are read by the reference
 * implementation.
 *
 * <p>{@link #run(String...)} finds {@code go} on the {@code PATH}. When it is missing the calling
 * test is skipped (JUnit assumption), except when the environment variable {@code CI} is
 * {@code true}: then it fails, because CI must install {@code golang-go}.
 *
 * <p>{@code go tool pprof} runs offline: in a fresh temporary directory, with {@code GOTOOLCHAIN=local}
 * (so newer Go versions never download a toolchain), {@code GOFLAGS} and {@code PPROF_BINARY_PATH}
 * cleared and {@code PPROF_TMPDIR} set to that directory. Symbolization is left on unless the
 * caller passes {@code -symbolize=none}; it has nothing to do for jprof's files, which carry their
 * function names.
 *
 * <p>Other modules use it through the {@code jprof-core} test-jar.
 */
public final class GoPprof {

    /** How long one run may take before it is killed and reported as a failure. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** What one run of {@code go tool pprof} printed. */
    public record Result(int exitCode, String stdout, String stderr) {

        /** The stderr lines, without blank lines. */
        public List<String> stderrLines() {
            return stderr.lines().filter(l -> !l.isBlank()).toList();
        }

        @Override
        public String toString() {
            return "exit code " + exitCode + "\n--- stdout:\n" + stdout + "--- stderr:\n" + stderr;
        }
    }

    /** One row of {@code go tool pprof -top}, values as printed ({@code 70ms}, {@code 70.00%}). */
    public record TopRow(String flat, String flatPercent, String cum, String cumPercent) {}

    private static final Pattern TOP_ROW =
            Pattern.compile("^\\s*(\\S+)\\s+(\\S+%)\\s+\\S+%\\s+(\\S+)\\s+(\\S+%)\\s+(.+?)\\s*$");

    private GoPprof() {}

    /** The rows of {@code -top} output by function name, in the printed order. */
    public static Map<String, TopRow> parseTop(String stdout) {
        Map<String, TopRow> rows = new LinkedHashMap<>();
        for (String line : stdout.lines().toList()) {
            Matcher m = TOP_ROW.matcher(line);
            if (m.matches()) {
                rows.put(m.group(5), new TopRow(m.group(1), m.group(2), m.group(3), m.group(4)));
            }
        }
        return rows;
    }

    /** The {@code go} executable on the {@code PATH}, if any. */
    public static Optional<Path> findGo() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            for (String name : List.of("go", "go.exe")) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The {@code go} executable; skips the calling test when there is none, or fails it when the
     * environment variable {@code CI} is {@code true}.
     */
    public static Path requireGo() {
        Optional<Path> go = findGo();
        if (go.isEmpty()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("go not found; CI must install golang-go");
            }
            Assumptions.abort("go not found on the PATH: skipping the go tool pprof check");
        }
        return go.get();
    }

    /**
     * Runs {@code go tool pprof} with {@code args}, for example {@code run("-top", file.toString())}.
     *
     * @throws AssertionError when it does not finish within {@link #TIMEOUT}
     */
    public static Result run(String... args) {
        Path go = requireGo();
        List<String> command = new ArrayList<>(List.of(go.toString(), "tool", "pprof"));
        command.addAll(Arrays.asList(args));
        Path dir = null;
        try {
            dir = Files.createTempDirectory("jprof-go-pprof");
            Path stdout = dir.resolve("stdout.txt");
            Path stderr = dir.resolve("stderr.txt");
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(nullFile()))
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile());
            Map<String, String> env = pb.environment();
            env.put("GOTOOLCHAIN", "local");
            env.remove("GOFLAGS");
            env.remove("PPROF_BINARY_PATH");
            env.put("PPROF_TMPDIR", dir.toString());
            if (!env.containsKey("HOME")) {
                env.put("HOME", dir.toString());
            }
            Process process = pb.start();
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("go tool pprof did not finish within " + TIMEOUT + ": " + command);
            }
            return new Result(
                    process.exitValue(),
                    Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while running " + command, e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static File nullFile() {
        return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
