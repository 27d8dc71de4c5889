package dev.jprof.format.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.format.Pprof;
import dev.jprof.profile.Frame;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteProfileFileTest {

    @TempDir
    Path dir;

    static Profile profile(String function, long nanos) {
        return Profile.builder(ProfileKind.CPU)
                .addSample(List.of(Frame.of(function)), new long[] {1, nanos}, Map.of())
                .build();
    }

    @Test
    void theNoteNamesTheRunOfTheFileItDescribesAndTheProfileIsKeptWhileTheFileIsUnchanged() throws Exception {
        Path file = dir.resolve("cpu.pb.gz");
        Profile p = profile("a", 10);

        SuiteProfileFile written = SuiteProfileFile.write(file, p, "run=1");

        assertThat(Pprof.read(file).total(1)).isEqualTo(10);
        assertThat(dir.resolve(".cpu.pb.gz.run")).isRegularFile();
        assertThat(SuiteProfileFile.run(file)).contains("run=1");
        assertThat(written.profileIfUnchanged()).containsSame(p);
    }

    @Test
    void aFileReplacedSinceItsNoteHasNoKnownRunAndItsWrittenProfileIsNotUsed() throws Exception {
        Path file = dir.resolve("cpu.pb.gz");
        SuiteProfileFile written = SuiteProfileFile.write(file, profile("a", 10), "run=1");

        Pprof.write(profile("another fork's", 12_345), file); // another writer, without a note

        assertThat(SuiteProfileFile.run(file)).isEmpty();
        assertThat(written.profileIfUnchanged()).isEmpty();
    }

    @Test
    void aFileWithoutANoteOrWithABrokenOneHasNoKnownRun() throws Exception {
        Path file = dir.resolve("cpu.pb.gz");
        Pprof.write(profile("a", 10), file);
        assertThat(SuiteProfileFile.run(file)).isEmpty();

        Files.writeString(dir.resolve(".cpu.pb.gz.run"), "run=1\nnot a size\n0\n");
        assertThat(SuiteProfileFile.run(file)).isEmpty();

        Files.writeString(dir.resolve(".cpu.pb.gz.run"), "run=1\n");
        assertThat(SuiteProfileFile.run(file)).isEmpty();

        assertThat(SuiteProfileFile.run(dir.resolve("missing.pb.gz"))).isEmpty();
    }
}
