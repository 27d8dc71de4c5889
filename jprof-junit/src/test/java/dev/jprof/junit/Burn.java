package dev.jprof.junit;

/** CPU burners with distinct names, so a profile shows which one ran. */
final class Burn {

    static volatile long sink;

    private Burn() {}

    static void spin(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        long x = 7;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 2_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
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
