package dev.jprof.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.profile.Frame;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import dev.jprof.testing.GoPprof;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Labels that are numbers are pprof numeric labels: {@code -tagfocus fork=2} matches them. */
class NumericLabelsTest {

    @TempDir
    Path dir;

    private static Profile forks() {
        Profile.Builder b = Profile.builder(ProfileKind.CPU).period(1_000_000);
        Frame a = b.frame("com.acme.A.a", "A.java", 1);
        Frame c = b.frame("com.acme.B.b", "B.java", 1);
        b.addSample(List.of(a), new long[] {3, 3_000_000}, Map.of("fork", "1", "iteration", "1", "thread", "main"));
        b.addSample(List.of(c), new long[] {7, 7_000_000}, Map.of("fork", "2", "iteration", "12", "thread", "main"));
        // not a plain integer: stays a string
        b.addSample(List.of(c), new long[] {1, 1_000_000}, Map.of("fork", "007", "thread", "2"));
        return b.build();
    }

    @Test
    void numbersAreWrittenAsNumericLabelsAndReadBackAsTheSameText() throws IOException {
        Path file = dir.resolve("cpu.pb.gz");
        Pprof.write(forks(), file);
        assertThat(Pprof.read(file)).isEqualTo(forks());
    }

    @Test
    void goToolPprofTagfocusOnANumberMatchesThem() throws IOException {
        GoPprof.requireGo();
        Path file = dir.resolve("cpu.pb.gz");
        Pprof.write(forks(), file);
        GoPprof.Result second = GoPprof.run("-top", "-tagfocus", "fork=2", file.toString());
        assertThat(second.exitCode()).as("%s", second).isZero();
        assertThat(GoPprof.parseTop(second.stdout()).keySet()).containsExactly("com.acme.B.b");
        assertThat(second.stdout()).contains("7ms, 63.64% of 11ms total");
        // a value that is not a plain integer stays a string label, which a regular expression matches
        GoPprof.Result odd = GoPprof.run("-top", "-tagfocus", "fork=^007$", file.toString());
        assertThat(odd.stdout()).contains("1ms, 9.09% of 11ms total");
    }
}
