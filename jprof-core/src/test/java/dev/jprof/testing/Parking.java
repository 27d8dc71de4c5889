package dev.jprof.testing;

import java.util.concurrent.locks.LockSupport;

/**
 * Parks the calling thread for at least a given time, for tests that assert on how long a wait took.
 * One {@link LockSupport#parkNanos} may return at once: a permit left on the thread by an earlier
 * {@code unpark} (a test thread runs the framework's and jprof's code before, which may leave one), or a
 * spurious wake-up. A region of 700 ms of CPU between two 50 ms parks then measured 757 ms, not 800.
 */
public final class Parking {

    private Parking() {}

    /** Parks until at least {@code millis} of wall time have passed; allocates nothing. */
    public static void parkAtLeast(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        for (long left = millis * 1_000_000; left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
