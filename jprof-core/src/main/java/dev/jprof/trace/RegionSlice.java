package dev.jprof.trace;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A region of a {@link Timeline}: code that marked what it was doing with {@code dev.jprof.api.Jprof.region}
 * (Go's {@code trace.WithRegion}).
 *
 * @param name the region's name
 * @param thread the thread it ran on
 * @param startNanos when it started, in nanoseconds since the timeline started (clipped to it)
 * @param durationNanos how long it lasted, clipped to the timeline; a region still open when the trace
 *     was read lasts until the timeline's end
 * @param taskId the id of its {@code dev.jprof.api.Task}, or 0
 * @param task the task's name, or {@code ""}
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record RegionSlice(
        String name, TraceThread thread, long startNanos, long durationNanos, long taskId, String task) {

    public RegionSlice {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(thread, "thread");
        Objects.requireNonNull(task, "task");
        if (durationNanos < 0) {
            throw new IllegalArgumentException("Negative duration " + durationNanos + " of region [" + name + "]");
        }
    }

    /** When it ended, in nanoseconds since the timeline started. */
    public long endNanos() {
        return startNanos + durationNanos;
    }

    public Duration duration() {
        return Duration.ofNanos(durationNanos);
    }

    /** {@code region parse 12.0 ms in "main" #1 at 3.2 ms (task request 7)}. */
    public String describe() {
        return "region " + name + " " + Slice.millis(durationNanos) + " in " + thread + " at "
                + Slice.millis(startNanos) + (taskId == 0 ? "" : " (task " + task + " " + taskId + ")");
    }
}
