package dev.jprof.junit.internal;

import dev.jprof.analysis.ProfileAnalysis;
import dev.jprof.analysis.ProfileDiff;
import dev.jprof.capture.CaptureResult;
import dev.jprof.format.FlameGraph;
import dev.jprof.format.Pprof;
import dev.jprof.format.internal.ProfileArtifacts;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code jprof.compare=<dir>}: a test's profiles compared with those of the same test in a previous
 * run's output directory, as differential flame graphs ({@code <kind>-diff.html}) and a {@code diff}
 * entry per kind in {@code summary.json}:
 *
 * <pre>
 * "diff": {"flameGraph": "cpu-diff.html", "before": "/ci/main/target/jprof/…/cpu.pb.gz",
 *          "beforeTotal": 1030000000, "total": 1600000000,
 *          "grewMost": {"function": "com.acme.Hot.spin", "points": 19.54}}   null when no function's flat share grew
 * </pre>
 */
final class Comparisons {

    /** {@value}: the output directory of a previous run ({@code target/jprof}) to compare each test's profiles with. */
    static final String COMPARE = "jprof.compare";

    private Comparisons() {}

    /** {@code cpu-diff.html} for {@link ProfileKind#CPU}. */
    static String diffFileName(ProfileKind kind) {
        return kind.id() + "-diff.html";
    }

    /** Deletes the diff pages a previous run left in {@code dir}. */
    static void clear(Path dir) throws IOException {
        for (ProfileKind kind : ProfileKind.values()) {
            Files.deleteIfExists(dir.resolve(diffFileName(kind)));
        }
    }

    /** The previous run's profile of {@code kind} for the test in {@code testDir}, or {@code null} when it has none. */
    static Path before(Path compareDir, Path outputDir, Path testDir, ProfileKind kind) {
        if (compareDir == null) {
            return null;
        }
        Path p = compareDir
                .resolve(outputDir.relativize(testDir).toString())
                .resolve(ProfileArtifacts.pprofFileName(kind));
        return Files.isRegularFile(p) ? p : null;
    }

    /**
     * Writes a diff page per profile of {@code capture} that the previous run has, adding its name to
     * {@code artifacts}.
     *
     * @return the {@code diff} entries of the summary, by kind
     * @throws IOException naming the file when a previous profile cannot be read or a page cannot be written
     */
    static Map<ProfileKind, Map<String, Object>> write(
            Path compareDir, Path outputDir, TestId test, CaptureResult capture, List<String> artifacts)
            throws IOException {
        Map<ProfileKind, Map<String, Object>> diffs = new LinkedHashMap<>();
        if (compareDir == null || capture == null) {
            return diffs;
        }
        for (Map.Entry<ProfileKind, Profile> e : capture.profiles().entrySet()) {
            Path beforeFile = before(compareDir, outputDir, test.dir(), e.getKey());
            if (beforeFile == null) {
                continue;
            }
            Profile before;
            try {
                before = Pprof.read(beforeFile);
            } catch (IOException | RuntimeException x) {
                throw new IOException(
                        "jprof could not read the profile to compare [" + test.label() + "] with, [" + beforeFile
                                + "] (" + COMPARE + "): " + x.getMessage(),
                        x);
            }
            String name = diffFileName(e.getKey());
            FlameGraph.diff(
                    before,
                    e.getValue(),
                    test.dir().resolve(name),
                    test.label() + " — " + e.getKey().id() + ", change since [" + beforeFile + "]");
            artifacts.add(name);
            diffs.put(e.getKey(), entry(name, beforeFile, before, e.getValue()));
        }
        return diffs;
    }

    private static Map<String, Object> entry(String page, Path beforeFile, Profile before, Profile after) {
        ProfileAnalysis now = ProfileAnalysis.of(after);
        ProfileAnalysis base = now.on(before);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("flameGraph", page);
        m.put("before", beforeFile.toString());
        m.put("beforeTotal", base.total());
        m.put("total", now.total());
        List<ProfileDiff.Change> grew = ProfileDiff.of(base, now).byFlatPointsGrowth();
        if (!grew.isEmpty() && grew.get(0).flatPoints() > 0) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("function", grew.get(0).function());
            g.put("points", Math.round(grew.get(0).flatPoints() * 100) / 100.0);
            m.put("grewMost", g);
        } else {
            m.put("grewMost", null);
        }
        return m;
    }
}
