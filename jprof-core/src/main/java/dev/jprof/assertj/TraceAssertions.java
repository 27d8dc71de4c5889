package dev.jprof.assertj;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.trace.Timeline;
import org.apiguardian.api.API;

/** Entry point of the assertions on traces: {@code import static dev.jprof.assertj.TraceAssertions.assertThat;} */
@API(status = EXPERIMENTAL, since = "0.1")
public final class TraceAssertions {

    private TraceAssertions() {}

    /**
     * Assertions on what the threads of {@code timeline} did:
     * {@code assertThat(timeline).hasNoMonitorContentionOn(Cache.class).thread("worker").parkedTime().isLessThan(ofMillis(5))}.
     */
    public static TimelineAssert assertThat(Timeline timeline) {
        return new TimelineAssert(timeline);
    }
}
