package dev.jprof.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.format.Pprof;
import dev.jprof.internal.Json;
import dev.jprof.junit.internal.JoinedReport;
import dev.jprof.profile.Sample;
import dev.jprof.testing.Chromium;
import dev.jprof.testing.GoPprof;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The fixture's second build: a run with a slower function (alpha's Checksums.checksum does four times the work)
 * and an allocation regression (gamma's Codec.encode allocates 64 KiB more), its modules merged as CI shards
 * ({@code jprof:merge}) and compared with the first run's aggregate ({@code jprof:compare}).
 */
class CompareIT {

    private static final Path MAIN = AggregateReportIT.FIXTURE.resolve("target/jprof-main");
    private static final Path MERGED = AggregateReportIT.FIXTURE.resolve("target/jprof-aggregate");
    private static final String CODEC = "gamma/dev.jprof.it.gamma.CodecTest/encodes()/summary.json";

    @Test
    void theComparisonNamesTheTestTheFunctionAndTheByteDifference() throws IOException {
        String md = Files.readString(MERGED.resolve("compare.md"), StandardCharsets.UTF_8);

        long before = exactBytes(MAIN.resolve(CODEC));
        long after = exactBytes(MERGED.resolve(CODEC));
        assertThat(after - before)
                .as("the injected 64 KiB array and its header")
                .isBetween(65_536L, 65_536L + 64);
        assertThat(md)
                .contains("- gamma dev.jprof.it.gamma.CodecTest › encodes(): allocates " + bytes(after - before)
                        + " more per op (" + String.format(java.util.Locale.ROOT, "%,d", after - before) + " B): "
                        + bytes(before) + " → "
                        + bytes(after) + " (exact");

        assertThat(md)
                .containsPattern("\\| alpha dev\\.jprof\\.it\\.alpha\\.ChecksumsTest › sumsBlocks\\(\\) \\| time \\|");
        assertThat(md)
                .as("the slower function, named")
                .containsPattern(
                        "\\| grew most \\(cpu flat\\): dev\\.jprof\\.it\\.alpha\\.Checksums\\.checksum \\|[^\\n]*\\| grew \\|");
        assertThat(md)
                .as("the test's CPU regressed, beyond sampling noise")
                .contains("- alpha dev.jprof.it.alpha.ChecksumsTest › sumsBlocks(): cpu ");

        String page = Chromium.require().dumpDom(MERGED.resolve("compare.html"));
        assertThat(page)
                .contains("<td class=\"regression\">REGRESSION</td>")
                .contains("dev.jprof.it.alpha.Checksums.checksum");
    }

    @Test
    void goToolPprofReadsTheMergedSuiteProfileWithModuleAndTestLabels() throws IOException {
        Path suite = MERGED.resolve("suite/cpu.pb.gz");

        // everything recorded while the tests ran: every sample names its module, those of a test's threads the test
        Set<String> modules = new TreeSet<>();
        Set<String> tests = new TreeSet<>();
        for (Sample s : Pprof.read(suite).samples()) {
            assertThat(s.label("module")).as("every sample names its module").isNotNull();
            modules.add(s.label("module"));
            if (s.label("test") != null) {
                tests.add(s.label("module") + " " + s.label("test"));
            }
        }
        assertThat(modules).containsExactly("alpha", "beta", "gamma");
        assertThat(tests)
                .containsExactly(
                        "alpha dev.jprof.it.alpha.ChecksumsTest › parsesDigits()",
                        "alpha dev.jprof.it.alpha.ChecksumsTest › sumsBlocks()",
                        "beta dev.jprof.it.beta.WordsTest › countsWords()",
                        "gamma dev.jprof.it.gamma.CodecTest › encodes()");

        GoPprof.Result tags = GoPprof.run("-tags", suite.toString());
        assertThat(tags.exitCode()).as("%s", tags).isZero();
        assertThat(tags.stdout())
                .contains("module:")
                .contains("alpha")
                .contains("beta")
                .contains("gamma")
                .contains("test:");
        GoPprof.Result top = GoPprof.run("-top", "-tagfocus=module=alpha", suite.toString());
        assertThat(top.exitCode()).as("%s", top).isZero();
        assertThat(top.stdout())
                .contains("dev.jprof.it.alpha.Checksums.checksum")
                .doesNotContain("dev.jprof.it.beta.Words");
    }

    private static long exactBytes(Path summary) throws IOException {
        Map<?, ?> s = (Map<?, ?>) Json.parse(Files.readString(summary, StandardCharsets.UTF_8));
        Map<?, ?> a = (Map<?, ?>) s.get("allocations");
        assertThat(a.get("exact")).as("exact allocation in %s", summary).isEqualTo(true);
        return ((Number) a.get("bytes")).longValue();
    }

    /** The run report's byte units, as the comparison prints them. */
    private static String bytes(long n) {
        return JoinedReport.format(n, "bytes");
    }
}
