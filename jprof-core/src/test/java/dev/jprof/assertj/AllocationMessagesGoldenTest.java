package dev.jprof.assertj;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jprof.alloc.AllocationReport;
import dev.jprof.alloc.AllocationSite;
import dev.jprof.assertj.internal.AllocationMessages;
import dev.jprof.internal.Figures;
import dev.jprof.profile.Frame;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The failure messages, compared with golden files in {@code src/test/resources/golden/}. */
class AllocationMessagesGoldenTest {

    static final Frame VALUE_OF = Frame.of("java.lang.Integer.valueOf");
    static final Frame GROW = Frame.of("java.util.ArrayList.grow");
    static final Frame PARSE_42 = new Frame("com.acme.Parser.parse", "com/acme/Parser.java", 42);
    static final Frame PARSE_57 = new Frame("com.acme.Parser.parse", "com/acme/Parser.java", 57);

    /** 2 runs: 4 Integers (64 B) and 1 Object[] (32 B): 48 B/op, 2.5 objects/op. */
    static AllocationReport parser(AllocationReport.SiteSource source) {
        List<AllocationSite> sites = List.of(
                new AllocationSite("java.lang.Integer", List.of(VALUE_OF, PARSE_42), 64, 4, 2),
                new AllocationSite("java.lang.Object[]", List.of(GROW, PARSE_57), 32, 1, 2));
        boolean exact = source == AllocationReport.SiteSource.EXACT;
        return new AllocationReport(
                "ParserTest.parse()",
                2,
                96,
                exact ? 5 : -1,
                exact ? 2 : 0,
                List.of("main"),
                "test",
                true,
                sites,
                source,
                List.of(),
                null);
    }

    static String golden(String name) throws IOException {
        try (InputStream in = AllocationMessagesGoldenTest.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new AssertionError(
                        "No golden file [" + name + "]; write one with -Djprof.golden.record=true and review it");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).stripTrailing();
        }
    }

    /** Compares with the golden file; {@code -Djprof.golden.record=true} (re)writes it under src/test/resources instead. */
    static void matchesGolden(String actual, String name) throws IOException {
        if (Boolean.getBoolean("jprof.golden.record")) {
            java.nio.file.Files.writeString(java.nio.file.Path.of("src/test/resources/golden", name), actual + "\n");
            return;
        }
        assertThat(actual).isEqualTo(golden(name));
    }

    @Test
    void bytesOverTheLimitWithExactSites() throws IOException {
        matchesGolden(
                AllocationMessages.shouldAllocateAtMostBytes(parser(AllocationReport.SiteSource.EXACT), 0)
                        .create(),
                "alloc-limit-exact.txt");
    }

    @Test
    void bytesOverTheLimitWithSampledSites() throws IOException {
        matchesGolden(
                AllocationMessages.shouldAllocateAtMostBytes(parser(AllocationReport.SiteSource.SAMPLED), 16)
                        .create(),
                "alloc-limit-sampled.txt");
    }

    @Test
    void objectsOverTheLimit() throws IOException {
        matchesGolden(
                AllocationMessages.shouldAllocateAtMostObjects(parser(AllocationReport.SiteSource.EXACT), 1)
                        .create(),
                "alloc-objects.txt");
    }

    @Test
    void baselineRegression() throws IOException {
        matchesGolden(
                AllocationMessages.shouldNotExceedBaseline(
                                parser(AllocationReport.SiteSource.EXACT),
                                16,
                                24,
                                "Baseline: [jprof-baseline.txt], entry [com.acme.ParserTest#parse()].")
                        .create(),
                "alloc-baseline.txt");
    }

    @Test
    void manySitesAreCutAfterEight() {
        List<AllocationSite> sites = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sites.add(new AllocationSite("T" + i, List.of(PARSE_42), 160 - 16 * i, 1, 1));
        }
        assertThat(AllocationMessages.siteLines(sites, true).lines().toList())
                .hasSize(9)
                .last()
                .isEqualTo("  ... 2 more sites, 48 B/op");
    }

    // --- the assertions ---------------------------------------------------------------------------

    @Test
    void assertionsPassAndFailWithTheMessage() throws IOException {
        AllocationReport r = parser(AllocationReport.SiteSource.EXACT);
        JprofAssertions.assertThat(r).allocatesAtMost(48).allocatesAtMostObjects(2.5);
        JprofAssertions.assertThat(r).bytesPerOp().isEqualTo(48.0);
        JprofAssertions.assertThat(r).objectsPerOp().isEqualTo(2.5).isLessThanOrEqualTo(3);
        assertThatThrownBy(() -> JprofAssertions.assertThat(r).allocatesNothing())
                .isInstanceOf(AssertionError.class)
                .hasMessage(golden("alloc-limit-exact.txt"));
        assertThatThrownBy(() -> JprofAssertions.assertThat(r).bytesPerOp().isZero())
                .hasMessageContaining("bytes/op of ParserTest.parse(), which allocated 48 B/op (2.5 objects/op):")
                .hasMessageContaining(
                        "32 B/op    2 objects/op  java.lang.Integer   <- Integer.valueOf <- Parser.parse(Parser.java:42)")
                .hasMessageContaining("expected: 0.0");
        AllocationReport noObjects = parser(AllocationReport.SiteSource.SAMPLED);
        assertThatThrownBy(() -> JprofAssertions.assertThat(noObjects).objectsPerOp())
                .hasMessageStartingWith(
                        "Expecting ParserTest.parse() to have a counted number of objects/op\nbut objects were not counted (test)");
    }

    @Test
    void perOpFiguresAreExactFractions() {
        assertThat(Figures.perOp(3, 2)).isEqualTo("1.5");
        assertThat(Figures.perOp(1, 3)).isEqualTo("0.333");
        assertThat(Figures.perOp(800_000, 10_000)).isEqualTo("80");
        assertThat(Figures.perOp(0, 7)).isEqualTo("0");
        assertThat(Figures.perOp(1.5)).isEqualTo("1.5");
        assertThat(Figures.perOp(48.0)).isEqualTo("48");
    }
}
