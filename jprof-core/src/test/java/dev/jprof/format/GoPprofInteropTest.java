package dev.jprof.format;

import static dev.jprof.format.TestProfiles.MAIN;
import static dev.jprof.format.TestProfiles.MEMMOVE;
import static dev.jprof.format.TestProfiles.PARSE;
import static dev.jprof.format.TestProfiles.READ;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.profile.Frame;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import dev.jprof.testing.GoPprof;
import dev.jprof.testing.GoPprof.TopRow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Checks files written by {@link Pprof} with the reference reader, {@code go tool pprof}. Skipped
 * when {@code go} is not installed, failed instead when {@code CI=true}.
 */
class GoPprofInteropTest {

    @TempDir
    Path dir;

    /** Per test rather than per class, so each test is reported as skipped, with the reason. */
    @BeforeEach
    void needsGo() {
        GoPprof.requireGo();
    }

    private Path write(Profile profile, String name) throws IOException {
        Path file = dir.resolve(name);
        Pprof.write(profile, file);
        return file;
    }

    /** jprof's files carry a symbolized mapping, so go tool pprof has nothing to warn about. */
    private static void assertNoWarnings(GoPprof.Result result) {
        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stderrLines())
                .as("stderr of %s", result)
                .allMatch(l -> l.startsWith("Generating report in "), "is only the report location");
    }

    @ParameterizedTest
    @EnumSource(ProfileKind.class)
    void topShowsFunctionsWithExpectedFlatValues(ProfileKind kind) throws IOException {
        Path file = write(TestProfiles.of(kind), kind.id() + ".pb.gz");

        GoPprof.Result result = GoPprof.run("-top", file.toString());

        assertNoWarnings(result);
        String defaultType = kind.sampleTypes().get(1).type();
        assertThat(result.stdout()).contains("Type: " + defaultType);
        Map<String, TopRow> rows = GoPprof.parseTop(result.stdout());
        assertThat(rows.keySet()).containsExactly(PARSE, MEMMOVE, READ, MAIN);
        String[] flat = kind == ProfileKind.ALLOC
                ? new String[] {"7MB", "2MB", "1MB", "10MB"}
                : new String[] {"70ms", "20ms", "10ms", "100ms"};
        assertThat(rows.get(PARSE)).isEqualTo(new TopRow(flat[0], "70.00%", flat[3], "100%"));
        assertThat(rows.get(MEMMOVE)).isEqualTo(new TopRow(flat[1], "20.00%", flat[1], "20.00%"));
        assertThat(rows.get(READ)).isEqualTo(new TopRow(flat[2], "10.00%", "3" + flat[2].substring(1), "30.00%"));
        assertThat(rows.get(MAIN)).isEqualTo(new TopRow("0", "0%", flat[3], "100%"));
    }

    @Test
    void sampleIndexSelectsAllocSpaceOrObjects() throws IOException {
        Path file = write(TestProfiles.of(ProfileKind.ALLOC), "alloc.pb.gz");

        GoPprof.Result space = GoPprof.run("-top", "-sample_index=alloc_space", file.toString());
        GoPprof.Result objects = GoPprof.run("-top", "-sample_index=alloc_objects", file.toString());

        assertNoWarnings(space);
        assertThat(space.stdout()).contains("Type: alloc_space", "of 10MB total");
        assertThat(GoPprof.parseTop(space.stdout()).get(PARSE)).isEqualTo(new TopRow("7MB", "70.00%", "10MB", "100%"));
        assertNoWarnings(objects);
        assertThat(objects.stdout()).contains("Type: alloc_objects", "of 10 total");
        assertThat(GoPprof.parseTop(objects.stdout()).get(PARSE)).isEqualTo(new TopRow("7", "70.00%", "10", "100%"));
    }

    @Test
    void tracesShowStacksLeafFirstWithLabels() throws IOException {
        Path file = write(TestProfiles.of(ProfileKind.CPU), "cpu.pb.gz");

        GoPprof.Result result = GoPprof.run("-traces", file.toString());

        assertNoWarnings(result);
        List<String> traces = List.of(result.stdout().split("-----------\\+-+\\R"));
        assertThat(traces)
                .anySatisfy(trace -> assertThat(trace.lines().map(String::strip))
                        .containsExactly("phase:  lex", "thread:  worker-1", "20ms   " + MEMMOVE, READ, PARSE, MAIN));
        assertThat(traces)
                .anySatisfy(trace -> assertThat(trace.lines().map(String::strip))
                        .containsExactly("thread:  main", "40ms   " + PARSE, MAIN));
    }

    @Test
    void rawShowsSampleTypesPeriodCommentsAndLines() throws IOException {
        Path file = write(TestProfiles.of(ProfileKind.LOCK), "lock.pb.gz");

        GoPprof.Result result = GoPprof.run("-raw", file.toString());

        assertNoWarnings(result);
        assertThat(result.stdout())
                .contains("Comment: engine=test", "Comment: kind=lock")
                .contains("PeriodType: delay nanoseconds", "Period: 10000000")
                .contains("Time: 2023-11-14 22:13:20.123456789 +0000 UTC", "Duration: 1s")
                .contains("contentions/count delay/nanoseconds[dflt]")
                .contains("com.acme.Parser.parse Parser.java:42", "com.acme.Parser.parse Parser.java:43")
                .contains("[FN][FL][LN]");
    }

    @Test
    void diffBaseSubtractsOneOfOurFilesFromAnother() throws IOException {
        Path base = write(TestProfiles.of(ProfileKind.CPU), "base.pb.gz");
        // The same profile, with the first sample (Parser.parse line 42, 40 ms) twice as large.
        Path doubled = write(TestProfiles.of(ProfileKind.CPU, 2), "doubled.pb.gz");

        GoPprof.Result result = GoPprof.run("-top", "-diff_base=" + base, doubled.toString());

        assertNoWarnings(result);
        Map<String, TopRow> rows = GoPprof.parseTop(result.stdout());
        assertThat(rows.keySet()).containsExactly(PARSE, MAIN);
        assertThat(rows.get(PARSE)).isEqualTo(new TopRow("40ms", "40.00%", "40ms", "40.00%"));
    }

    @ParameterizedTest
    @EnumSource(ProfileKind.class)
    void protoWrittenByGoReadsBackWithTheSameTotals(ProfileKind kind) throws IOException {
        Profile original = TestProfiles.of(kind);
        Path file = write(original, kind.id() + ".pb.gz");
        Path fromGo = dir.resolve(kind.id() + "-go.pb.gz");

        GoPprof.Result result = GoPprof.run("-proto", "-output=" + fromGo, file.toString());

        assertNoWarnings(result);
        Profile back = Pprof.read(fromGo);
        assertThat(back.sampleTypes()).isEqualTo(original.sampleTypes());
        for (int i = 0; i < original.sampleTypes().size(); i++) {
            assertThat(back.total(i))
                    .as("total of %s", original.sampleTypes().get(i))
                    .isEqualTo(original.total(i));
        }
        assertThat(back.periodType()).isEqualTo(original.periodType());
        assertThat(back.period()).isEqualTo(original.period());
        assertThat(back.comments()).isEqualTo(original.comments());
        assertThat(back.defaultSampleType()).isEqualTo(original.defaultSampleType());
        assertThat(back.startEpochNanos()).isEqualTo(original.startEpochNanos());
        assertThat(back.durationNanos()).isEqualTo(original.durationNanos());
        assertThat(Set.copyOf(back.frames())).isEqualTo(Set.copyOf(original.frames()));
        assertThat(stacksByLabels(back)).isEqualTo(stacksByLabels(original));
    }

    /** Each sample as its labels and stack, since go may reorder and merge samples. */
    private static Map<String, Long> stacksByLabels(Profile p) {
        return p.samples().stream()
                .collect(Collectors.groupingBy(
                        s -> s.labels().entrySet().stream()
                                        .sorted(Map.Entry.comparingByKey())
                                        .toList() + " "
                                + s.stack().stream().map(Frame::toString).toList(),
                        Collectors.summingLong(s -> s.value(1))));
    }
}
