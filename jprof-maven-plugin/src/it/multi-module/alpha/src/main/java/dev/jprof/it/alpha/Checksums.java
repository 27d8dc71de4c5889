package dev.jprof.it.alpha;

/** Two functions of known cost; with -Dfixture.regress=true, checksum does four times the work (the "slower function"). */
public final class Checksums {

    private Checksums() {}

    /** Parses digits, {@code rounds} times over. */
    public static long parse(String digits, int rounds) {
        long acc = 0;
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < digits.length(); i++) {
                acc = acc * 31 + (digits.charAt(i) - '0') + r;
            }
        }
        return acc;
    }

    /** An FNV-style checksum of {@code data}, {@code rounds} times over (four times as many in the regressed run). */
    public static long checksum(byte[] data, int rounds) {
        int n = Boolean.getBoolean("fixture.regress") ? 4 * rounds : rounds;
        long h = 0xcbf29ce484222325L;
        for (int r = 0; r < n; r++) {
            for (byte b : data) {
                h = (h ^ b) * 0x100000001b3L;
            }
        }
        return h;
    }
}
