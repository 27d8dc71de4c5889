package dev.jprof.junit;

/** CPU burners with distinct names, so a profile shows which one ran. */
final class Burn {

    static volatile long sink;

    private Burn() {}

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * Spins until this thread has used {@code millis} of CPU time (not wall time): a CPU profile gets the
     * samples of that many milliseconds also when other processes share the cores.
     */
    static void spin(long millis) {
        long end = cpuNanos() + millis * 1_000_000;
        long x = 7;
        while (cpuNanos() < end) {
            for (int i = 0; i < 100_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        sink = x;
    }

    /**
     * This thread's CPU time; for a virtual thread, whose CPU time the JDK does not measure (-1), the
     * wall clock.
     */
    private static long cpuNanos() {
        long cpu = THREADS.getCurrentThreadCpuTime();
        return cpu >= 0 ? cpu : System.nanoTime();
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
