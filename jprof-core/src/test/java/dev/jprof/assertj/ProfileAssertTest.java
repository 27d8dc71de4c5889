package dev.jprof.assertj;

import static dev.jprof.assertj.JprofAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jprof.internal.Evidence;
import dev.jprof.profile.Frame;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import dev.jprof.profile.Sample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * Decisions and exact failure messages. Messages are compared with golden files in
 * {@code src/test/resources/golden/messages/}; run with {@code -Djprof.golden.update=true} to rewrite
 * them, then review the diff.
 */
class ProfileAssertTest {

    static final long MS = 1_000_000;

    /**
     * A CPU profile of {@code 100 * scale} samples of 1 ms:
     * Parser.parse flat 50%, Lexer.lex 30% (cum 40%), regex 10% (under lex), Gc.run 10%; Main.main cum 100%.
     */
    static Profile cpu(int scale) {
        Profile.Builder b = Profile.builder(ProfileKind.CPU).period(MS);
        Frame main = b.frame("com.acme.Main.main", "Main.java", 3);
        Frame parse = b.frame("com.acme.Parser.parse", "Parser.java", 10);
        Frame lex = b.frame("com.acme.Lexer.lex", "Lexer.java", 5);
        Frame regex = b.frame(Frame.of("java.util.regex.Pattern$Start.match"));
        Frame gc = b.frame("com.acme.Gc.run", "Gc.java", 1);
        add(b, 50 * scale, "main", parse, main);
        add(b, 30 * scale, "main", lex, main);
        add(b, 10 * scale, "worker-1", regex, lex, main);
        add(b, 10 * scale, "gc", gc, main);
        return b.build();
    }

    static void add(Profile.Builder b, long count, String thread, Frame... stack) {
        b.addSample(List.of(stack), new long[] {count, count * MS}, Map.of(Sample.THREAD_LABEL, thread));
    }

    /** The same profile where Parser.parse has {@code parse} samples instead of 50 per hundred. */
    static Profile withParse(int scale, int parse) {
        Profile.Builder b = Profile.builder(ProfileKind.CPU).period(MS);
        Frame main = b.frame("com.acme.Main.main", "Main.java", 3);
        add(b, (long) parse * scale, "main", b.frame("com.acme.Parser.parse", "Parser.java", 10), main);
        add(b, (long) (100 - parse) * scale, "main", b.frame("com.acme.Lexer.lex", "Lexer.java", 5), main);
        return b.build();
    }

    private static void golden(Throwable failure, String name) throws IOException {
        String actual = failure.getMessage();
        Path source = Path.of("src/test/resources/golden/messages", name + ".txt");
        if (Boolean.getBoolean("jprof.golden.update")) {
            Files.writeString(source, actual, StandardCharsets.UTF_8);
        }
        assertThat(source)
                .as("golden file (run with -Djprof.golden.update=true to create it)")
                .isRegularFile();
        assertThat(actual).isEqualTo(Files.readString(source, StandardCharsets.UTF_8));
    }

    // --- top N ---------------------------------------------------------------------------------------

    @Test
    void hotFunctionsPassWhenDecided() {
        Profile p = cpu(10);
        assertThat(p).hotFunctions(1).contains("com.acme.Parser.parse");
        assertThat(p).hotFunctions(2).noneMatch("regex");
        assertThat(p).hotFunctions(2).noneMatch(f -> f.startsWith("java.util.regex"));
        assertThat(p).hotFunctionsByCum(3).anyMatch("Lexer");
        assertThat(p).hotFunctions(2).doesNotContain("com.acme.Gc.run");
        assertThat(p).hotFunctions(2).names().containsExactly("com.acme.Parser.parse", "com.acme.Lexer.lex");
    }

    @Test
    void noneMatchFailsWithTheTable() throws IOException {
        AssertionFailedError e = catchThrowableOfType(
                AssertionFailedError.class,
                () -> assertThat(cpu(10)).hotFunctions(2).noneMatch("Lexer"));
        golden(e, "should-not-be-hot");
        assertThat(e.getActual().getValue()).isEqualTo("com.acme.Parser.parse\ncom.acme.Lexer.lex");
        assertThat(e.getExpected().getValue()).isEqualTo("com.acme.Parser.parse");
    }

    @Test
    void containsFailsWithTheTableAndTheFunctionsRank() throws IOException {
        golden(
                catchThrowableOfType(
                        AssertionError.class,
                        () -> assertThat(cpu(10)).hotFunctions(2).contains("java.util.regex.Pattern$Start.match")),
                "should-be-hot");
        assertThatThrownBy(() -> assertThat(cpu(10)).hotFunctions(2).anyMatch("absent"))
                .hasMessageContaining("but no sample has one:");
    }

    @Test
    void tooFewSamplesToRankFailsWithNotEnoughSamples() throws IOException {
        // 40% against 60% is 20 points apart: 100 samples cannot tell them apart at three standard errors, 1,000 can
        golden(
                catchThrowableOfType(
                        AssertionError.class,
                        () -> assertThat(withParse(1, 60))
                                .usingSampleType("cpu")
                                .hotFunctions(1)
                                .noneMatch("Lexer")),
                "not-enough-samples-rank");
        assertThat(withParse(10, 60)).hotFunctions(1).noneMatch("Lexer");
    }

    @Test
    void aFunctionBelowTheMinimumShareIsNotHot() {
        // regex has 10%, #4 by flat; only Main.main (0%) is the 4th other function
        assertThat(cpu(10)).hotFunctions(4).withMinShare(20).noneMatch("regex");
        assertThatThrownBy(() ->
                        assertThat(cpu(10)).hotFunctions(4).withMinShare(0).noneMatch("regex"))
                .hasMessageContaining("but java.util.regex.Pattern$Start.match is #4 with flat 10.00%");
        // absent and few samples: its share could still be up to 8.3%, above the default minimum of 5%
        assertThatThrownBy(() -> assertThat(cpu(1)).hotFunctions(5).noneMatch("absent"))
                .hasMessageContaining("not enough samples (100)");
        assertThat(cpu(2)).hotFunctions(5).noneMatch("absent");
    }

    // --- shares --------------------------------------------------------------------------------------

    @Test
    void sharesPassWhenDecided() {
        Profile p = cpu(10);
        assertThat(p)
                .hasFlatShareBelow("regex", 20)
                .hasFlatShareAbove("Parser", 40)
                .hasCumShareAbove("Lexer", 30)
                .hasCumShareBelow("Gc", 15)
                .focus("Lexer")
                .hasFlatShareBelow("Lexer", 40)
                .onThreads("worker")
                .hasCumShareAbove("Lexer", 90);
    }

    @Test
    void shareOnTheWrongSideFailsWithTheTable() throws IOException {
        AssertionFailedError e = catchThrowableOfType(
                AssertionFailedError.class, () -> assertThat(cpu(10)).hasFlatShareBelow("Parser", 25));
        golden(e, "should-have-share-below");
        assertThat(e.getActual().getValue()).isEqualTo("50.00%");
        assertThat(e.getExpected().getValue()).isEqualTo("< 25.00%");
        golden(
                catchThrowableOfType(
                        AssertionError.class,
                        () -> assertThat(cpu(10)).ignore("Parser").hasCumShareAbove("Lexer", 60)),
                "should-have-share-above");
    }

    @Test
    void shareTooCloseToTheBoundFailsWithNotEnoughSamples() throws IOException {
        golden(
                catchThrowableOfType(
                        AssertionError.class, () -> assertThat(cpu(1)).hasFlatShareBelow("regex", 15)),
                "not-enough-samples-share");
        assertThat(cpu(10)).hasFlatShareBelow("regex", 15);
    }

    @Test
    void hasAtLeastSamples() {
        assertThat(cpu(1)).hasAtLeastSamples(100);
        assertThatThrownBy(() -> assertThat(cpu(1)).hasAtLeastSamples(101))
                .hasMessageContaining("not enough samples (100); run longer or lower the interval");
    }

    // --- baselines -----------------------------------------------------------------------------------

    @Test
    void growthOverABaseline() throws IOException {
        assertThat(withParse(10, 52)).hasNoShareGrowthOver(withParse(10, 50), 10);
        golden(
                catchThrowableOfType(
                        AssertionError.class,
                        () -> assertThat(withParse(10, 80)).hasNoShareGrowthOver(withParse(10, 50), 10)),
                "should-not-grow");
        assertThatThrownBy(() -> assertThat(withParse(1, 58)).hasNoCumShareGrowthOver(withParse(1, 50), 10))
                .hasMessageContaining("not enough samples (100); run longer or lower the interval");
    }

    // --- more evidence ------------------------------------------------------------------------------

    /** {@code cpu(1)}, whose code gives {@code cpu(1)} again each time it is repeated, counted in {@code repeats}. */
    private static Profile repeatable(AtomicInteger repeats) {
        Profile first = cpu(1);
        Evidence.register(
                first,
                nanos -> {
                    repeats.incrementAndGet();
                    return cpu(1);
                },
                Duration.ofSeconds(60),
                "the code");
        return first;
    }

    @Test
    void anUndecidedShareRepeatsTheCodeUntilItDecides() {
        // 100 samples cannot put regex's 10% below 15%; each repeat adds 100 more, and 300 can
        AtomicInteger repeats = new AtomicInteger();
        Profile first = repeatable(repeats);
        assertThat(first).hasFlatShareBelow("regex", 15);
        assertThat(repeats).hasValueBetween(1, 9);
        // the profile itself is unchanged
        assertThat(first.samples()).hasSize(4);
    }

    @Test
    void aSecondAssertionOnTheSameProfileStartsFromTheSamplesTheFirstOneAdded() {
        // as HotAnnotationsTest's shortCode on a loaded machine: the first assertion spent the budget, and the
        // second, on the same 0.1 s profile, found nothing left to repeat with and could not decide
        AtomicInteger repeats = new AtomicInteger();
        Profile first = repeatable(repeats);
        assertThat(first).hasFlatShareBelow("regex", 15);
        int afterFirst = repeats.get();
        assertThat(afterFirst).isPositive();

        assertThat(first).hasFlatShareBelow("regex", 15).hasFlatShareAbove("Parser", 10);
        assertThat(repeats).as("runs of the code").hasValue(afterFirst);
        assertThat(first.samples()).hasSize(4);
    }

    @Test
    void anUndecidedRankRepeatsTheCodeUntilItDecides() {
        Profile first = withParse(1, 60);
        Evidence.register(first, nanos -> withParse(1, 60), Duration.ofSeconds(60), "the code");
        assertThat(first).hotFunctions(1).noneMatch("Lexer");
    }

    @Test
    void afterTheBudgetItFailsSayingHowLongItRepeated() {
        // the repeats add no sample: the share stays undecided until the budget is spent
        Profile first = cpu(1);
        Profile empty = Profile.builder(ProfileKind.CPU).period(MS).build();
        Evidence.register(
                first,
                nanos -> {
                    Thread.sleep(Math.max(1, nanos / 1_000_000));
                    return empty;
                },
                Duration.ofMillis(300),
                "the code");
        assertThatThrownBy(() -> assertThat(first).hasFlatShareBelow("regex", 15))
                .hasMessageContaining("not enough samples (100) after repeating for 300 ms (the code, ")
                .hasMessageContaining("raise jprof.repeat.budget or lower the interval");
    }

    @Test
    void codeLongerThanTheBudgetIsNotRepeated() {
        Profile.Builder b = Profile.builder(ProfileKind.CPU).period(MS).durationNanos(10_000 * MS);
        add(b, 12, "main", b.frame("com.acme.A.a", "A.java", 1));
        AtomicInteger repeats = new AtomicInteger();
        Profile first = b.build();
        Evidence.register(
                first,
                nanos -> {
                    repeats.incrementAndGet();
                    return first;
                },
                Duration.ofSeconds(5),
                "the code");
        assertThatThrownBy(() -> assertThat(first).hotFunctions(5).noneMatch("absent"))
                .hasMessageContaining(
                        "not enough samples (12); one run of the code (10 s) is longer than jprof.repeat.budget (5 s)");
        assertThat(repeats).hasValue(0);
    }

    @Test
    void codeThatFailsWhenRepeatedIsNamedInTheMessage() {
        Profile first = cpu(1);
        Evidence.register(
                first,
                nanos -> {
                    throw new IllegalStateException("gone");
                },
                Duration.ofSeconds(5),
                "the code");
        assertThatThrownBy(() -> assertThat(first).hotFunctions(5).noneMatch("absent"))
                .hasMessageContaining(
                        "not enough samples (100) (repeating the code threw java.lang.IllegalStateException: gone)");
    }

    @Test
    void sharesOnThreadsAreOfThoseThreadsTime() {
        // worker-1 has 10 of 100 samples, all in regex: 100% of its own time
        assertThat(cpu(10)).onThreads("^worker-1$").hasFlatShareAbove("regex", 90);
        assertThat(cpu(10)).onThreads("^main$").hasFlatShareAbove("Parser", 55).hasFlatShareBelow("Lexer", 45);
        assertThatThrownBy(() -> assertThat(cpu(1)).onThreads("^worker-1$").hasFlatShareAbove("regex", 90))
                .hasMessageContaining("not enough samples (10)");
    }

    @Test
    void theRivalIsNamedByItsPlaceAmongTheFunctionsThatDoNotMatch() {
        // top 1 asked: the rival is the 1st function that does not match, whatever its rank
        assertThatThrownBy(() -> assertThat(withParse(1, 60)).hotFunctions(1).noneMatch("Lexer"))
                .hasMessageContaining("against the 1st function that does not match, com.acme.Parser.parse at 60.00%")
                .hasMessageNotContaining("#1 ");
        // fewer than 10 samples compare nothing: no "Infinity are needed"
        Profile.Builder b = Profile.builder(ProfileKind.CPU).period(MS);
        add(b, 3, "main", b.frame("com.acme.A.a", "A.java", 1));
        add(b, 2, "main", b.frame("com.acme.B.b", "B.java", 1));
        assertThatThrownBy(() -> assertThat(b.build()).hotFunctions(1).noneMatch("B"))
                .hasMessageContaining("fewer than 10 samples compare nothing")
                .hasMessageNotContaining("Infinity");
    }

    @Test
    void aFailMessageSetBeforeNavigatingIsKept() {
        assertThatThrownBy(() -> assertThat(cpu(10))
                        .withFailMessage("parsing must not be hot here")
                        .focus("Parser")
                        .hotFunctions(1)
                        .doesNotContain("com.acme.Parser.parse"))
                .hasMessage("parsing must not be hot here");
        assertThatThrownBy(() -> assertThat(cpu(10))
                        .as("parser")
                        .withFailMessage("custom %s", "message")
                        .hotFunctions(2)
                        .noneMatch("Lexer"))
                .hasMessage("[parser] custom message");
    }

    @Test
    void descriptionsAreKept() {
        assertThatThrownBy(() -> assertThat(cpu(10))
                        .as("parser")
                        .focus("Parser")
                        .hotFunctions(1)
                        .doesNotContain("com.acme.Parser.parse"))
                .hasMessageStartingWith("[parser] ");
    }
}
