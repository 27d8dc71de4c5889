package dev.jprof.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.format.internal.pb.PprofProto;
import dev.jprof.profile.Frame;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import dev.jprof.profile.ValueType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PprofRoundTripTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ProfileKind.class)
    void fileRoundTripGivesAnEqualProfile(ProfileKind kind) throws IOException {
        Profile original = TestProfiles.of(kind);
        Path file = dir.resolve("out/" + kind.id() + ".pb.gz");

        Pprof.write(original, file);
        Profile back = Pprof.read(file);

        assertThat(back).isEqualTo(original);
        assertThat(back.frames()).isEqualTo(original.frames());
        assertThat(back.kind()).contains(kind);
        assertThat(back.comments()).containsExactly("engine=test", "kind=" + kind.id());
        assertThat(back.periodType()).isEqualTo(kind.periodType());
        assertThat(back.defaultSampleType()).isEqualTo(kind.periodType().type());
        assertThat(back.startEpochNanos()).isEqualTo(TestProfiles.START);
        // The model interns frames: the frames shared by samples are one instance after reading too.
        assertThat(back.samples().get(0).stack().get(1))
                .isSameAs(back.samples().get(1).stack().get(2));
    }

    @ParameterizedTest
    @EnumSource(ProfileKind.class)
    void streamAndPlainBytesRoundTripGiveAnEqualProfile(ProfileKind kind) throws IOException {
        Profile original = TestProfiles.of(kind);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();

        Pprof.write(original, gz);

        assertThat(Pprof.read(new ByteArrayInputStream(gz.toByteArray()))).isEqualTo(original);
        assertThat(Pprof.read(new ByteArrayInputStream(Pprof.toBytes(original))))
                .isEqualTo(original);
    }

    @Test
    void unusualProfilesRoundTrip() throws IOException {
        Profile.Builder b = Profile.builder(List.of(
                new ValueType("events", "count"),
                new ValueType("bytes", "bytes"),
                new ValueType("wait", "microseconds")));
        b.addSample(List.of(), new long[] {0, -5, Long.MAX_VALUE}, Map.of());
        b.addSample(
                List.of(
                        new Frame("", "", 0),
                        new Frame("ünïcödé.Fn$lambda$0", "Ünï.java", Integer.MAX_VALUE),
                        Frame.of("com.acme.Same"),
                        new Frame("com.acme.Same", "A.java", 1),
                        new Frame("com.acme.Same", "B.java", 1)),
                new long[] {1, 2, 3},
                Map.of("", "", "k", "v\n\"q\""));
        Profile original = b.build(); // no period type, period, times, comments or default sample type

        Path file = dir.resolve("odd.pb.gz");
        Pprof.write(original, file);
        Profile back = Pprof.read(file);

        assertThat(back).isEqualTo(original);
        assertThat(back.periodType()).isNull();
        assertThat(back.defaultSampleType()).isNull();
        assertThat(back.kind()).isEmpty();
    }

    @Test
    void encodingFollowsThePprofRules() throws IOException {
        PprofProto.Profile p = PprofProto.Profile.parseFrom(Pprof.toBytes(TestProfiles.of(ProfileKind.CPU)));

        List<String> strings = p.getStringTableList();
        assertThat(strings.get(0)).isEmpty();
        assertThat(new HashSet<>(strings)).as("interned").hasSameSizeAs(strings);
        // main, parse:42, parse:43, read, memmove: five frames, four functions.
        assertThat(p.getLocationList()).extracting(PprofProto.Location::getId).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(p.getFunctionList()).extracting(PprofProto.Function::getId).containsExactly(1L, 2L, 3L, 4L);
        // no mapping id on locations and no system name (it would repeat the name): two fields fewer per
        // location and function, which keeps files as small as async-profiler's converter's
        assertThat(p.getLocationList()).allSatisfy(l -> {
            assertThat(l.getLineCount()).isOne();
            assertThat(l.getMappingId()).isZero();
        });
        assertThat(p.getFunctionList())
                .allSatisfy(f -> assertThat(f.getSystemName()).isZero());
        PprofProto.Function parse = p.getFunctionList().stream()
                .filter(f -> strings.get((int) f.getName()).equals(TestProfiles.PARSE))
                .findFirst()
                .orElseThrow();
        assertThat(strings.get((int) parse.getFilename())).isEqualTo("Parser.java");
        assertThat(p.getLocationList().stream().filter(l -> l.getLine(0).getFunctionId() == parse.getId()))
                .extracting(l -> l.getLine(0).getLine())
                .containsExactly(42L, 43L);
        assertThat(p.getMappingList()).singleElement().satisfies(m -> {
            assertThat(m.getId()).isOne();
            assertThat(m.getHasFunctions()).isTrue();
            assertThat(m.getHasFilenames()).isTrue();
            assertThat(m.getHasLineNumbers()).isTrue();
        });
        assertThat(p.getSample(1).getLabelList())
                .extracting(l -> strings.get((int) l.getKey()) + "=" + strings.get((int) l.getStr()))
                .containsExactly("phase=lex", "thread=main");
        assertThat(p.getSample(1).getValueList()).containsExactly(1L, 10_000_000L);
        assertThat(strings.get((int) p.getDefaultSampleType())).isEqualTo("cpu");
        assertThat(p.getTimeNanos()).isEqualTo(TestProfiles.START);
        assertThat(p.getDurationNanos()).isEqualTo(TestProfiles.DURATION);
        assertThat(p.getPeriod()).isEqualTo(10_000_000L);
    }

    @Test
    void theLocationsMostSamplesUseTakeOneByteIdsAndTheRestKeepFirstUseOrder() throws IOException {
        // 200 samples, each with a frame of its own; from the 150th on they also share "Runner.run" and
        // "Runner.loop": in first-use order those would be locations 151 and 152, two bytes per use
        Profile.Builder b = Profile.builder(ProfileKind.CPU).period(10_000_000);
        for (int i = 0; i < 200; i++) {
            Frame own = b.frame("Work.step" + i, "Work.java", i + 1);
            List<Frame> stack = i < 150
                    ? List.of(own)
                    : List.of(own, b.frame("Runner.loop", "Runner.java", 2), b.frame("Runner.run", "Runner.java", 1));
            b.addSample(stack, new long[] {1, 10_000_000}, Map.of("thread", "main"));
        }
        Profile profile = b.build();

        byte[] bytes = Pprof.toBytes(profile);
        PprofProto.Profile p = PprofProto.Profile.parseFrom(bytes);
        List<String> strings = p.getStringTableList();
        Map<String, Long> idOf = new TreeMap<>();
        for (PprofProto.Location l : p.getLocationList()) {
            PprofProto.Function f = p.getFunction((int) l.getLine(0).getFunctionId() - 1);
            assertThat(f.getId()).isEqualTo(l.getLine(0).getFunctionId());
            idOf.put(strings.get((int) f.getName()), l.getId());
        }

        // 202 frames, 127 one-byte ids: the two shared frames (used by 50 samples each) and the 125 first
        // used of the others, in first-use order; then the rest in first-use order. Numbered 1 to 202 and
        // written in that order.
        assertThat(p.getLocationList()).extracting(PprofProto.Location::getId).isSorted();
        assertThat(p.getLocationList()).hasSize(202);
        assertThat(p.getLocation(201).getId()).isEqualTo(202L);
        assertThat(idOf.get("Work.step0")).isEqualTo(1L);
        assertThat(idOf.get("Work.step124")).isEqualTo(125L);
        assertThat(idOf.get("Runner.loop")).isEqualTo(126L);
        assertThat(idOf.get("Runner.run")).isEqualTo(127L);
        assertThat(idOf.get("Work.step125"))
                .as("the first frame that did not fit")
                .isEqualTo(128L);
        assertThat(idOf.get("Work.step150")).isEqualTo(153L);
        assertThat(idOf.get("Work.step199")).isEqualTo(202L);
        assertThat(p.getSample(199).getLocationIdList())
                .containsExactly(idOf.get("Work.step199"), idOf.get("Runner.loop"), idOf.get("Runner.run"));
        assertThat(Pprof.read(new ByteArrayInputStream(bytes))).isEqualTo(profile);
    }

    @Test
    void outputIsDeterministic() throws IOException {
        Profile profile = TestProfiles.of(ProfileKind.WALL);
        // The same profile built again with label maps filled in another order.
        Profile.Builder rebuilt = Profile.builder(ProfileKind.WALL)
                .period(profile.period())
                .startEpochNanos(profile.startEpochNanos())
                .durationNanos(profile.durationNanos());
        profile.comments().forEach(rebuilt::comment);
        profile.samples().forEach(s -> {
            Map<String, String> reversed = new LinkedHashMap<>(new TreeMap<>(s.labels()).descendingMap());
            rebuilt.addSample(s.stack(), s.values(), reversed);
        });

        assertThat(Pprof.toBytes(rebuilt.build())).isEqualTo(Pprof.toBytes(profile));
        Path a = dir.resolve("a.pb.gz");
        Path b = dir.resolve("b.pb.gz");
        Pprof.write(profile, a);
        Pprof.write(rebuilt.build(), b);
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    }

    @Test
    void writtenFilesAreGzippedPlainBytes() throws IOException {
        Profile profile = TestProfiles.of(ProfileKind.ALLOC);
        Path file = dir.resolve("alloc.pb.gz");
        Pprof.write(profile, file);

        byte[] gz = Files.readAllBytes(file);
        assertThat(gz[0] & 0xff).isEqualTo(0x1f);
        assertThat(gz[1] & 0xff).isEqualTo(0x8b);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            assertThat(in.readAllBytes()).isEqualTo(Pprof.toBytes(profile));
        }
    }

    /** Level 5, not zlib's default 6: on profiles 6 takes about 1.75 times as long for a 1% smaller file. */
    @Test
    void filesAreDeflatedAtLevelFive() throws IOException {
        // large and repetitive enough that levels 5 and 6 give different bytes
        Profile.Builder b = Profile.builder(ProfileKind.CPU);
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 2_000; i++) {
            List<Frame> stack = new java.util.ArrayList<>();
            for (int depth = 0; depth < 30; depth++) {
                stack.add(new Frame("com.acme.Service" + random.nextInt(40) + ".call" + depth, "Service.java", depth));
            }
            b.addSample(stack, new long[] {1, 1_000_000}, Map.of("thread", "worker-" + random.nextInt(4)));
        }
        Profile profile = b.build();
        Path file = dir.resolve("cpu.pb.gz");
        Pprof.write(profile, file);

        byte[] proto = Pprof.toBytes(profile);
        assertThat(gzip(proto, 6)).as("levels 5 and 6 differ on this profile").isNotEqualTo(gzip(proto, 5));
        assertThat(Files.readAllBytes(file))
                .isEqualTo(gzip(proto, Pprof.GZIP_LEVEL))
                .isEqualTo(gzip(proto, 5));
    }

    private static byte[] gzip(byte[] bytes, int level) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out) {
            {
                def.setLevel(level);
            }
        }) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void writeReplacesAnExistingFileWithoutLeavingTemporaryFiles() throws IOException {
        Path file = dir.resolve("cpu.pb.gz");
        Files.writeString(file, "old content");

        Pprof.write(TestProfiles.of(ProfileKind.CPU), file);

        assertThat(Pprof.read(file)).isEqualTo(TestProfiles.of(ProfileKind.CPU));
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void writeToAStreamLeavesItOpen() throws IOException {
        Set<String> events = new HashSet<>();
        OutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                events.add("closed");
            }
        };

        Pprof.write(TestProfiles.of(ProfileKind.CPU), out);

        assertThat(events).isEmpty();
        assertThat(((ByteArrayOutputStream) out).size()).isPositive();
    }
}
