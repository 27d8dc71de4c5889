package dev.jprof.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicLong;
import org.apiguardian.api.API;

/**
 * Writes files so that they are either whole or absent: content goes to a temporary file in the
 * target's directory, which is then moved over the target.
 */
@API(status = INTERNAL, since = "0.1")
public final class AtomicFiles {

    /** Writes the content of a file to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private static final long PID = ProcessHandle.current().pid();
    private static final AtomicLong TEMPORARIES = new AtomicLong();

    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private AtomicFiles() {}

    /**
     * Writes {@code target} atomically, creating its parent directories.
     *
     * @throws IOException naming {@code target} when it cannot be written; the target is then
     *     unchanged and no temporary file is left behind
     */
    public static void write(Path target, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            if (!Files.isDirectory(dir)) { // createDirectories throws and catches an exception when it exists
                Files.createDirectories(dir);
            }
            // a name unique in this process (a file a dead process of the same id left is overwritten), not
            // Files.createTempFile's secure random one: every artifact of every test is written here
            tmp = dir.resolve("." + target.getFileName() + "." + PID + "-" + TEMPORARIES.incrementAndGet() + ".tmp");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                content.writeTo(out);
            }
            if (POSIX) {
                // whatever the umask, an artifact is as readable as any build output
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException | RuntimeException e) {
            IOException failure = new IOException("Cannot write [" + target + "]: " + e, e);
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException suppressed) {
                    failure.addSuppressed(suppressed);
                }
            }
            throw failure;
        }
    }

    /** Makes {@code target} a whole copy of {@code temporary}, atomically, then deletes {@code temporary}. */
    public static void adopt(Path temporary, Path target) throws IOException {
        try {
            write(target, out -> Files.copy(temporary, out));
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
