package dev.jprof.junit;

import dev.jprof.testing.CpuWork;

/** CPU burners with distinct names, so a profile shows which one ran. */
final class Burn {

    static volatile long sink;

    private Burn() {}

    /**
     * Spins until this thread has used {@code millis} of CPU time (not wall time): a CPU profile gets the
     * samples of that many milliseconds also when other processes share the cores.
     */
    static void spin(long millis) {
        long end = CpuWork.deadline(millis);
        long x = 7;
        for (long n; (n = CpuWork.slice(end)) > 0; ) {
            for (long until = System.nanoTime() + n; System.nanoTime() < until; ) {
                for (int i = 0; i < 2_000; i++) {
                    x = x * 6364136223846793005L + 1442695040888963407L;
                    x ^= x >>> 29;
                }
            }
        }
        sink = x;
    }

    static void inTestBody(long millis) {
        spin(millis);
    }

    static void inBeforeEach(long millis) {
        spin(millis);
    }

    static void inAfterEach(long millis) {
        spin(millis);
    }

    static void burnA(long millis) {
        spin(millis);
    }

    static void burnB(long millis) {
        spin(millis);
    }

    static void burnC(long millis) {
        spin(millis);
    }

    static void burnD(long millis) {
        spin(millis);
    }
}
