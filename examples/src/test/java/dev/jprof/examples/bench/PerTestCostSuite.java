package dev.jprof.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.examples.AccessLogParser;
import dev.jprof.examples.SampleTraffic;
import dev.jprof.junit.AllocationLimit;
import dev.jprof.junit.ProfileCpu;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;

/**
 * The suites {@link PerTestCost} compares: 100 tests of the same fixed work (parsing log lines,
 * about 20 ms), plain, with {@code @ProfileCpu}, and with {@code @AllocationLimit(bytes = …)}. Not run by Surefire (no Test suffix).
 */
final class PerTestCostSuite {

    static final List<String> LINES = SampleTraffic.lines(Integer.getInteger("bench.lines", 70_000));

    private PerTestCostSuite() {}

    static void work() {
        assertThat(new AccessLogParser().parseAll(LINES).rejected()).isZero();
    }

    static class Plain {
        @RepeatedTest(100)
        void parse() {
            work();
        }
    }

    /** Bytes only, with a limit the work stays far below: what {@code @AllocationLimit} costs a passing test. */
    static class Limited {
        @RepeatedTest(100)
        @AllocationLimit(bytes = 1L << 40)
        void parse() {
            work();
        }
    }

    static class Profiled {
        @RepeatedTest(100)
        @ProfileCpu
        void parse() {
            work();
        }
    }
}
