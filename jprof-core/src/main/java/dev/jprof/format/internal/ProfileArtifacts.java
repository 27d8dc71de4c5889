package dev.jprof.format.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.jprof.capture.CaptureResult;
import dev.jprof.format.FlameGraph;
import dev.jprof.format.Pprof;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * Writes the artifacts of a capture into a folder: for each kind, {@code <kind>.pb.gz} (pprof) and
 * {@code <kind>.html} (flame graph). Each file is written atomically.
 */
@API(status = INTERNAL, since = "0.1")
public final class ProfileArtifacts {

    private ProfileArtifacts() {}

    /** {@code cpu.pb.gz} for {@link ProfileKind#CPU}. */
    public static String pprofFileName(ProfileKind kind) {
        return kind.id() + ".pb.gz";
    }

    /** {@code cpu.html} for {@link ProfileKind#CPU}. */
    public static String flameGraphFileName(ProfileKind kind) {
        return kind.id() + ".html";
    }

    /** The stem of the profile of an allocation limit's exact re-run: {@code alloc-sites.pb.gz}, {@code alloc-sites.html}. */
    public static final String ALLOC_SITES = "alloc-sites";

    /**
     * Deletes the artifacts a previous run left in {@code dir}, so that the folder holds only what
     * the next capture writes.
     */
    public static void clear(Path dir) throws IOException {
        for (ProfileKind kind : ProfileKind.values()) {
            Files.deleteIfExists(dir.resolve(pprofFileName(kind)));
            Files.deleteIfExists(dir.resolve(flameGraphFileName(kind)));
        }
        Files.deleteIfExists(dir.resolve(ALLOC_SITES + ".pb.gz"));
        Files.deleteIfExists(dir.resolve(ALLOC_SITES + ".html"));
    }

    /**
     * Writes one profile into {@code dir} as {@code <stem>.pb.gz} and {@code <stem>.html}.
     *
     * @return the files written
     * @throws IOException naming the file that could not be written
     */
    public static List<Path> write(Profile profile, Path dir, String stem, String title) throws IOException {
        Path pprof = dir.resolve(stem + ".pb.gz");
        Pprof.write(profile, pprof);
        Path html = dir.resolve(stem + ".html");
        FlameGraph.write(profile, html, title);
        return List.of(pprof, html);
    }

    /**
     * Writes every profile of {@code result} into {@code dir}, creating it.
     *
     * @param title names the profiled code in the flame graphs, for example the test
     * @return the files written
     * @throws IOException naming the file that could not be written
     */
    public static List<Path> write(CaptureResult result, Path dir, String title) throws IOException {
        List<Path> written = new ArrayList<>();
        for (Map.Entry<ProfileKind, Profile> e : result.profiles().entrySet()) {
            written.addAll(write(
                    e.getValue(),
                    dir,
                    e.getKey().id(),
                    title + " — " + e.getKey().id() + " (" + result.engine() + ")"));
        }
        return written;
    }
}
