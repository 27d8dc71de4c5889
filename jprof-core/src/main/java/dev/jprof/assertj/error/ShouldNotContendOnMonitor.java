package dev.jprof.assertj.error;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.trace.Slice;
import java.util.List;
import org.apiguardian.api.API;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * {@code Expecting no thread to wait for a monitor of com.acme.Cache but 2 did, 310.2 ms in all:}
 * then each contended enter, longest first: duration, thread, stack.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ShouldNotContendOnMonitor extends BasicErrorMessageFactory {

    /** At most this many contended enters are listed. */
    static final int LISTED = 5;

    public static ErrorMessageFactory shouldNotContendOnMonitor(String className, List<Slice> contended) {
        long total = contended.stream().mapToLong(Slice::durationNanos).sum();
        StringBuilder b = new StringBuilder();
        b.append("%nExpecting no thread to wait for a monitor of %s but ")
                .append(contended.size())
                .append(contended.size() == 1 ? " wait" : " waits")
                .append(" took ")
                .append(millis(total))
                .append(" in all:");
        contended.stream()
                .sorted((x, y) -> Long.compare(y.durationNanos(), x.durationNanos()))
                .limit(LISTED)
                .forEach(s -> b.append("%n  ").append(Describe.slice(s)));
        if (contended.size() > LISTED) {
            b.append("%n  ... and ").append(contended.size() - LISTED).append(" more");
        }
        return new ShouldNotContendOnMonitor(b.toString(), className);
    }

    private ShouldNotContendOnMonitor(String format, Object... arguments) {
        super(format, arguments);
    }

    static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    static String escape(String s) {
        return s.replace("%", "%%");
    }
}
