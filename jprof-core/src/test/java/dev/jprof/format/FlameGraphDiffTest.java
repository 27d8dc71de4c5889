package dev.jprof.format;

import static dev.jprof.format.FlameGraphFixtures.COLD_A;
import static dev.jprof.format.FlameGraphFixtures.COLD_B;
import static dev.jprof.format.FlameGraphFixtures.HOT;
import static dev.jprof.format.FlameGraphFixtures.MAIN;
import static dev.jprof.format.FlameGraphFixtures.RUN;
import static dev.jprof.format.FlameGraphFixtures.add;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import dev.jprof.testing.Chromium;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Differential flame graphs: the page's data, and what headless Chromium renders of it. */
class FlameGraphDiffTest {

    static final String GONE = "com.acme.Gone.f";

    @TempDir
    Path dir;

    /** {@link FlameGraphFixtures#hotProfile()} (1 s, Hot.spin 700 ms) plus 30 ms in a function the change removed. */
    static Profile before() {
        Profile.Builder b = FlameGraphFixtures.hotProfile().toBuilder();
        add(b, new long[] {3, 30_000_000}, MAIN, GONE);
        return b.build();
    }

    /** After the change: Hot.spin takes 1.4 s, Cold.a 100 ms, the rest as before; 1.6 s in all. */
    static Profile after() {
        Profile.Builder b = Profile.builder(ProfileKind.CPU);
        add(b, new long[] {140, 1_400_000_000}, MAIN, RUN, HOT);
        add(b, new long[] {10, 100_000_000}, MAIN, RUN, COLD_A);
        add(b, new long[] {5, 50_000_000}, MAIN, RUN);
        add(b, new long[] {5, 50_000_000}, MAIN, COLD_B);
        return b.build();
    }

    @Test
    void thePageHoldsBothProfilesInTheShapeOfTheOneAfter() throws IOException {
        Path file = dir.resolve("cpu-diff.html");
        FlameGraph.diff(before(), after(), file);

        String html = Files.readString(file);
        assertThat(html)
                .contains("<title>cpu-diff.html</title>")
                .contains("\"diff\":true")
                .contains(GONE);
        Map<String, Object> data = FlameGraphFixtures.data(html);
        assertThat(data.get("diff")).isEqualTo(true);
        // 2 + 2 values (samples, cpu) after and before per node: all, main, Cold.b, Gone.f, run, Cold.a, Hot.spin
        assertThat((java.util.List<?>) data.get("nodes")).hasSize(7 * 6);
    }

    @Test
    void grownFramesAreRedShrunkOnesBlueAndTheHeaderNamesTheChangeAndWhatGrewMost() throws IOException {
        Chromium chromium = Chromium.require();
        Path file = dir.resolve("cpu-diff.html");
        FlameGraph.diff(before(), after(), file, "ParserTest › parses() — cpu");

        String byShare = chromium.dumpDom(file);
        assertThat(FlameGraphBrowserTest.text(byShare, "total")).isEqualTo("Total cpu: 1.60 s");
        assertThat(FlameGraphBrowserTest.text(byShare, "change")).isEqualTo("vs. before 1.03 s: +570.00 ms (+55.3%)");
        assertThat(FlameGraphBrowserTest.text(byShare, "grew"))
                .isEqualTo("Grew most: com.acme.Hot.spin +19.54 pp of total");
        Map<String, String> colors = colors(byShare);
        // widths are the profile after: Gone.f (0 after) is not drawn
        assertThat(colors).containsOnlyKeys("all", MAIN, RUN, HOT, COLD_A, COLD_B);
        assertThat(hue(colors.get(HOT))).isEqualTo("red"); // 67.96% of 1.03 s -> 87.5% of 1.6 s
        assertThat(hue(colors.get(RUN))).isEqualTo("red");
        assertThat(hue(colors.get(COLD_A))).isEqualTo("blue"); // 19.42% -> 6.25%
        assertThat(hue(colors.get(COLD_B))).isEqualTo("blue"); // 4.85% -> 3.13%
        assertThat(hue(colors.get(MAIN))).isEqualTo("grey"); // 100% before and after

        String byValue = chromium.dumpDom(file.toUri() + "#mode=value");
        assertThat(FlameGraphBrowserTest.text(byValue, "grew")).isEqualTo("Grew most: com.acme.Hot.spin +700.00 ms");
        Map<String, String> valueColors = colors(byValue);
        assertThat(hue(valueColors.get(MAIN))).isEqualTo("red"); // +570 ms
        assertThat(hue(valueColors.get(COLD_A))).isEqualTo("blue"); // -100 ms
        assertThat(hue(valueColors.get(COLD_B))).isEqualTo("grey"); // 50 ms before and after
        // a deeper red for the larger growth
        assertThat(lightness(valueColors.get(HOT))).isLessThan(lightness(valueColors.get(RUN)));
    }

    private static final Pattern FRAME = Pattern.compile("<div class=\"f [^>]*>");

    /** Function to its frame's background colour, {@code rgb(r, g, b)}. */
    static Map<String, String> colors(String dom) {
        Map<String, String> colors = new HashMap<>();
        Matcher m = FRAME.matcher(dom);
        while (m.find()) {
            Matcher c = Pattern.compile("background-color: (rgb\\([^)]*\\))").matcher(m.group());
            Matcher fn = Pattern.compile("data-fn=\"([^\"]*)\"").matcher(m.group());
            assertThat(c.find() && fn.find()).as(m.group()).isTrue();
            colors.put(fn.group(1), c.group(1));
        }
        return colors;
    }

    private static int[] rgb(String color) {
        String[] p = color.replaceAll("[^0-9,]", "").split(",");
        return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])};
    }

    static String hue(String color) {
        int[] c = rgb(color);
        return c[0] == c[1] && c[1] == c[2] ? "grey" : c[0] > c[2] ? "red" : c[2] > c[0] ? "blue" : "other";
    }

    static int lightness(String color) {
        int[] c = rgb(color);
        return c[0] + c[1] + c[2];
    }
}
