package dev.jprof.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a headless Chromium for tests that check what a page renders.
 *
 * <p>{@link #require()} finds the browser ({@code $JPROF_CHROMIUM}, else {@code chromium},
 * {@code chromium-browser}, {@code google-chrome} or {@code google-chrome-stable} on the {@code PATH}).
 * When there is none the calling test is skipped, except when the environment variable {@code CI} is
 * {@code true}: then it fails, so that CI cannot silently stop checking.
 */
public final class Chromium {

    private static final List<String> NAMES =
            List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final Path executable;
    private final Duration timeout;

    private Chromium(Path executable, Duration timeout) {
        this.executable = executable;
        this.timeout = timeout;
    }

    /** The installed Chromium, or skips (fails on CI) the calling test. */
    public static Chromium require() {
        Optional<Path> found = find();
        if (found.isEmpty()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("chromium not found; CI must install chromium");
            }
            String explicit = System.getenv("JPROF_CHROMIUM");
            Assumptions.abort(
                    explicit != null && !explicit.isBlank()
                            ? "chromium not found: $JPROF_CHROMIUM [" + explicit
                                    + "] is not executable; skipping the browser check"
                            : "chromium not found on the PATH (" + String.join(", ", NAMES)
                                    + "); skipping the browser check");
        }
        return new Chromium(found.get(), DEFAULT_TIMEOUT);
    }

    /** The Chromium executable, if one is installed. */
    public static Optional<Path> find() {
        String explicit = System.getenv("JPROF_CHROMIUM");
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String name : NAMES) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path p = Path.of(dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** This browser with a different limit on how long one run may take. */
    public Chromium withTimeout(Duration timeout) {
        return new Chromium(executable, timeout);
    }

    /** The DOM of {@code page} after its scripts ran, serialized as HTML. */
    public String dumpDom(Path page) {
        return dumpDom(page.toUri().toString());
    }

    /** The DOM of the page at {@code url} (for example with a {@code #fragment}) after its scripts ran. */
    public String dumpDom(String url) {
        return run(List.of("--dump-dom", url));
    }

    /** Saves a PNG screenshot of {@code page} rendered in a window of the given size. */
    public void screenshot(String url, Path png, int width, int height) {
        run(List.of(
                "--screenshot=" + png.toAbsolutePath(),
                "--window-size=" + width + "," + height,
                "--hide-scrollbars",
                url));
        if (!Files.isRegularFile(png)) {
            throw new IllegalStateException("Chromium wrote no screenshot [" + png + "]");
        }
    }

    private String run(List<String> args) {
        Path profileDir = null;
        Path out = null;
        Path err = null;
        Process process = null;
        try {
            profileDir = Files.createTempDirectory("jprof-chromium-");
            out = Files.createTempFile("jprof-chromium-", ".out");
            err = Files.createTempFile("jprof-chromium-", ".err");
            List<String> command = new ArrayList<>(List.of(
                    executable.toString(),
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-extensions",
                    "--disable-dev-shm-usage",
                    "--user-data-dir=" + profileDir));
            command.addAll(args);
            process = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(
                        "Chromium did not finish within " + timeout + ": " + command + "\n" + tail(err));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        "Chromium exited with " + process.exitValue() + ": " + command + "\n" + tail(err));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run [" + executable + "]", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running [" + executable + "]", e);
        } finally {
            if (process != null && process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                try {
                    process.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            delete(profileDir);
            delete(out);
            delete(err);
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static String tail(Path file) throws IOException {
        String s = Files.readString(file, StandardCharsets.UTF_8);
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }

    private static void delete(Path path) {
        if (path == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temp dir left behind must not fail the test
        }
    }
}
