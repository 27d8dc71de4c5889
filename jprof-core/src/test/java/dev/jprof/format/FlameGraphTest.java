package dev.jprof.format;

import static dev.jprof.format.FlameGraphFixtures.COLD_A;
import static dev.jprof.format.FlameGraphFixtures.COLD_B;
import static dev.jprof.format.FlameGraphFixtures.HOT;
import static dev.jprof.format.FlameGraphFixtures.MAIN;
import static dev.jprof.format.FlameGraphFixtures.RUN;
import static dev.jprof.format.FlameGraphFixtures.add;
import static dev.jprof.format.FlameGraphFixtures.data;
import static dev.jprof.format.FlameGraphFixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jprof.profile.Frame;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import dev.jprof.profile.ValueType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlameGraphTest {

    @TempDir
    Path dir;

    @Test
    void mergesLeafFirstStacksIntoARootFirstTreeWithSelfValues() {
        Map<String, Object> data = data(FlameGraph.toHtml(FlameGraphFixtures.hotProfile(), "cpu", "t"));

        // [type, unit, scale]: the scale is the GCD of the values, which keeps the numbers short
        assertThat(data.get("types"))
                .isEqualTo(List.of(List.of("samples", "count", 5L), List.of("cpu", "nanoseconds", 50_000_000L)));
        assertThat(data.get("selected")).isEqualTo(1L);
        // children sorted by name; Hot.spin at seven different lines is one node
        assertThat(tree(data))
                .containsExactly(
                        "all [0, 0]",
                        "  " + MAIN + " [0, 0]",
                        "    " + COLD_B + " [5, 50000000]",
                        "    " + RUN + " [5, 50000000]",
                        "      " + COLD_A + " [20, 200000000]",
                        "      " + HOT + " [70, 700000000]");
    }

    @Test
    void selfValuesAddUpToTheProfileTotals() {
        Profile profile = FlameGraphFixtures.largeProfile(500, 7);
        long samples = 0;
        long cpu = 0;
        for (FlameGraphFixtures.Node node : FlameGraphFixtures.nodes(data(FlameGraph.toHtml(profile, "cpu", "t")))) {
            samples += node.self()[0];
            cpu += node.self()[1];
        }
        assertThat(samples).isEqualTo(profile.total(0));
        assertThat(cpu).isEqualTo(profile.total(1));
    }

    @Test
    void emptyStacksCountForTheRoot() {
        Profile.Builder b = Profile.builder(ProfileKind.CPU);
        b.addSample(List.of(), new long[] {3, 30}, Map.of());
        add(b, new long[] {1, 10}, MAIN);

        assertThat(tree(data(FlameGraph.toHtml(b.build(), "cpu", "t"))))
                .containsExactly("all [3, 30]", "  " + MAIN + " [1, 10]");
    }

    @Test
    void writeUsesTheDefaultSampleTypeElseTheLastOne() throws IOException {
        Profile alloc = Profile.builder(List.of(ValueType.ALLOC_SPACE, ValueType.ALLOC_OBJECTS))
                .defaultSampleType("alloc_space")
                .build();
        Path file = dir.resolve("alloc.html");
        FlameGraph.write(alloc, file);
        assertThat(data(Files.readString(file)).get("selected")).isEqualTo(0L);

        Profile noDefault = Profile.builder(List.of(ValueType.ALLOC_SPACE, ValueType.ALLOC_OBJECTS))
                .build();
        FlameGraph.write(noDefault, file);
        assertThat(data(Files.readString(file)).get("selected")).isEqualTo(1L);

        FlameGraph.write(noDefault, "alloc_space", file);
        assertThat(data(Files.readString(file)).get("selected")).isEqualTo(0L);
    }

    @Test
    void titleIsTheFileNameOrTheGivenTitleEscaped() throws IOException {
        Path file = dir.resolve("cpu-MyTest.html");
        FlameGraph.write(FlameGraphFixtures.hotProfile(), file);
        assertThat(Files.readString(file)).contains("<title>cpu-MyTest.html</title>");

        assertThat(FlameGraph.toHtml(FlameGraphFixtures.hotProfile(), "cpu", "a<b>&\"c\" \u00e9"))
                .contains("<title>a&lt;b&gt;&amp;&quot;c&quot; &#xe9;</title>");
    }

    @Test
    void unknownSampleTypeNamesTheAvailableOnes() {
        assertThatThrownBy(() -> FlameGraph.write(FlameGraphFixtures.hotProfile(), "wall", dir.resolve("x.html")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[wall]")
                .hasMessageContaining("cpu/nanoseconds");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void nastyFunctionNamesStayInsideTheDataAndRoundTrip() {
        List<String> nasty = List.of(
                "</script><script>alert(1)</script>",
                "</SCRIPT ><!-- <script>",
                "com.acme.Foo.lambda$bar$0",
                "com.acme.Foo$$Lambda/0x0000000801001234.apply",
                "com.acme.Quote\"d'\\back\\slash",
                "com.acme.\u00dcn\u00efc\u00f6de.\u65e5\u672c\u8a9e",
                "com.acme.Emoji.\ud83d\udd25",
                "com.acme.Lone.\ud800surrogate",
                "line\nbreak\u2028sep\u0000nul\ttab",
                "a&amp;b &lt; c",
                "${jndi:ldap://x} `back` @@DATA@@ @@TITLE@@");
        Profile.Builder b = Profile.builder(ProfileKind.CPU);
        for (String name : nasty) {
            add(b, new long[] {1, 1}, MAIN, name);
        }

        String html = FlameGraph.toHtml(b.build(), "cpu", "t");

        // nothing closes or opens a script element but the page's own two
        assertThat(count(html, "(?i)</script")).isEqualTo(2);
        assertThat(count(html, "(?i)<script")).isEqualTo(2);
        assertThat(count(html, "<!--")).isZero();
        assertThat(html.chars().allMatch(c -> c < 0x80)).as("page is ASCII").isTrue();
        @SuppressWarnings("unchecked")
        List<Object> names = (List<Object>) data(html).get("names");
        assertThat(names).containsAll(nasty);
        assertThat(tree(data(html))).hasSize(2 + nasty.size());
    }

    @Test
    void emptyProfileGivesARootWithoutValues() throws IOException {
        Path file = dir.resolve("empty.html");
        FlameGraph.write(Profile.builder(ProfileKind.ALLOC).build(), file);

        Map<String, Object> data = data(Files.readString(file));
        assertThat(tree(data)).containsExactly("all [0, 0]");
        assertThat(data.get("selected")).isEqualTo(1L);
    }

    @Test
    void pageNeedsNoNetwork() {
        String html = FlameGraph.toHtml(FlameGraphFixtures.hotProfile(), "cpu", "t");
        assertThat(html)
                .doesNotContainPattern("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}/")
                .doesNotContainPattern("(?i)<(link|img|iframe|object|embed)\\b")
                .doesNotContainPattern("(?i)<script[^>]*\\bsrc=")
                .doesNotContainPattern("(?i)@import|url\\(")
                .contains("default-src 'none'");
    }

    @Test
    void writesAtomicallyAndReplacesWithoutLeavingTemporaryFiles() throws IOException {
        Path file = dir.resolve("reports/flame.html");
        FlameGraph.write(FlameGraphFixtures.hotProfile(), file);
        FlameGraph.write(Profile.builder(ProfileKind.CPU).build(), file);

        assertThat(tree(data(Files.readString(file, StandardCharsets.UTF_8)))).containsExactly("all [0, 0]");
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void failureNamesTheFileAndLeavesNothingBehind() throws IOException {
        Path blocker = Files.writeString(dir.resolve("not-a-dir"), "x");
        Path file = blocker.resolve("flame.html");

        assertThatThrownBy(() -> FlameGraph.write(FlameGraphFixtures.hotProfile(), file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("[" + file + "]");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(blocker);
        }
    }

    @Test
    void fiveThousandDistinctStacksMakeASmallPage() {
        Profile profile = FlameGraphFixtures.largeProfile(5000, 42);
        String html = FlameGraph.toHtml(profile, "cpu", "large");

        assertThat(html.length()).as("page size in bytes").isLessThan(400 * 1024);
    }

    @Test
    void deepStacksDoNotOverflow() {
        List<Frame> stack = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            stack.add(Frame.of("com.acme.Recursive.call"));
        }
        Profile.Builder b = Profile.builder(ProfileKind.CPU);
        b.addSample(stack, new long[] {1, 1}, Map.of());

        List<String> tree = tree(data(FlameGraph.toHtml(b.build(), "cpu", "t")));
        assertThat(tree).hasSize(20_001);
        assertThat(tree.get(20_000)).isEqualTo("  ".repeat(20_000) + "com.acme.Recursive.call [1, 1]");
    }

    private static int count(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
