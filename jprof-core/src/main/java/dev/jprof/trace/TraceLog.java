package dev.jprof.trace;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A message that code logged with {@code dev.jprof.api.Jprof.log} (Go's {@code trace.Log}): an instant
 * event of a {@link Timeline}.
 *
 * @param thread the thread that logged it
 * @param atNanos when, in nanoseconds since the timeline started
 * @param category the category given
 * @param message the message
 * @param taskId the id of its {@code dev.jprof.api.Task}, or 0
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record TraceLog(TraceThread thread, long atNanos, String category, String message, long taskId) {

    public TraceLog {
        Objects.requireNonNull(thread, "thread");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(message, "message");
    }
}
