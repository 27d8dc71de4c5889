package dev.jprof.junit;

import dev.jprof.format.Pprof;
import dev.jprof.profile.Profile;
import dev.jprof.profile.Sample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Reading what the extension wrote, for assertions. */
final class Artifacts {

    private Artifacts() {}

    static Profile read(Path file) {
        try {
            return Pprof.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The folders below {@code root} that hold a {@code cpu.pb.gz}, relative to {@code root}, sorted. */
    static List<String> profiledFolders(Path root, String artifact) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().equals(artifact))
                    .map(p -> root.relativize(p.getParent()).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The total of value {@code index} over samples whose stack contains a function ending with {@code suffix}. */
    static long valueIn(Profile p, int index, String suffix) {
        long sum = 0;
        for (Sample s : p.samples()) {
            if (s.stack().stream().anyMatch(f -> f.function().endsWith(suffix))) {
                sum += s.value(index);
            }
        }
        return sum;
    }
}
