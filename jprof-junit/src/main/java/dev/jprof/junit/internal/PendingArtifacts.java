package dev.jprof.junit.internal;

import dev.jprof.capture.CaptureException;
import dev.jprof.capture.internal.Recorder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Artifacts still being converted and written on jprof's worker thread: those of the tests that
 * {@code jprof.profile} profiles with no annotation ({@link WholeSuite}: a listener cannot fail a
 * test), and those of annotated tests that did not wait for theirs ({@link ArtifactWrites}). Closed
 * at the end of the run: it waits for every write, and if any failed, reports each test and its folder.
 */
final class PendingArtifacts implements AutoCloseable {

    private record Pending(String test, Path dir, CompletableFuture<?> written) {}

    private final List<Pending> pending = new ArrayList<>();

    synchronized void add(String test, Path dir, CompletableFuture<?> written) {
        pending.removeIf(p -> p.written.isDone() && !p.written.isCompletedExceptionally());
        pending.add(new Pending(test, dir, written));
    }

    @Override
    public synchronized void close() {
        if (pending.stream().anyMatch(p -> !p.written.isDone())) {
            try {
                Recorder.get().flush(); // the windows of the last tests are read now, not a moment later
            } catch (RuntimeException e) {
                // a window the read could not complete fails its own write, reported below
            }
        }
        List<String> failures = new ArrayList<>();
        Throwable firstCause = null;
        for (Pending p : pending) {
            try {
                p.written.join();
            } catch (CompletionException | CancellationException e) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                failures.add("  [" + p.test + "] to [" + p.dir + "]: " + cause.getMessage());
                firstCause = firstCause == null ? cause : firstCause;
            }
        }
        pending.clear();
        if (!failures.isEmpty()) {
            throw new CaptureException(
                    "jprof could not write the profiles of " + failures.size()
                            + (failures.size() == 1 ? " test" : " tests") + ":\n" + String.join("\n", failures),
                    firstCause);
        }
    }
}
