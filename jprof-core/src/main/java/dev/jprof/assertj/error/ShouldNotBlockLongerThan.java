package dev.jprof.assertj.error;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.trace.Slice;
import dev.jprof.trace.TraceThread;
import java.time.Duration;
import org.apiguardian.api.API;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * A thread blocked longer than allowed at a time.
 *
 * <pre>
 * Expecting no thread to block longer than 50.0 ms at a time but the longest block was:
 *   blocked 201.3 ms on com.acme.Cache in "worker-1" #23 at 10.0 ms
 *       at com.acme.Cache.get(com/acme/Cache.java:42)
 * </pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ShouldNotBlockLongerThan extends BasicErrorMessageFactory {

    /**
     * The message for the {@code longest} block, longer than {@code max}, as the example above.
     *
     * @param thread the thread the assertion was about, or {@code null} for any thread
     */
    public static ErrorMessageFactory shouldNotBlockLongerThan(Duration max, Slice longest, TraceThread thread) {
        return new ShouldNotBlockLongerThan(
                "%nExpecting %s to block longer than %s at a time but the longest block was:%n  %s",
                thread == null ? Describe.text("no thread") : thread,
                Describe.millis(max.toNanos()),
                Describe.slice(longest));
    }

    private ShouldNotBlockLongerThan(String format, Object... arguments) {
        super(format, arguments);
    }
}
