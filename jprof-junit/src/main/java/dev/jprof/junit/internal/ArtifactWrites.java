package dev.jprof.junit.internal;

import dev.jprof.internal.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * Whether a test waits for its own artifacts to be written before it ends. Waiting makes a write
 * that fails (a full disk) fail the test that it belongs to, but it puts the reading of the recording
 * and the writing of the files on every test's path, and has the recording cut after each test: on
 * two cores that doubled the cost of a profiled test. So a test waits only when a write can be
 * expected to fail:
 *
 * <ul>
 *   <li>the output directory's disk has less than {@value #LOW_SPACE_BYTES} bytes free (checked at most
 *       once a second), or
 *   <li>a write of this JVM has already failed, or
 * </ul>
 *
 * <p>The system property {@value #AWAIT_PROPERTY} ({@code true} or {@code false}) overrides the choice,
 * for jprof's own tests.
 *
 * <p>Otherwise the files are written on jprof's worker thread while the next test runs, and a write
 * that fails all the same fails the run at its end, naming the test ({@link PendingArtifacts}); the
 * tests after it then wait for theirs.
 */
final class ArtifactWrites {

    /** Below this much free space on the output directory's disk, tests wait for their artifacts. */
    static final long LOW_SPACE_BYTES = 512L << 20;
    /** {@code true}: every test waits for its artifacts; {@code false}: none does (for tests of this behaviour). */
    static final String AWAIT_PROPERTY = "dev.jprof.junit.awaitArtifacts";

    private static final long CHECK_EVERY_NANOS = 1_000_000_000L;

    private static volatile boolean failed;
    private static volatile boolean lowSpace;
    private static volatile long checkedAt;

    private ArtifactWrites() {}

    /** Whether a test writing under {@code outputDir} should wait for its artifacts. */
    static boolean mustWait(Path outputDir) {
        String forced = System.getProperty(AWAIT_PROPERTY);
        if (forced != null) {
            return Config.parseBoolean(forced, AWAIT_PROPERTY);
        }
        if (failed) {
            return true;
        }
        long now = System.nanoTime();
        if (checkedAt == 0 || now - checkedAt > CHECK_EVERY_NANOS) {
            lowSpace = lowSpace(outputDir);
            checkedAt = now == 0 ? 1 : now;
        }
        return lowSpace;
    }

    /** Notes whether {@code written} fails, so that later tests wait for theirs. */
    @SuppressWarnings("FutureReturnValueIgnored") // the callback only notes; the caller handles written's failure
    static <T> CompletableFuture<T> watch(CompletableFuture<T> written) {
        written.whenComplete((v, e) -> {
            if (e != null) {
                failed = true;
            }
        });
        return written;
    }

    private static boolean lowSpace(Path dir) {
        try {
            Path existing = dir.toAbsolutePath();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            return existing == null || Files.getFileStore(existing).getUsableSpace() < LOW_SPACE_BYTES;
        } catch (IOException | SecurityException e) {
            return true; // cannot tell: wait, so that a failure is the test's
        }
    }
}
