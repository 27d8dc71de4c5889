package dev.jprof.examples.leaks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.examples.TrafficReport;
import dev.jprof.junit.NoThreadLeaks;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A deliberate thread leak: {@code leavesTheRefresherRunning} starts a scheduler that refreshes a
 * report in the background and never stops it, so {@code @NoThreadLeaks} fails it, naming the
 * {@code report-refresher} thread and where it was started; {@code stopsTheRefresher} does the same
 * and shuts the scheduler down, and passes. Run in a build of its own by {@code LeakIT} (through
 * {@code RunBuild}), not by Surefire (no Test suffix).
 */
@NoThreadLeaks(grace = "200ms")
class LeakyReporting {

    private final TrafficReport report = new TrafficReport();

    static ScheduledExecutorService refresher() {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "report-refresher");
            t.setDaemon(true);
            return t;
        });
    }

    @Test
    void leavesTheRefresherRunning() {
        ScheduledExecutorService refresher = refresher();
        refresher.scheduleAtFixedRate(report::routes, 0, 10, TimeUnit.MILLISECONDS);
        assertThat(report.routes()).isZero();
    }

    @Test
    void stopsTheRefresher() throws InterruptedException {
        ScheduledExecutorService refresher = refresher();
        refresher.scheduleAtFixedRate(report::routes, 0, 10, TimeUnit.MILLISECONDS);
        assertThat(report.routes()).isZero();
        refresher.shutdownNow();
        assertThat(refresher.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
}
