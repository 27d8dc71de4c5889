package dev.jprof.format.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.jprof.format.Pprof;
import dev.jprof.internal.AtomicFiles;
import dev.jprof.profile.Profile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apiguardian.api.API;

/**
 * A suite profile ({@code suite/<kind>.pb.gz}) as this JVM wrote it, with a note beside it
 * ({@code suite/.<kind>.pb.gz.run}) naming the run it belongs to and the file's size and modification time.
 * With the note, a later run replaces an earlier run's suite profile without decoding it, and the run
 * report uses the profile it was just given instead of reading the file back. A file its note does not
 * describe (written by an older jprof, or replaced since without a note) is read as before, so the note
 * only ever saves work.
 */
@API(status = INTERNAL, since = "0.1")
public final class SuiteProfileFile {

    private final Path file;
    private final Profile profile;
    private final long size;
    private final long modifiedNanos;

    private SuiteProfileFile(Path file, Profile profile, long size, long modifiedNanos) {
        this.file = file;
        this.profile = profile;
        this.size = size;
        this.modifiedNanos = modifiedNanos;
    }

    /**
     * Writes {@code profile} to {@code file} (whole or not at all), then its note naming {@code run}.
     *
     * @throws IOException when either cannot be written
     */
    public static SuiteProfileFile write(Path file, Profile profile, String run) throws IOException {
        Pprof.write(profile, file);
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        long modified = a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        byte[] note = (run + "\n" + a.size() + "\n" + modified + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(note(file), out -> out.write(note));
        return new SuiteProfileFile(file, profile, a.size(), modified);
    }

    /**
     * The run {@code file} belongs to, from its note, if the note describes {@code file} as it is now;
     * otherwise (no note, an unreadable one, or a file replaced since) empty: then only reading the file tells.
     */
    public static Optional<String> run(Path file) {
        try {
            List<String> lines = Files.readAllLines(note(file), StandardCharsets.UTF_8);
            if (lines.size() != 3 || lines.get(0).isEmpty()) {
                return Optional.empty();
            }
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            boolean same = a.size() == Long.parseLong(lines.get(1))
                    && a.lastModifiedTime().to(TimeUnit.NANOSECONDS) == Long.parseLong(lines.get(2));
            return same ? Optional.of(lines.get(0)) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The profile written, if the file is still the one written (another fork may have replaced it since). */
    public Optional<Profile> profileIfUnchanged() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.size() == size && a.lastModifiedTime().to(TimeUnit.NANOSECONDS) == modifiedNanos
                    ? Optional.of(profile)
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The file written. */
    public Path file() {
        return file;
    }

    private static Path note(Path file) {
        return file.resolveSibling("." + file.getFileName() + ".run");
    }
}
