package dev.jprof.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.management.ThreadMXBean;
import dev.jprof.format.internal.pb.PprofProto;
import dev.jprof.profile.ProfileKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed input gives a {@link PprofFormatException} naming the file and the problem, nothing else. */
class PprofMalformedTest {

    @TempDir
    Path dir;

    private Path file(String name, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content);
        return file;
    }

    private static byte[] valid() {
        return Pprof.toBytes(TestProfiles.of(ProfileKind.CPU));
    }

    /** A valid message with one change. */
    private static byte[] edited(UnaryOperator<PprofProto.Profile.Builder> edit) throws IOException {
        return edit.apply(PprofProto.Profile.parseFrom(valid()).toBuilder())
                .build()
                .toByteArray();
    }

    private void assertRejected(String name, byte[] content, String problem) throws IOException {
        Path file = file(name, content);
        assertThatThrownBy(() -> Pprof.read(file))
                .isInstanceOf(PprofFormatException.class)
                .hasMessageStartingWith("Cannot read pprof file [" + file + "]: ")
                .hasMessageContaining(problem);
    }

    @Test
    void truncatedGzip() throws IOException {
        Path whole = dir.resolve("whole.pb.gz");
        Pprof.write(TestProfiles.of(ProfileKind.CPU), whole);
        byte[] gz = Files.readAllBytes(whole);

        assertRejected("truncated.pb.gz", Arrays.copyOf(gz, gz.length / 2), "bad gzip data");
        assertRejected("no-trailer.pb.gz", Arrays.copyOf(gz, gz.length - 4), "bad gzip data");
        assertRejected("magic-only.pb.gz", new byte[] {0x1f, (byte) 0x8b}, "bad gzip data");
    }

    /**
     * A 1 MB file that inflates to 1 GiB: 1024 gzip members (concatenated members are one gzip stream)
     * of 1 MiB of zeros each. Reading stops at {@link Pprof#MAX_INFLATED_BYTES}; before the cap,
     * {@code readAllBytes} allocated well over 1 GiB.
     */
    @Test
    void gzipBombIsRejectedWithoutInflatingItAll() throws IOException {
        ByteArrayOutputStream member = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(member)) {
            gz.write(new byte[1 << 20]);
        }
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        for (int i = 0; i < 1024; i++) {
            member.writeTo(bomb);
        }
        assertThat(bomb.size()).as("the bomb's size").isLessThan(2 << 20);
        Path file = file("bomb.pb.gz", bomb.toByteArray());

        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        assertThatThrownBy(() -> Pprof.read(file))
                .isInstanceOf(PprofFormatException.class)
                .hasMessage("Cannot read pprof file [" + file
                        + "]: it inflates to more than 128 MiB (Pprof.MAX_INFLATED_BYTES),"
                        + " more than a profile should take");
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated reading the bomb").isLessThan(4L * Pprof.MAX_INFLATED_BYTES);
    }

    @Test
    void aProfileJustBelowTheCapIsStillInflated() throws IOException {
        // no valid profile is that large in a test, but the cap must not reject what fits under it:
        // 8 MiB of zeros inflate fine and then fail as protobuf, not as a bomb
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(new byte[8 << 20]);
        }
        assertRejected("zeros.pb.gz", gz.toByteArray(), "bad protobuf");
    }

    @Test
    void truncatedProtobuf() throws IOException {
        byte[] plain = valid();

        // The last field is the default sample type: cut its value off.
        assertRejected("truncated.pb", Arrays.copyOf(plain, plain.length - 1), "bad protobuf");
    }

    @Test
    void emptyFile() throws IOException {
        assertRejected("empty.pb.gz", new byte[0], "it is empty");
    }

    @Test
    void randomBytes() throws IOException {
        Random random = new Random(42);
        for (int i = 0; i < 300; i++) {
            byte[] bytes = new byte[1 + random.nextInt(200)];
            random.nextBytes(bytes);
            if (i % 2 == 0) {
                bytes[0] = 0x1f; // half of them look gzipped
                if (bytes.length > 1) {
                    bytes[1] = (byte) 0x8b;
                }
            }
            assertRejected("random-" + i + ".pb", bytes, "");
        }
        byte[] text = "this is not a profile\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertRejected("text.pb", text, "bad protobuf");
    }

    @Test
    void corruptedValidFilesAreReadOrRejectedClearly() throws IOException {
        byte[] plain = valid();
        Random random = new Random(7);
        Path file = dir.resolve("mutant.pb");
        int read = 0;
        int rejected = 0;
        for (int i = 0; i < 1000; i++) {
            byte[] mutant = plain.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                mutant[random.nextInt(mutant.length)] = (byte) random.nextInt(256);
            }
            Files.write(file, mutant);
            try {
                Pprof.read(file);
                read++;
            } catch (PprofFormatException e) {
                assertThat(e)
                        .hasMessageStartingWith("Cannot read pprof file [" + file + "]: ")
                        // the reader's own checks found the problem, not its safety net for runtime exceptions
                        .hasMessageNotContaining("malformed profile");
                rejected++;
            }
        }
        assertThat(read).as("mutants read").isPositive();
        assertThat(rejected).as("mutants rejected").isPositive();
    }

    @Test
    void stringIndexOutsideTheTable() throws IOException {
        assertRejected(
                "bad-string.pb",
                edited(m -> m.setFunction(0, m.getFunction(0).toBuilder().setName(999))),
                "function 1 refers to string index 999, outside the string table of");
        assertRejected(
                "bad-label.pb",
                edited(m -> m.setSample(
                        0,
                        m.getSample(0).toBuilder()
                                .setLabel(
                                        0,
                                        m.getSample(0).getLabel(0).toBuilder().setStr(-1)))),
                "a label of sample 0 refers to string index -1");
        assertRejected(
                "bad-sample-type.pb",
                edited(m -> m.setSampleType(
                        1, PprofProto.ValueType.newBuilder().setType(1).setUnit(1L << 40))),
                "sample type 1 refers to string index 1099511627776");
        assertRejected("bad-comment.pb", edited(m -> m.addComment(5000)), "a comment refers to string index 5000");
        assertRejected(
                "no-empty-string.pb",
                edited(m -> m.setStringTable(0, "x")),
                "the string table must start with the empty string");
    }

    @Test
    void unknownLocationOrFunctionId() throws IOException {
        assertRejected(
                "bad-location.pb",
                edited(m -> m.setSample(2, m.getSample(2).toBuilder().addLocationId(42))),
                "sample 2 refers to location id 42, which does not exist");
        assertRejected(
                "bad-function.pb",
                edited(m -> m.setLocation(
                        0,
                        m.getLocation(0).toBuilder()
                                .setLine(0, PprofProto.Line.newBuilder().setFunctionId(77)))),
                "location 1 refers to function id 77, which does not exist");
        assertRejected(
                "duplicate-location.pb", edited(m -> m.addLocation(m.getLocation(0))), "location id 1 is used twice");
    }

    @Test
    void wrongNumberOfValuesOrNoSampleTypes() throws IOException {
        assertRejected(
                "values.pb",
                edited(m -> m.setSample(3, m.getSample(3).toBuilder().addValue(1))),
                "sample 3 has 3 values but the profile has 2 sample types");
        assertRejected("no-types.pb", edited(m -> m.clearSampleType()), "the profile has no sample types");
    }

    @Test
    void streamsAreNamedAsStreams() {
        assertThatThrownBy(() -> Pprof.read(new ByteArrayInputStream(new byte[] {0x1f, (byte) 0x8b, 1, 2})))
                .isInstanceOf(PprofFormatException.class)
                .hasMessageStartingWith("Cannot read pprof stream: bad gzip data");
    }

    @Test
    void missingFileIsAnIoExceptionNamingIt() {
        Path missing = dir.resolve("missing.pb.gz");
        assertThatThrownBy(() -> Pprof.read(missing))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("Cannot read pprof file [" + missing + "]: ");
    }
}
