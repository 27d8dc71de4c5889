package dev.jprof.assertj.error;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.trace.Slice;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apiguardian.api.API;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Threads waited to enter a monitor that no thread should contend on. The message lists each contended
 * enter, longest first (at most five): duration, monitor class, thread, start, stack.
 *
 * <pre>
 * Expecting no thread to wait for a monitor of "com.acme.Cache" but 2 waits took 206.3 ms in all:
 *   blocked 201.3 ms on com.acme.Cache in "worker-1" #23 at 10.0 ms
 *       at com.acme.Cache.get(com/acme/Cache.java:42)
 *       at com.acme.Service.handle(com/acme/Service.java:7)
 *   blocked 5.0 ms on com.acme.Cache in "main" #1 at 300.0 ms
 *       at com.acme.Cache.get(com/acme/Cache.java:42)
 *       at com.acme.Service.handle(com/acme/Service.java:7)
 * </pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ShouldNotContendOnMonitor extends BasicErrorMessageFactory {

    /** At most this many contended enters are listed. */
    static final int LISTED = 5;

    /**
     * The message for {@code contended}, as the example above.
     *
     * @param className the monitor's class, in Java form ({@code com.acme.Cache$Entry})
     * @param contended the contended enters, in any order
     */
    public static ErrorMessageFactory shouldNotContendOnMonitor(String className, List<Slice> contended) {
        long total = contended.stream().mapToLong(Slice::durationNanos).sum();
        List<Object> arguments = new ArrayList<>(List.of(
                className,
                contended.size(),
                Describe.text(contended.size() == 1 ? "wait" : "waits"),
                Describe.millis(total)));
        contended.stream()
                .sorted(Comparator.comparingLong(Slice::durationNanos).reversed())
                .limit(LISTED)
                .forEach(s -> arguments.add(Describe.slice(s)));
        int listed = Math.min(contended.size(), LISTED);
        boolean more = contended.size() > listed;
        if (more) {
            arguments.add(contended.size() - listed);
        }
        return new ShouldNotContendOnMonitor(
                "%nExpecting no thread to wait for a monitor of %s but %s %s took %s in all:"
                        + "%n  %s".repeat(listed)
                        + (more ? "%n  ... and %s more" : ""),
                arguments.toArray());
    }

    private ShouldNotContendOnMonitor(String format, Object... arguments) {
        super(format, arguments);
    }
}
