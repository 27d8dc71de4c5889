package dev.jprof.capture.internal;

import java.time.Instant;

/** Epoch time in nanoseconds, the clock every JFR event's time converts to. */
final class Clock {

    private Clock() {}

    static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
