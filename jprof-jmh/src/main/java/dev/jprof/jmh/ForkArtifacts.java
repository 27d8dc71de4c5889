package dev.jprof.jmh;

import dev.jprof.analysis.Profiles;
import dev.jprof.format.FlameGraph;
import dev.jprof.format.Pprof;
import dev.jprof.format.internal.ProfileArtifacts;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of one benchmark folder: each fork JVM writes {@code <kind>.fork-<n>.pb.gz}; the merge reads
 * them all, in fork order, and writes {@code <kind>.pb.gz} and {@code <kind>.html} with every fork's
 * samples (each labelled {@code fork} and {@code iteration}). Forks run one after the other, so the
 * merge after fork {@code n} sees exactly forks 1 to {@code n}.
 */
final class ForkArtifacts {

    private static final Pattern FORK_FILE = Pattern.compile("([a-z]+)\\.fork-(\\d+)\\.pb\\.gz");

    /** The summary of the benchmark, next to its profiles. */
    public static final String SUMMARY = "summary.json";

    private ForkArtifacts() {}

    /** {@code cpu.fork-2.pb.gz}. */
    public static String forkFileName(ProfileKind kind, int fork) {
        return kind.id() + ".fork-" + fork + ".pb.gz";
    }

    /** Writes the profiles of fork {@code fork}. */
    public static void writeFork(Path dir, int fork, Map<ProfileKind, Profile> profiles) throws IOException {
        for (Map.Entry<ProfileKind, Profile> e : profiles.entrySet()) {
            Pprof.write(e.getValue(), dir.resolve(forkFileName(e.getKey(), fork)));
        }
    }

    /**
     * The files of the benchmark in {@code dir}, for its summary's {@code "artifacts"}: per kind the merged flame graph
     * and pprof file, then the per-fork profiles in fork order.
     */
    public static List<String> artifacts(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        Map<ProfileKind, SortedMap<Integer, Path>> forks = forkFiles(dir);
        for (ProfileKind kind : forks.keySet()) {
            for (String name :
                    List.of(ProfileArtifacts.flameGraphFileName(kind), ProfileArtifacts.pprofFileName(kind))) {
                if (Files.isRegularFile(dir.resolve(name))) {
                    names.add(name);
                }
            }
        }
        for (SortedMap<Integer, Path> files : forks.values()) {
            files.values().forEach(f -> names.add(f.getFileName().toString()));
        }
        return names;
    }

    /** Deletes what an earlier run left: per-fork and merged profiles, flame graphs and the summary. */
    public static void clear(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        ProfileArtifacts.clear(dir);
        Files.deleteIfExists(dir.resolve(SUMMARY));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.fork-*.pb.gz")) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** The per-fork profiles in {@code dir}: kind → fork → file, in fork order. */
    public static Map<ProfileKind, SortedMap<Integer, Path>> forkFiles(Path dir) throws IOException {
        Map<ProfileKind, SortedMap<Integer, Path>> files = new EnumMap<>(ProfileKind.class);
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, "*.fork-*.pb.gz")) {
            for (Path f : all) {
                Matcher m = FORK_FILE.matcher(f.getFileName().toString());
                if (m.matches()) {
                    ProfileKind kind;
                    try {
                        kind = ProfileKind.fromId(m.group(1));
                    } catch (IllegalArgumentException e) {
                        continue;
                    }
                    files.computeIfAbsent(kind, k -> new TreeMap<>()).put(Integer.parseInt(m.group(2)), f);
                }
            }
        }
        return files;
    }

    /**
     * Merges the per-fork profiles of {@code dir} into {@code <kind>.pb.gz} and {@code <kind>.html}.
     *
     * @param title names the benchmark in the flame graphs
     * @return the merged profiles
     */
    public static Map<ProfileKind, Profile> merge(Path dir, String title) throws IOException {
        Map<ProfileKind, Profile> merged = new EnumMap<>(ProfileKind.class);
        for (Map.Entry<ProfileKind, SortedMap<Integer, Path>> e : forkFiles(dir).entrySet()) {
            List<Profile> forks = new ArrayList<>();
            for (Path f : e.getValue().values()) {
                forks.add(Pprof.read(f));
            }
            Profile p = Profiles.merge(forks);
            ProfileKind kind = e.getKey();
            Pprof.write(p, dir.resolve(ProfileArtifacts.pprofFileName(kind)));
            String forkList = e.getValue().size() == 1
                    ? "fork " + e.getValue().firstKey()
                    : e.getValue().size() + " forks";
            FlameGraph.write(
                    p,
                    dir.resolve(ProfileArtifacts.flameGraphFileName(kind)),
                    title + " — " + kind.id() + ", " + forkList + engineSuffix(p));
            merged.put(kind, p);
        }
        return merged;
    }

    private static String engineSuffix(Profile p) {
        return p.comments().stream()
                .filter(c -> c.startsWith("engine="))
                .findFirst()
                .map(c -> " (" + c.substring("engine=".length()) + ")")
                .orElse("");
    }
}
