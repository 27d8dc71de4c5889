package dev.jprof.capture.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where the JVM's recordings are written while they run: {@code <java.io.tmpdir>/jprof-recordings/<pid>}.
 * The JVM deletes its folder when it exits, after reading what windows that closed before the exit recorded
 * ({@link Recorder#flushAtExit}); a JVM that was killed leaves it, and the next JVM to record
 * deletes the folders of processes that no longer run. One folder per JVM, whatever output folders
 * its test runs use, so a run's output folder can be deleted while the recording goes on.
 */
final class RecordingsDir {

    private static Path dir;

    private RecordingsDir() {}

    static synchronized Path get() throws IOException {
        if (dir != null && Files.isDirectory(dir)) {
            return dir;
        }
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "jprof-recordings");
        Files.createDirectories(root);
        try (Stream<Path> others = Files.list(root)) {
            others.filter(p -> !alive(p.getFileName().toString())).forEach(RecordingsDir::deleteTree);
        }
        Path mine = root.resolve(Long.toString(ProcessHandle.current().pid()));
        Files.createDirectories(mine);
        if (dir == null) {
            // windows that closed before the exit are read first (one hook: hooks run concurrently)
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                Recorder.get().flushAtExit();
                                deleteTree(mine);
                            },
                            "jprof-recordings-cleanup"));
        }
        dir = mine;
        return mine;
    }

    private static boolean alive(String name) {
        try {
            long pid = Long.parseLong(name);
            return pid == ProcessHandle.current().pid()
                    || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true; // not ours to delete
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // another process's file in use, or already gone: the next run tries again
                }
            });
        } catch (IOException ignored) {
            // already gone
        }
    }
}
