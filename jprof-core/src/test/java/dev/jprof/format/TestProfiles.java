package dev.jprof.format;

import dev.jprof.profile.Frame;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import dev.jprof.profile.Sample;
import java.util.List;
import java.util.Map;

/**
 * Small profiles with known totals. For every kind, with {@code u} = {@link #unit(ProfileKind)} and
 * 10 samples in all:
 *
 * <pre>
 * com.acme.Parser.parse          flat 7 (70%)   cum 10 (100%)   lines 42 and 43
 * __memmove_avx_unaligned        flat 2 (20%)   no file, no line
 * com.acme.Lexer.read            flat 1 (10%)   cum 3
 * com.acme.Main.main             flat 0         cum 10
 * </pre>
 *
 * The first value of a sample is its count, the second {@code count * u}.
 */
final class TestProfiles {

    static final String PARSE = "com.acme.Parser.parse";
    static final String READ = "com.acme.Lexer.read";
    static final String MAIN = "com.acme.Main.main";
    static final String MEMMOVE = "__memmove_avx_unaligned";
    static final long START = 1_700_000_000_123_456_789L;
    static final long DURATION = 1_000_000_000L;

    private TestProfiles() {}

    /** The value of one count in the second sample type: 10 ms, or 1 MiB for allocations. */
    static long unit(ProfileKind kind) {
        return kind == ProfileKind.ALLOC ? 1L << 20 : 10_000_000L;
    }

    static Profile of(ProfileKind kind) {
        return of(kind, 1);
    }

    /** The profile of {@code kind} with the values of {@code Parser.parse} at line 42 multiplied by {@code parseFactor}. */
    static Profile of(ProfileKind kind, int parseFactor) {
        long u = unit(kind);
        Profile.Builder b = Profile.builder(kind)
                .period(kind == ProfileKind.ALLOC ? 512 * 1024 : u)
                .startEpochNanos(START)
                .durationNanos(DURATION)
                .comment("engine=test")
                .comment("kind=" + kind.id());
        Frame main = b.frame(MAIN, "Main.java", 7);
        Frame parse42 = b.frame(PARSE, "Parser.java", 42);
        Frame parse43 = b.frame(PARSE, "Parser.java", 43);
        Frame read = b.frame(READ, "Lexer.java", 3);
        Frame memmove = b.frame(Frame.of(MEMMOVE));
        long c1 = 4L * parseFactor;
        b.addSample(List.of(parse42, main), new long[] {c1, c1 * u}, Map.of(Sample.THREAD_LABEL, "main"));
        b.addSample(
                List.of(read, parse42, main), new long[] {1, u}, Map.of(Sample.THREAD_LABEL, "main", "phase", "lex"));
        b.addSample(List.of(parse43, main), new long[] {3, 3 * u}, Map.of(Sample.THREAD_LABEL, "worker-1"));
        b.addSample(
                List.of(memmove, read, parse42, main),
                new long[] {2, 2 * u},
                Map.of(Sample.THREAD_LABEL, "worker-1", "phase", "lex"));
        return b.build();
    }
}
