package dev.jprof.assertj.error;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.trace.Slice;
import dev.jprof.trace.TraceThread;
import java.time.Duration;
import org.apiguardian.api.API;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** {@code Expecting no block longer than 50 ms but the longest was:} then the block, its thread and stack. */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ShouldNotBlockLongerThan extends BasicErrorMessageFactory {

    /**
     * @param thread the thread the assertion was about, or {@code null} for any thread
     */
    public static ErrorMessageFactory shouldNotBlockLongerThan(Duration max, Slice longest, TraceThread thread) {
        return new ShouldNotBlockLongerThan(
                "%nExpecting " + (thread == null ? "no thread" : ShouldNotContendOnMonitor.escape(thread.toString()))
                        + " to block longer than %s at a time but the longest block was:%n  "
                        + Describe.slice(longest),
                ShouldNotContendOnMonitor.millis(max.toNanos()));
    }

    private ShouldNotBlockLongerThan(String format, Object... arguments) {
        super(format, arguments);
    }
}
