package dev.jprof.examples.bench;

import dev.jprof.junit.Trace;
import java.util.concurrent.SynchronousQueue;
import org.junit.jupiter.api.RepeatedTest;

/**
 * The suites {@link TraceCost} compares: 100 tests of CPU-bound work (the same log parsing as
 * {@link PerTestCostSuite}) and 100 tests of a blocking hand-off between two threads (2,000 items
 * through a {@link SynchronousQueue}: about 4,000 parks per test, each a JFR event), each with and
 * without {@code @Trace}. Not run by Surefire (no Test suffix).
 */
final class TraceCostSuite {

    static final int HANDOFFS = Integer.getInteger("bench.handoffs", 2_000);

    private TraceCostSuite() {}

    static void handoff() throws InterruptedException {
        SynchronousQueue<Integer> queue = new SynchronousQueue<>();
        Thread consumer = new Thread(
                () -> {
                    try {
                        for (int i = 0; i < HANDOFFS; i++) {
                            queue.take();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "consumer");
        consumer.start();
        for (int i = 0; i < HANDOFFS; i++) {
            queue.put(i);
        }
        consumer.join();
    }

    static class Traced {
        @RepeatedTest(100)
        @Trace
        void parse() {
            PerTestCostSuite.work();
        }
    }

    static class PlainHandoff {
        @RepeatedTest(100)
        void handoff() throws InterruptedException {
            TraceCostSuite.handoff();
        }
    }

    static class TracedHandoff {
        @RepeatedTest(100)
        @Trace
        void handoff() throws InterruptedException {
            TraceCostSuite.handoff();
        }
    }
}
