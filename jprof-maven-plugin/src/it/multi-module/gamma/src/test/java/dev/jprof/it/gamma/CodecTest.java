package dev.jprof.it.gamma;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jprof.junit.AllocationLimit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CodecTest {

    private static final byte[] INPUT = new byte[4096];

    /** Loads Codec and JUnit's assertions before the counted body, so that the body counts only what encode allocates. */
    @BeforeAll
    static void warmUp() {
        assertEquals(8192, Codec.encode(INPUT));
    }

    /** Exact bytes: the 8 KiB output in the main branch's run, 64 KiB more in the regressed one (under the limit). */
    @Test
    @AllocationLimit(bytes = 1 << 20)
    void encodes() {
        assertEquals(8192, Codec.encode(INPUT));
    }
}
