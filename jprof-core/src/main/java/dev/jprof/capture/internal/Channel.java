package dev.jprof.capture.internal;

import dev.jprof.capture.ProfileOptions;
import java.nio.file.Path;

/**
 * One running recording of the JVM, read in segments while it goes on: async-profiler's, or the
 * JDK's Flight Recorder where async-profiler cannot load (and for traces).
 */
interface Channel {

    /** {@code async-profiler} or {@code jfr}. */
    String name();

    /** Whether the JDK writes the recording (else async-profiler). */
    default boolean fromJdk() {
        return name().equals("jfr");
    }

    /** What the recording captures. */
    ProfileOptions options();

    /**
     * Everything recorded since the previous segment, in a file of its own that the caller deletes.
     * Recording goes on.
     */
    Segment cut();

    /** The last segment; recording stops. */
    Segment stop();

    /**
     * A finished part of a recording.
     *
     * @param source the channel that recorded it
     * @param file complete JFR chunks
     * @param fromNanos events that end before this epoch time belong to the previous segment
     * @param toNanos events that end at or after this epoch time belong to the next segment
     * @param horizonNanos every event that ended before this epoch time is in this or an earlier segment
     */
    record Segment(Channel source, Path file, long fromNanos, long toNanos, long horizonNanos) {}
}
