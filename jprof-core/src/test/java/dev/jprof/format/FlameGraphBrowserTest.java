package dev.jprof.format;

import static dev.jprof.format.FlameGraphFixtures.COLD_A;
import static dev.jprof.format.FlameGraphFixtures.COLD_B;
import static dev.jprof.format.FlameGraphFixtures.HOT;
import static dev.jprof.format.FlameGraphFixtures.MAIN;
import static dev.jprof.format.FlameGraphFixtures.RUN;
import static dev.jprof.format.FlameGraphFixtures.add;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import dev.jprof.testing.Chromium;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opens flame graphs in headless Chromium and checks what the page's script rendered. */
class FlameGraphBrowserTest {

    private static final int ROW = 18;

    Chromium chromium;

    @TempDir
    Path dir;

    /** Per test, so that each skipped test reports why. */
    @BeforeEach
    void browser() {
        chromium = Chromium.require();
    }

    /** One frame element of the rendered page. */
    record Rendered(String function, Set<String> classes, double left, double width, int top) {}

    @Test
    void hotMethodIsTheWidestLeaf() throws IOException {
        Path file = dir.resolve("cpu.html");
        FlameGraph.write(FlameGraphFixtures.hotProfile(), file);

        String dom = chromium.dumpDom(file);
        Map<String, Rendered> frames = byFunction(frames(dom));

        assertThat(frames.keySet()).containsExactlyInAnyOrder("all", MAIN, RUN, COLD_A, COLD_B, HOT);
        Rendered hot = frames.get(HOT);
        assertThat(hot.width()).isCloseTo(70.0, within(0.01));
        assertThat(hot.width())
                .isGreaterThan(frames.get(COLD_A).width())
                .isGreaterThan(frames.get(COLD_B).width());
        assertThat(hot.top()).isEqualTo(3 * ROW);
        // Cold.b comes first (sorted by name) under main, then run; under run Cold.a, then Hot.spin
        assertThat(frames.get(RUN).left()).isCloseTo(5.0, within(0.01));
        assertThat(hot.left()).isCloseTo(25.0, within(0.01));
        assertThat(frames.get("all").width()).isCloseTo(100.0, within(0.001));
        assertThat(hot.classes()).contains("user");
        assertThat(text(dom, "total")).isEqualTo("Total cpu: 1.00 s");
    }

    @Test
    void searchFromTheUrlFragmentHighlightsMatchesAndShowsTheirShare() throws IOException {
        Path file = dir.resolve("cpu.html");
        FlameGraph.write(FlameGraphFixtures.hotProfile(), file);

        String dom = chromium.dumpDom(file.toUri() + "#search=" + encode("Cold\\.(a|b)$"));

        List<Rendered> frames = frames(dom);
        assertThat(frames.stream().filter(f -> f.classes().contains("m")).map(Rendered::function))
                .containsExactlyInAnyOrder(COLD_A, COLD_B);
        assertThat(text(dom, "match")).isEqualTo("Matched: 250.00 ms = 25.00% of total");
        assertThat(dom).contains("class=\"searching\"");
        assertThat(dom).containsPattern("<input id=\"search\"[^>]*>");
    }

    @Test
    void zoomFromTheUrlFragmentScalesTheSubtreeAndDimsAncestors() throws IOException {
        Path file = dir.resolve("cpu.html");
        FlameGraph.write(FlameGraphFixtures.hotProfile(), file);

        String dom = chromium.dumpDom(file.toUri() + "#zoom=" + encode(RUN));

        Map<String, Rendered> frames = byFunction(frames(dom));
        assertThat(frames.keySet()).containsExactlyInAnyOrder("all", MAIN, RUN, COLD_A, HOT);
        assertThat(frames.get(RUN).width()).isCloseTo(100.0, within(0.001));
        assertThat(frames.get(HOT).width()).isCloseTo(100.0 * 700 / 950, within(0.01));
        assertThat(frames.get("all").classes()).contains("a");
        assertThat(frames.get(MAIN).classes()).contains("a");
        assertThat(frames.get(HOT).classes()).doesNotContain("a");
        assertThat(dom).containsPattern("<button id=\"reset\" type=\"button\">");
    }

    @Test
    void sampleTypeSelectorSwitchesTheValues() throws IOException {
        Profile.Builder b = Profile.builder(ProfileKind.ALLOC);
        add(b, new long[] {1_000, 16_000}, MAIN, "com.acme.Small.alloc");
        add(b, new long[] {10, 8 * 1024 * 1024}, MAIN, "com.acme.Big.alloc");
        Path file = dir.resolve("alloc.html");
        FlameGraph.write(b.build(), file);

        String space = chromium.dumpDom(file);
        String objects = chromium.dumpDom(file.toUri() + "#type=alloc_objects");

        assertThat(byFunction(frames(space)).get("com.acme.Big.alloc").width()).isGreaterThan(99.0);
        assertThat(text(space, "total")).isEqualTo("Total alloc_space: 8.02 MiB");
        assertThat(space).contains("<option value=\"alloc_objects\">").contains("<option value=\"alloc_space\">");
        assertThat(byFunction(frames(objects)).get("com.acme.Small.alloc").width())
                .isGreaterThan(99.0);
        assertThat(text(objects, "total")).isEqualTo("Total alloc_objects: 1,010");
    }

    @Test
    void emptyProfileSaysSo() throws IOException {
        Path file = dir.resolve("empty.html");
        FlameGraph.write(Profile.builder(ProfileKind.WALL).build(), file);

        String dom = chromium.dumpDom(file);

        assertThat(frames(dom)).isEmpty();
        assertThat(text(dom, "empty")).isEqualTo("No samples: this profile is empty.");
        assertThat(dom).containsPattern("<div id=\"empty\">");
    }

    @Test
    void nastyNamesAreShownAsTextAndRunNothing() throws IOException {
        String breakout = "</script><script>document.body.setAttribute('data-pwned','1')</script>";
        String markup = "<img src=x onerror=\"document.body.setAttribute('data-pwned','2')\">";
        Profile.Builder b = Profile.builder(ProfileKind.CPU);
        add(b, new long[] {1, 10}, MAIN, breakout);
        add(b, new long[] {1, 10}, MAIN, markup);
        add(b, new long[] {1, 10}, MAIN, "com.acme.\u65e5\u672c.lambda$run$0");
        Path file = dir.resolve("nasty.html");
        FlameGraph.write(b.build(), file);

        String dom = chromium.dumpDom(file);

        assertThat(dom).containsPattern("<body data-frames=\"5\"");
        Matcher body = Pattern.compile("<body[^>]*>").matcher(dom);
        assertThat(body.find()).isTrue();
        assertThat(body.group()).doesNotContain("pwned");
        assertThat(dom).doesNotContain("<img");
        assertThat(byFunction(frames(dom))).containsKeys(breakout, markup, "com.acme.\u65e5\u672c.lambda$run$0");
    }

    @Test
    void fiveThousandStacksRenderQuickly() throws IOException {
        Path file = dir.resolve("large.html");
        FlameGraph.write(FlameGraphFixtures.largeProfile(5000, 42), file);

        String dom = chromium.dumpDom(file);

        Matcher m = Pattern.compile("data-render-ms=\"([0-9.]+)\"").matcher(dom);
        assertThat(m.find()).as("render time recorded").isTrue();
        assertThat(Double.parseDouble(m.group(1))).as("render time in ms").isLessThan(3000);
        List<Rendered> frames = frames(dom);
        // ~23,000 nodes, of which those at least half a pixel wide are drawn (the window is 800 px wide)
        assertThat(frames.size()).isGreaterThan(500).isLessThan(5000);
        assertThat(dom).contains("data-frames=\"" + frames.size() + "\"");
        // frames narrower than half a pixel are not drawn
        assertThat(frames).allSatisfy(f -> assertThat(f.width()).isGreaterThan(0.0));
    }

    /**
     * What the other tests read from the DOM is also painted: the root frame is a bar across the window,
     * and a search repaints the page. The screenshots go to {@code -Djprof.screenshots=...} when set,
     * for a human to look at.
     */
    @Test
    void screenshotsShowTheGraphAndTheSearch() throws IOException {
        String named = System.getProperty("jprof.screenshots");
        Path out = named == null ? dir : Files.createDirectories(Path.of(named));
        Path hot = out.resolve("hot.html");
        Path large = out.resolve("large.html");
        FlameGraph.write(FlameGraphFixtures.hotProfile(), hot);
        FlameGraph.write(FlameGraphFixtures.largeProfile(5000, 42), large);
        chromium.screenshot(hot.toUri().toString(), out.resolve("hot.png"), 1400, 500);
        chromium.screenshot(large.toUri().toString(), out.resolve("large.png"), 1400, 900);
        chromium.screenshot(
                large.toUri() + "#search=" + encode("service") + "&zoom="
                        + encode("org.junit.platform.Launcher.execute"),
                out.resolve("large-search.png"),
                1400,
                900);

        BufferedImage hotPng = ImageIO.read(out.resolve("hot.png").toFile());
        BufferedImage largePng = ImageIO.read(out.resolve("large.png").toFile());
        BufferedImage searchPng = ImageIO.read(out.resolve("large-search.png").toFile());
        assertThat(List.of(hotPng.getWidth(), hotPng.getHeight())).containsExactly(1400, 500);
        assertThat(List.of(largePng.getWidth(), largePng.getHeight())).containsExactly(1400, 900);
        assertThat(widestBar(hotPng))
                .as("the root frame, painted across the window")
                .isGreaterThan(1400 * 9 / 10);
        assertThat(widestBar(largePng))
                .as("the root frame, painted across the window")
                .isGreaterThan(1400 * 9 / 10);
        assertThat(differingPixels(largePng, searchPng))
                .as("pixels the search and zoom repainted")
                .isGreaterThan(1400 * 900 / 20);
    }

    /**
     * The longest run of one colour along any row of {@code image}, counting only colours (frames are
     * painted in hues; the page, its header, borders and text are white, grey or black).
     */
    private static int widestBar(BufferedImage image) {
        int widest = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            int run = 0;
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                if (!colourful(rgb)) {
                    run = 0;
                    continue;
                }
                run = x > 0 && rgb == image.getRGB(x - 1, y) ? run + 1 : 1;
                widest = Math.max(widest, run);
            }
        }
        return widest;
    }

    private static boolean colourful(int rgb) {
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        return Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 40;
    }

    private static long differingPixels(BufferedImage a, BufferedImage b) {
        long n = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if (a.getRGB(x, y) != b.getRGB(x, y)) {
                    n++;
                }
            }
        }
        return n;
    }

    // ---- reading the dumped DOM ------------------------------------------------------------------

    private static final Pattern DIV = Pattern.compile("<div ([^>]*)>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([\\w-]+)=\"([^\"]*)\"");

    static List<Rendered> frames(String dom) {
        List<Rendered> frames = new ArrayList<>();
        Matcher div = DIV.matcher(dom);
        while (div.find()) {
            Map<String, String> attributes = new HashMap<>();
            Matcher a = ATTRIBUTE.matcher(div.group(1));
            while (a.find()) {
                attributes.put(a.group(1), unescape(a.group(2)));
            }
            Set<String> classes = Set.of(attributes.getOrDefault("class", "").split(" "));
            if (!classes.contains("f")) {
                continue;
            }
            String style = attributes.get("style");
            frames.add(new Rendered(
                    attributes.get("data-fn"), classes, number(style, "left", "%"), number(style, "width", "%"), (int)
                            number(style, "top", "px")));
        }
        return frames;
    }

    static Map<String, Rendered> byFunction(List<Rendered> frames) {
        return frames.stream().collect(Collectors.toMap(Rendered::function, f -> f));
    }

    private static double number(String style, String property, String unit) {
        Matcher m = Pattern.compile("(?:^|;)\\s*" + property + ":\\s*(-?[0-9.e+-]+)" + Pattern.quote(unit))
                .matcher(style);
        if (!m.find()) {
            throw new AssertionError("No " + property + " in style [" + style + "]");
        }
        return Double.parseDouble(m.group(1));
    }

    /** The text content of the element with id {@code id}, tags stripped. */
    static String text(String dom, String id) {
        Matcher m = Pattern.compile("<(\\w+) id=\"" + id + "\"[^>]*>(.*?)</\\1>", Pattern.DOTALL)
                .matcher(dom);
        if (!m.find()) {
            throw new AssertionError("No element with id [" + id + "]");
        }
        return unescape(m.group(2).replaceAll("<[^>]*>", ""));
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&nbsp;", "\u00a0")
                .replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
