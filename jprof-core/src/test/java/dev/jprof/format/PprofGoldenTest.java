package dev.jprof.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.profile.Frame;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import dev.jprof.profile.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pins the exact bytes jprof writes for a tiny profile, so that any change to the encoding is
 * noticed and reviewed.
 *
 * <p>The golden file is the plain (uncompressed) protobuf, {@link Pprof#toBytes}: gzip output may
 * differ between zlib versions. Inspect it with {@code go tool pprof -raw
 * jprof-core/src/test/resources/golden/tiny-cpu.pb}.
 *
 * <p>After an intended change of the encoding, regenerate it with
 *
 * <pre>
 * mvn -pl jprof-core test -Dtest=PprofGoldenTest -Djprof.regenerateGolden=true
 * </pre>
 *
 * and review the difference of {@code go tool pprof -raw} before and after.
 */
class PprofGoldenTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/tiny-cpu.pb");

    static Profile tiny() {
        Profile.Builder b = Profile.builder(ProfileKind.CPU)
                .period(10_000_000)
                .startEpochNanos(1_700_000_000_000_000_000L)
                .durationNanos(20_000_000)
                .comment("engine=golden");
        Frame work = b.frame("com.acme.Work.run", "Work.java", 12);
        Frame main = b.frame("com.acme.Main.main", "Main.java", 5);
        b.addSample(List.of(work, main), new long[] {2, 20_000_000}, Map.of(Sample.THREAD_LABEL, "main", "z", "last"));
        b.addSample(List.of(main), new long[] {1, 10_000_000}, Map.of());
        return b.build();
    }

    @Test
    void encodingMatchesTheGoldenFile() throws IOException {
        byte[] actual = Pprof.toBytes(tiny());
        if (Boolean.getBoolean("jprof.regenerateGolden")) {
            Files.createDirectories(GOLDEN.getParent());
            Files.write(GOLDEN, actual);
        }

        assertThat(GOLDEN)
                .as("golden file; see the Javadoc of this test to regenerate it")
                .exists();
        assertThat(actual).isEqualTo(Files.readAllBytes(GOLDEN));
    }

    @Test
    void goldenFileReadsAsTheTinyProfile() throws IOException {
        assertThat(Pprof.read(GOLDEN)).isEqualTo(tiny());
    }
}
