package dev.jprof.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.format.internal.pb.PprofProto;
import dev.jprof.profile.Frame;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ValueType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How pprof features jprof never writes map onto the model, with hand-made messages. */
class PprofDecodingTest {

    private static final List<String> STRINGS = List.of(
            "",
            "samples",
            "count",
            "inner",
            "outer",
            "Outer.go",
            "sys",
            "bytes",
            "request",
            "/api",
            "big",
            "kilobytes",
            "ms",
            "period");

    private static long s(String string) {
        int i = STRINGS.indexOf(string);
        assertThat(i).as("string %s", string).isNotNegative();
        return i;
    }

    private static PprofProto.Profile.Builder base() {
        return PprofProto.Profile.newBuilder()
                .addAllStringTable(STRINGS)
                .addSampleType(
                        PprofProto.ValueType.newBuilder().setType(s("samples")).setUnit(s("count")));
    }

    private static Profile read(PprofProto.Profile.Builder message) throws IOException {
        return Pprof.read(new ByteArrayInputStream(message.build().toByteArray()));
    }

    @Test
    void inlinedLinesBecomeSeveralFramesInnermostFirst() throws IOException {
        PprofProto.Profile.Builder m = base().addFunction(
                        PprofProto.Function.newBuilder().setId(10).setName(s("inner")))
                .addFunction(PprofProto.Function.newBuilder()
                        .setId(20)
                        .setName(s("outer"))
                        .setFilename(s("Outer.go")))
                .addLocation(PprofProto.Location.newBuilder()
                        .setId(7)
                        .setAddress(0x1234)
                        .addLine(PprofProto.Line.newBuilder().setFunctionId(10).setLine(3))
                        .addLine(PprofProto.Line.newBuilder().setFunctionId(20).setLine(30)))
                .addLocation(PprofProto.Location.newBuilder()
                        .setId(8)
                        .addLine(PprofProto.Line.newBuilder().setFunctionId(20).setLine(99)))
                .addSample(PprofProto.Sample.newBuilder()
                        .addLocationId(7)
                        .addLocationId(8)
                        .addValue(5));

        Profile p = read(m);

        assertThat(p.samples())
                .singleElement()
                .satisfies(sample -> assertThat(sample.stack())
                        .containsExactly(
                                new Frame("inner", "", 3),
                                new Frame("outer", "Outer.go", 30),
                                new Frame("outer", "Outer.go", 99)));
    }

    @Test
    void locationsWithoutLinesKeepTheirAddressAndMissingNamesAreEmpty() throws IOException {
        PprofProto.Profile.Builder m = base().addFunction(
                        PprofProto.Function.newBuilder().setId(1).setSystemName(s("sys")))
                .addFunction(PprofProto.Function.newBuilder().setId(2))
                .addLocation(PprofProto.Location.newBuilder().setId(1).setAddress(0x4a3f2cL))
                .addLocation(PprofProto.Location.newBuilder()
                        .setId(2)
                        .addLine(PprofProto.Line.newBuilder().setFunctionId(1).setLine(-4)))
                .addLocation(PprofProto.Location.newBuilder()
                        .setId(3)
                        .addLine(PprofProto.Line.newBuilder().setFunctionId(2).setLine(1L << 40)))
                .addLocation(PprofProto.Location.newBuilder()
                        .setId(4)
                        .addLine(PprofProto.Line.newBuilder().setLine(8)))
                .addLocation(PprofProto.Location.newBuilder().setId(5).setAddress(-1L))
                .addSample(PprofProto.Sample.newBuilder()
                        .addLocationId(1)
                        .addLocationId(2)
                        .addLocationId(3)
                        .addLocationId(4)
                        .addLocationId(5)
                        .addValue(1));

        Profile p = read(m);

        assertThat(p.samples().get(0).stack())
                .containsExactly(
                        Frame.of("0x4a3f2c"), // unsymbolized
                        Frame.of("sys"), // no name: the system name; negative line: unknown
                        Frame.of(""), // no name at all; line beyond int: unknown
                        new Frame("", "", 8), // no function
                        Frame.of("0xffffffffffffffff"));
    }

    @Test
    void numericLabelsBecomeStringLabels() throws IOException {
        PprofProto.Profile.Builder m = base().addSample(PprofProto.Sample.newBuilder()
                .addValue(1)
                .addLabel(PprofProto.Label.newBuilder().setKey(s("bytes")).setNum(4096))
                .addLabel(PprofProto.Label.newBuilder()
                        .setKey(s("big"))
                        .setNum(-3)
                        .setNumUnit(s("kilobytes")))
                .addLabel(PprofProto.Label.newBuilder().setKey(s("request")).setStr(s("/api")))
                .addLabel(PprofProto.Label.newBuilder().setKey(s("request")).setStr(s("sys"))));

        Profile p = read(m);

        assertThat(p.samples().get(0).labels())
                .isEqualTo(Map.of("bytes", "4096", "big", "-3 kilobytes", "request", "/api"));
    }

    @Test
    void headerFieldsArePreservedAndAnEmptyPeriodTypeIsNone() throws IOException {
        PprofProto.Profile.Builder m = base().setPeriodType(
                        PprofProto.ValueType.newBuilder().setType(s("period")).setUnit(s("ms")))
                .setPeriod(7)
                .setTimeNanos(11)
                .setDurationNanos(13)
                .addComment(s("outer"))
                .addComment(s("inner"))
                .setDefaultSampleType(s("samples"))
                .setDropFrames(s("sys"));

        Profile p = read(m);

        assertThat(p.periodType()).isEqualTo(new ValueType("period", "ms"));
        assertThat(p.period()).isEqualTo(7);
        assertThat(p.startEpochNanos()).isEqualTo(11);
        assertThat(p.durationNanos()).isEqualTo(13);
        assertThat(p.comments()).containsExactly("outer", "inner");
        assertThat(p.defaultSampleType()).isEqualTo("samples");
        assertThat(p.samples()).isEmpty();

        assertThat(read(base().setPeriodType(PprofProto.ValueType.getDefaultInstance()))
                        .periodType())
                .isNull();
    }
}
