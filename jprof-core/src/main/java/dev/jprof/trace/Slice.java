package dev.jprof.trace;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.profile.Frame;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * An interval of a {@link Timeline}: one thread running, blocked, parked, waiting, sleeping or in
 * I/O, or (with no thread) a GC pause of the whole JVM.
 *
 * @param kind what the thread was doing
 * @param thread the thread, or {@code null} for a {@link SliceKind#GC_PAUSE}
 * @param startNanos when it started, in nanoseconds since the timeline started
 * @param durationNanos how long it lasted, clipped to the timeline
 * @param detail what it was about: the monitor's or parked-on object's class, the file, the
 *     {@code host:port}, the GC pause's name, or for {@link SliceKind#RUNNING} the number of samples;
 *     {@code ""} when unknown
 * @param stack the stack, leaf first (for a running slice, its samples' heaviest path: from
 *     the root down, the function most of them went through, at its commonest line); empty when unknown
 * @param bytes for socket and file I/O, the bytes read or written; 0 otherwise
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Slice(
        SliceKind kind,
        TraceThread thread,
        long startNanos,
        long durationNanos,
        String detail,
        List<Frame> stack,
        long bytes) {

    /** A slice that moved no bytes: any kind but I/O. */
    public Slice(
            SliceKind kind, TraceThread thread, long startNanos, long durationNanos, String detail, List<Frame> stack) {
        this(kind, thread, startNanos, durationNanos, detail, stack, 0);
    }

    public Slice {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
        stack = List.copyOf(stack);
        if (durationNanos < 0) {
            throw new IllegalArgumentException(
                    "Negative duration " + durationNanos + " of a " + kind.label() + " slice");
        }
    }

    /** When it ended, in nanoseconds since the timeline started. */
    public long endNanos() {
        return startNanos + durationNanos;
    }

    public Duration duration() {
        return Duration.ofNanos(durationNanos);
    }

    /** {@code blocked 201.3 ms on java.lang.Object in "worker" #23 at 12.0 ms}, then the stack, one frame per line. */
    public String describe() {
        StringBuilder b = new StringBuilder(kind.label()).append(' ').append(millis(durationNanos));
        if (!detail.isEmpty()) {
            b.append(kind == SliceKind.RUNNING ? " (" + detail + ")" : " on " + detail);
        }
        if (thread != null) {
            b.append(" in ").append(thread);
        }
        b.append(" at ").append(millis(startNanos));
        for (Frame f : stack) {
            b.append("\n    at ").append(f);
        }
        return b.toString();
    }

    static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
}
