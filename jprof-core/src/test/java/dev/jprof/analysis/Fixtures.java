package dev.jprof.analysis;

import dev.jprof.profile.Frame;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import dev.jprof.profile.Sample;
import java.util.List;
import java.util.Map;

/**
 * A CPU profile with known figures (value unit 1 ms, total 100 ms, 100 samples):
 *
 * <pre>
 * function                 flat   cum
 * com.acme.Parser.parse     50    90   (recursive: parse -> parse -> lex on some stacks)
 * com.acme.Lexer.lex        30    40
 * java.util.regex.Matcher   10    10
 * com.acme.Main.main         0   100
 * com.acme.Gc.run           10    10   (thread "gc")
 * </pre>
 */
final class Fixtures {

    static final long MS = 1_000_000;

    private Fixtures() {}

    static Profile cpu() {
        Profile.Builder b = Profile.builder(ProfileKind.CPU).period(MS);
        Frame main = b.frame("com.acme.Main.main", "Main.java", 3);
        Frame parse = b.frame("com.acme.Parser.parse", "Parser.java", 10);
        Frame parseInner = b.frame("com.acme.Parser.parse", "Parser.java", 20);
        Frame lex = b.frame("com.acme.Lexer.lex", "Lexer.java", 5);
        Frame regex = b.frame(Frame.of("java.util.regex.Matcher.find"));
        Frame gc = b.frame("com.acme.Gc.run", "Gc.java", 1);
        add(b, 40, "main", parse, main);
        add(b, 10, "main", parseInner, parse, main); // recursion: counted once in cum
        add(b, 20, "main", lex, parse, main);
        add(b, 10, "worker-1", lex, parseInner, parse, main);
        add(b, 10, "worker-1", regex, lex, main);
        add(b, 10, "gc", gc, main);
        return b.build();
    }

    static void add(Profile.Builder b, long count, String thread, Frame... stack) {
        b.addSample(List.of(stack), new long[] {count, count * MS}, Map.of(Sample.THREAD_LABEL, thread));
    }
}
