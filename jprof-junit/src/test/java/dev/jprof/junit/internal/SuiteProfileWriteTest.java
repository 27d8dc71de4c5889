package dev.jprof.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.capture.CaptureResult;
import dev.jprof.format.Pprof;
import dev.jprof.format.internal.RunReport;
import dev.jprof.format.internal.SuiteProfileFile;
import dev.jprof.profile.Frame;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link WholeSuite#writeSuite}: forks of one run merge into the suite profile, a later run replaces it. */
class SuiteProfileWriteTest {

    @TempDir
    Path dir;

    private static final String RUN = "run=" + RunReport.currentRun();

    static CaptureResult cpu(String function, long nanos) {
        return new CaptureResult(
                Map.of(ProfileKind.CPU, profile(function, nanos, null)), "test", Duration.ofSeconds(1));
    }

    static Profile profile(String function, long nanos, String comment) {
        Profile.Builder b = Profile.builder(ProfileKind.CPU)
                .addSample(List.of(Frame.of(function)), new long[] {1, nanos}, Map.of("test", function));
        return comment == null ? b.build() : b.comment(comment).build();
    }

    @Test
    void aSecondForkOfTheSameRunMergesIntoTheSuiteProfileAndTheReportIsGivenWhatWasWritten() throws Exception {
        WholeSuite.writeSuite(dir, cpu("first", 10));
        Map<String, SuiteProfileFile> second = WholeSuite.writeSuite(dir, cpu("second", 20));

        Profile merged = Pprof.read(dir.resolve("cpu.pb.gz"));
        assertThat(merged.total(1)).isEqualTo(30);
        assertThat(merged.comments()).contains(RUN);
        assertThat(dir.resolve("cpu.html")).isRegularFile();
        assertThat(second).containsOnlyKeys("cpu");
        assertThat(second.get("cpu").profileIfUnchanged())
                .hasValueSatisfying(p -> assertThat(p.total(1)).isEqualTo(30));
    }

    @Test
    void anEarlierRunsSuiteProfileIsReplacedAsItsNoteSaysWithoutBeingMerged() throws Exception {
        // the note is trusted: a file that claims this run inside but whose note names another run is not read
        SuiteProfileFile.write(dir.resolve("cpu.pb.gz"), profile("earlier", 1_000, RUN), "run=an earlier run");

        WholeSuite.writeSuite(dir, cpu("now", 20));

        assertThat(Pprof.read(dir.resolve("cpu.pb.gz")).total(1)).isEqualTo(20);
        assertThat(SuiteProfileFile.run(dir.resolve("cpu.pb.gz"))).contains(RUN);
    }

    @Test
    void aSuiteProfileWithoutANoteIsReadToTellItsRun() throws Exception {
        // written by a jprof without notes: this run's is merged, another run's replaced
        Pprof.write(profile("this run, older jprof", 5, RUN), dir.resolve("cpu.pb.gz"));
        WholeSuite.writeSuite(dir, cpu("now", 20));
        assertThat(Pprof.read(dir.resolve("cpu.pb.gz")).total(1)).isEqualTo(25);

        Pprof.write(profile("another run", 7, "run=another"), dir.resolve("cpu.pb.gz"));
        WholeSuite.writeSuite(dir, cpu("now", 20));
        assertThat(Pprof.read(dir.resolve("cpu.pb.gz")).total(1)).isEqualTo(20);
    }
}
