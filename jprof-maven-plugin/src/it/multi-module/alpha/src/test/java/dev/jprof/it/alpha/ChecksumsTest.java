package dev.jprof.it.alpha;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class ChecksumsTest {

    private static final String DIGITS = "31415926535897932384626433832795028841971693993751".repeat(20);
    private static final byte[] DATA = DIGITS.getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Test
    void sumsBlocks() {
        // about 0.2 s of CPU in each function, so that their shares are measured in hundreds of samples
        long parsed = Checksums.parse(DIGITS, 150_000);
        long sum = Checksums.checksum(DATA, 150_000);
        assertNotEquals(0, parsed ^ sum);
    }

    @Test
    void parsesDigits() {
        assertNotEquals(0, Checksums.parse(DIGITS, 50_000));
    }
}
