package dev.jprof.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jprof.internal.Figures;
import dev.jprof.profile.Profile;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProfileAnalysisTest {

    private final ProfileAnalysis cpu = ProfileAnalysis.of(Fixtures.cpu());

    @Test
    void topIsOrderedByFlatThenNameWithRecursionCountedOnce() {
        assertThat(cpu.total()).isEqualTo(100 * Fixtures.MS);
        assertThat(cpu.sampleCount()).isEqualTo(100);
        assertThat(cpu.valueType().type()).isEqualTo("cpu");
        assertThat(cpu.top())
                .containsExactly(
                        new HotFunction(1, "com.acme.Parser.parse", 50 * Fixtures.MS, 50, 80 * Fixtures.MS, 80),
                        new HotFunction(2, "com.acme.Lexer.lex", 30 * Fixtures.MS, 30, 40 * Fixtures.MS, 40),
                        new HotFunction(3, "com.acme.Gc.run", 10 * Fixtures.MS, 10, 10 * Fixtures.MS, 10),
                        new HotFunction(4, "java.util.regex.Matcher.find", 10 * Fixtures.MS, 10, 10 * Fixtures.MS, 10),
                        new HotFunction(5, "com.acme.Main.main", 0, 0, 100 * Fixtures.MS, 100));
    }

    @Test
    void topCumIsOrderedByCumThenName() {
        assertThat(cpu.topCum(3))
                .extracting(HotFunction::function, HotFunction::rank)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("com.acme.Main.main", 1),
                        org.assertj.core.groups.Tuple.tuple("com.acme.Parser.parse", 2),
                        org.assertj.core.groups.Tuple.tuple("com.acme.Lexer.lex", 3));
    }

    @Test
    void focusIgnoreAndThreadsFilterSamplesButKeepTheWholeTotal() {
        ProfileAnalysis lex = cpu.focus("Lexer");
        assertThat(lex.value()).isEqualTo(40 * Fixtures.MS);
        assertThat(lex.percent()).isEqualTo(40.0);
        assertThat(lex.function("com.acme.Parser.parse").cumPercent()).isEqualTo(30.0);
        assertThat(cpu.focus("Gc\\.java").value())
                .as("file names match too, as in pprof")
                .isEqualTo(10 * Fixtures.MS);
        assertThat(cpu.ignore("regex").top())
                .extracting(HotFunction::function)
                .doesNotContain("java.util.regex.Matcher.find");
        assertThat(cpu.threads("^worker").value()).isEqualTo(20 * Fixtures.MS);
        assertThat(cpu.focus("Lexer").ignore("regex").threads("main").value()).isEqualTo(20 * Fixtures.MS);
        assertThat(cpu.focus("Lexer").filters()).containsExactly("focus=Lexer");
        assertThat(cpu.focus("nothing").top()).isEmpty();
    }

    @Test
    void patternsGiveFlatAndCumShares() {
        assertThat(cpu.flatPercent("Parser")).isEqualTo(50.0);
        assertThat(cpu.cumPercent("Parser")).isEqualTo(80.0);
        assertThat(cpu.cumPercent("Parser|Lexer")).isEqualTo(90.0);
        assertThat(cpu.function("absent")).isEqualTo(new HotFunction(0, "absent", 0, 0, 0, 0));
    }

    @Test
    void threadSharesBreakTheProfileDown() {
        assertThat(cpu.threadShares())
                .containsExactly(
                        new ThreadShare("main", 70 * Fixtures.MS, 70, 70),
                        new ThreadShare("worker-1", 20 * Fixtures.MS, 20, 20),
                        new ThreadShare("gc", 10 * Fixtures.MS, 10, 10));
    }

    @Test
    void otherSampleTypes() {
        ProfileAnalysis samples = cpu.sampleType("samples");
        assertThat(samples.total()).isEqualTo(100);
        assertThat(samples.top(1).get(0).flat()).isEqualTo(50);
        assertThatThrownBy(() -> cpu.sampleType("alloc_space")).hasMessageContaining("[alloc_space]");
    }

    @Test
    void filteredProfileKeepsTheHeader() {
        Profile p = cpu.threads("gc").filteredProfile();
        assertThat(p.samples()).hasSize(1);
        assertThat(p.period()).isEqualTo(Fixtures.MS);
        assertThat(p.sampleTypes()).isEqualTo(Fixtures.cpu().sampleTypes());
    }

    @Test
    void formatPrintsATableLikePprofTop() {
        assertThat(cpu.format(cpu.top(2))).isEqualTo("""
                cpu: total 100ms in 100 samples
                 rank       flat   flat%        cum    cum%  function
                    1       50ms  50.00%       80ms  80.00%  com.acme.Parser.parse
                    2       30ms  30.00%       40ms  40.00%  com.acme.Lexer.lex
                """);
        assertThat(cpu.focus("Lexer").format(List.of()))
                .startsWith("cpu: total 100ms in 100 samples, focus=Lexer keeps 40ms (40.00%)\n");
        assertThat(Figures.value(1_536, "bytes")).isEqualTo("1.5KiB");
        assertThat(Figures.value(2_500_000_000L, "nanoseconds")).isEqualTo("2.5s");
        assertThat(Figures.value(7, "count")).isEqualTo("7");
    }

    @Test
    void diffComparesValuesAndShares() {
        Profile base = Fixtures.cpu();
        Profile.Builder b = base.toBuilder();
        Fixtures.add(
                b,
                100,
                "main",
                b.frame("com.acme.Parser.parse", "Parser.java", 10),
                b.frame("com.acme.Main.main", "Main.java", 3));
        ProfileDiff diff = ProfileDiff.of(ProfileAnalysis.of(base), ProfileAnalysis.of(b.build()));
        ProfileDiff.Change parse = diff.changes().get(0);
        assertThat(parse.function()).isEqualTo("com.acme.Parser.parse");
        assertThat(parse.flatDelta()).isEqualTo(100 * Fixtures.MS);
        assertThat(diff.percentOfBase(parse.flatDelta())).isEqualTo(100.0);
        assertThat(parse.flatPoints()).isEqualTo(75.0 - 50.0);
        assertThat(diff.byFlatPointsGrowth().get(0).function()).isEqualTo("com.acme.Parser.parse");
        assertThat(diff.byFlatPointsGrowth().get(diff.changes().size() - 1).flatPoints())
                .isNegative();
    }

    @Test
    void mergeConcatenatesSamples() {
        Profile merged = Profiles.merge(Fixtures.cpu(), Fixtures.cpu());
        ProfileAnalysis m = ProfileAnalysis.of(merged);
        assertThat(m.total()).isEqualTo(200 * Fixtures.MS);
        assertThat(m.top())
                .extracting(HotFunction::flatPercent)
                .containsExactlyElementsOf(
                        cpu.top().stream().map(HotFunction::flatPercent).toList());
        assertThatThrownBy(() -> Profiles.merge(
                        Fixtures.cpu(),
                        Profile.builder(dev.jprof.profile.ProfileKind.ALLOC).build()))
                .hasMessageContaining("sample types must be the same");
    }

    @Test
    void mergeStartsAtTheEarliestKnownStartAndLastsAsLongAsAllTogether() {
        // two iterations with a pause between them, and one of unknown start: pprof's rule, the time profiled
        Profile first = Profile.builder(dev.jprof.profile.ProfileKind.CPU)
                .startEpochNanos(5_000)
                .durationNanos(1_000)
                .build();
        Profile second = Profile.builder(dev.jprof.profile.ProfileKind.CPU)
                .startEpochNanos(9_000)
                .durationNanos(2_000)
                .build();
        Profile unknown = Profile.builder(dev.jprof.profile.ProfileKind.CPU)
                .durationNanos(300)
                .build();

        Profile merged = Profiles.merge(second, unknown, first);

        assertThat(merged.startEpochNanos()).isEqualTo(5_000);
        assertThat(merged.durationNanos()).isEqualTo(3_300);
    }
}
