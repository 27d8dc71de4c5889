package dev.jprof.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.testing.Chromium;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report that {@code mvn verify jprof:report-aggregate} wrote for the three-module fixture
 * (src/it/multi-module, its first build: target/jprof-main), opened in headless Chromium.
 */
class AggregateReportIT {

    static final Path FIXTURE = Path.of(System.getProperty("fixture.dir", "target/it/multi-module"));
    private static final Pattern ROW =
            Pattern.compile("<tr class=\"(\\w+)\"><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>");
    private static final Pattern HREF = Pattern.compile("href=\"([^\"]*)\"");

    /** (module, class, test) of every test the fixture has. */
    static final List<String> TESTS = List.of(
            "alpha dev.jprof.it.alpha.ChecksumsTest parsesDigits()",
            "alpha dev.jprof.it.alpha.ChecksumsTest sumsBlocks()",
            "beta dev.jprof.it.beta.WordsTest countsWords()",
            "gamma dev.jprof.it.gamma.CodecTest encodes()");

    @TempDir
    Path published;

    @Test
    void listsEveryModulesTestsWithWorkingRelativeLinks() throws IOException {
        Path report = FIXTURE.resolve("target/jprof-main");
        Chromium chromium = Chromium.require().withTimeout(Duration.ofSeconds(120));

        String dom = chromium.dumpDom(report.resolve("index.html"));

        List<String> rows = new ArrayList<>();
        Matcher m = ROW.matcher(dom);
        while (m.find()) {
            assertThat(m.group(1))
                    .as("status of %s", m.group(3) + " " + m.group(4))
                    .isEqualTo("passed");
            rows.add(m.group(2) + " " + m.group(3) + " " + m.group(4));
        }
        assertThat(rows).containsExactlyInAnyOrderElementsOf(TESTS);
        assertThat(dom).contains("<th data-key=\"module\" data-type=\"text\">Module</th>");
        assertThat(dom).contains("<span id=\"count\">4 of 4 tests</span>");
        assertThat(dom)
                .as("the Across the suite table covers every module")
                .contains("id=\"suite-cpu\"")
                .contains("samples from 4 tests");

        // the folder is published on its own, as a CI artifact: every link must work from a copy of it
        copy(report, published);
        List<String> links = HREF.matcher(dom).results().map(r -> r.group(1)).toList();
        assertThat(links).hasSizeGreaterThan(4 * 3);
        for (String link : links) {
            assertThat(URI.create(link).isAbsolute())
                    .as("link %s is relative", link)
                    .isFalse();
            assertThat(link)
                    .as("link %s stays in the folder", link)
                    .doesNotStartWith("/")
                    .doesNotStartWith("..");
            Path target = published
                    .resolve(URLDecoder.decode(link, StandardCharsets.UTF_8))
                    .normalize();
            assertThat(target).as("link %s", link).startsWith(published).isRegularFile();
        }
        for (String module : List.of("alpha", "beta", "gamma")) {
            assertThat(links)
                    .as("links into %s's files", module)
                    .anyMatch(l -> l.startsWith(module + "/") && l.endsWith("/cpu.html"));
        }

        // a linked flame graph opens and shows the module's code
        String flame =
                chromium.dumpDom(published.resolve("alpha/dev.jprof.it.alpha.ChecksumsTest/sumsBlocks()/cpu.html"));
        assertThat(flame).contains("dev.jprof.it.alpha.Checksums.checksum");
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
