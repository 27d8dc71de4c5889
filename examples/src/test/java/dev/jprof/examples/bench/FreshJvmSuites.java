package dev.jprof.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.examples.AccessLogParser;
import dev.jprof.examples.SampleTraffic;
import dev.jprof.junit.AllocationLimit;
import dev.jprof.junit.ProfileCpu;
import dev.jprof.junit.Trace;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The suites {@link FreshJvmCost} runs, each in a JVM of its own: 50 tests of about 1 ms, plain and
 * with each annotation, and four tests that spin at once under parallel execution. Not run by
 * Surefire (no Test suffix).
 */
final class FreshJvmSuites {

    static final List<String> LINES = SampleTraffic.lines(Integer.getInteger("bench.short.lines", 3_000));

    private FreshJvmSuites() {}

    static void work() {
        assertThat(new AccessLogParser().parseAll(LINES).rejected()).isZero();
    }

    static class Plain {
        @RepeatedTest(50)
        void parse() {
            work();
        }
    }

    static class Cpu {
        @RepeatedTest(50)
        @ProfileCpu
        void parse() {
            work();
        }
    }

    static class Traced {
        @RepeatedTest(50)
        @Trace
        void parse() {
            work();
        }
    }

    static class Limited {
        @RepeatedTest(50)
        @AllocationLimit(bytes = 1L << 30)
        void parse() {
            work();
        }
    }

    /** Spins for a fixed time, so that run concurrently four take the time of one where there are cores. */
    static void spin() {
        long end = System.nanoTime() + Long.getLong("bench.spin.millis", 300L) * 1_000_000;
        long x = 3;
        while (System.nanoTime() < end) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            x ^= x >>> 29; // JDK 25's C2 folds a bare x * a + b loop (see dev.jprof.testing.CpuWork)
        }
        if (x == 42) {
            System.out.print("");
        }
    }

    static class Spinning {
        @Test
        void a() {
            spin();
        }

        @Test
        void b() {
            spin();
        }

        @Test
        void c() {
            spin();
        }

        @Test
        void d() {
            spin();
        }
    }

    static class SpinningProfiled {
        @Test
        @ProfileCpu
        void a() {
            spin();
        }

        @Test
        @ProfileCpu
        void b() {
            spin();
        }

        @Test
        @ProfileCpu
        void c() {
            spin();
        }

        @Test
        @ProfileCpu
        void d() {
            spin();
        }
    }
}
