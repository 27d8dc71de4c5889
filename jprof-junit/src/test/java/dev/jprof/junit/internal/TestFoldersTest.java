package dev.jprof.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.junit.ProfileCpu;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import dev.jprof.junit.EngineTestKitBase;

class TestFoldersTest {

    @TempDir
    Path out;

    private static final String INVOCATION = "[engine:junit-jupiter]/[class:X]/[test-template:m(String)]/[test-template-invocation:#%d]";

    static class Plain {
        void parse(String s, int n) {}

        void other() {}
    }

    static class Casing {
        void Casing() {}

        void casing() {}

        void unrelated() {}
    }

    static class Normalization {
        void \u00e9t\u00e9() {} // NFC: one code point per letter

        void e\u0301te\u0301() {} // NFD: e and a combining acute accent
    }

    private static Method method(Class<?> type, String name, Class<?>... parameters) throws NoSuchMethodException {
        return type.getDeclaredMethod(name, parameters);
    }

    @Test
    void namesWithoutSuchIssuesKeepTheDocumentedLayout() throws Exception {
        Path p = TestFolders.of(Plain.class, method(Plain.class, "parse", String.class, int.class), String.format(INVOCATION, 3), "[3] a, 1");
        assertThat(p).isEqualTo(Path.of(Plain.class.getName(), "parse(String, int)", "[3] a, 1"));
        assertThat(TestFolders.of(Plain.class, method(Plain.class, "other"), "[engine:junit-jupiter]/[class:X]/[method:other()]", "other()"))
                .isEqualTo(Path.of(Plain.class.getName(), "other()"));
    }

    @Test
    void aLoneSurrogateInADisplayNameGivesAPathThatCanBeCreated() throws Exception {
        Path p = TestFolders.of(Plain.class, method(Plain.class, "other"), String.format(INVOCATION, 53), "\uDF06");
        assertThat(p.getFileName().toString()).isEqualTo("[53] _");
        assertThat(TestFolders.safe("a\uD83Db")).isEqualTo("a_b");
        assertThat(TestFolders.safe("\uD83D\uDE00 ok")).as("a surrogate pair is a character").isEqualTo("\uD83D\uDE00 ok");
        assertThat(TestFolders.safe("\uD800\uDC00")).as("U+10000, not two lone surrogates").isEqualTo("\uD800\uDC00");
        assertThat(TestFolders.safe("\uD834\uDC00")).isEqualTo("\uD834\uDC00");
        Files.createDirectories(out.resolve(p));
        assertThat(out.resolve(p)).isDirectory();
    }

    @Test
    void bidiOverridesAndIsolatesAreDropped() {
        assertThat(TestFolders.safe("invoice\u202Efdp.exe")).isEqualTo("invoicefdp.exe");
        assertThat(TestFolders.safe("\u202Aa\u202Bb\u202Cc\u202Dd\u2066e\u2067f\u2068g\u2069")).isEqualTo("abcdefg");
    }

    @Test
    void namesAreWrittenInNfc() {
        assertThat(TestFolders.safe("e\u0301te\u0301")).isEqualTo("\u00e9t\u00e9");
        assertThat(Normalizer.isNormalized(TestFolders.safe("Cafe\u0301 [1]"), Normalizer.Form.NFC)).isTrue();
    }

    @Test
    void methodsDifferingOnlyInCaseGetDistinctFoldersOnCaseInsensitiveFileSystems() throws Exception {
        String upper = folder(Casing.class, "Casing");
        String lower = folder(Casing.class, "casing");
        assertThat(upper).isEqualTo(String.format(Locale.ROOT, "Casing()~%08x", "Casing()".hashCode()));
        assertThat(lower).isEqualTo(String.format(Locale.ROOT, "casing()~%08x", "casing()".hashCode()));
        assertThat(TestFolders.foldKey(upper)).isNotEqualTo(TestFolders.foldKey(lower));
        assertThat(folder(Casing.class, "unrelated")).as("no collision, no hash").isEqualTo("unrelated()");
        assertThat(folder(Casing.class, "Casing")).as("the same in every run").isEqualTo(upper);
    }

    @Test
    void methodsDifferingOnlyInNormalizationGetDistinctFolders() throws Exception {
        String nfc = folder(Normalization.class, "\u00e9t\u00e9");
        String nfd = folder(Normalization.class, "e\u0301te\u0301");
        assertThat(nfc).startsWith("\u00e9t\u00e9()~").isNotEqualTo(nfd);
        assertThat(nfd).startsWith("\u00e9t\u00e9()~").as("written in NFC too");
        assertThat(TestFolders.foldKey(nfc)).isNotEqualTo(TestFolders.foldKey(nfd));
    }

    @Test
    void invocationsWithEqualFoldedDisplayNamesStayApartByTheirIndex() throws Exception {
        Method m = method(Plain.class, "other");
        List<String> names = Stream.of("Casing", "casing", "\u00e9t\u00e9", "e\u0301te\u0301")
                .map(new java.util.function.Function<String, String>() {
                    int i;

                    @Override
                    public String apply(String display) {
                        i++;
                        return TestFolders.of(Plain.class, m, String.format(INVOCATION, i), display).getFileName().toString();
                    }
                }).toList();
        assertThat(names).containsExactly("[1] Casing", "[2] casing", "[3] \u00e9t\u00e9", "[4] \u00e9t\u00e9");
        assertThat(names.stream().map(TestFolders::foldKey)).doesNotHaveDuplicates();
    }

    @Test
    void aLongCollidingNameStaysWithinTheLimit() {
        String hashed = TestFolders.safe("x".repeat(300));
        assertThat(hashed.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(TestFolders.MAX_BYTES);
    }

    private static String folder(Class<?> type, String method) throws NoSuchMethodException {
        return TestFolders.of(type, method(type, method), "[engine:junit-jupiter]/[class:X]/[method:" + method + "()]", method + "()")
                .getName(1).toString();
    }

    // --- end to end: a profiled test whose display name has a lone surrogate passes -----------------

    static class ProfiledOddNames {
        @ProfileCpu
        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"\uDF06", "a\u202Eb", "e\u0301te\u0301"})
        void odd(String s) {
            assertThat(s).isNotEmpty();
        }
    }

    @Test
    void profilingATestWithALoneSurrogateInItsNameDoesNotBreakIt() throws IOException {
        EngineTestKitBase.run(out, ProfiledOddNames.class, Map.of())
                .testEvents().assertStatistics(s -> s.started(3).succeeded(3));
        Path method = out.resolve(ProfiledOddNames.class.getName()).resolve("odd(String)");
        try (Stream<Path> folders = Files.list(method)) {
            assertThat(folders.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder("[1] _", "[2] ab", "[3] \u00e9t\u00e9");
        }
    }
}
