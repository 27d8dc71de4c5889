package dev.jprof.examples;

import static dev.jprof.assertj.JprofAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.capture.Profiler;
import dev.jprof.junit.ProfileCpu;
import dev.jprof.junit.Trace;
import dev.jprof.profile.Profile;
import dev.jprof.trace.Timeline;
import dev.jprof.trace.Tracer;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A pipeline whose main code marks regions: they show in trace.json and label the profiles' samples. */
class LogPipelineTest {

    private static final List<String> LINES = SampleTraffic.lines(120_000);

    private final ExecutorService workers = Executors.newFixedThreadPool(2, r -> new Thread(r, "parser"));
    private final LogPipeline pipeline = new LogPipeline(workers);

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    /**
     * target/jprof/dev.jprof.examples.LogPipelineTest/runsThePipeline()/trace.json: the parse regions on
     * the parser threads linked to aggregate and report on the test thread;
     * {@code go tool pprof -top -tagfocus=region=parse cpu.pb.gz} shows what parsing costs.
     */
    @Test
    @Trace
    @ProfileCpu
    void runsThePipeline() throws Exception {
        TrafficReport report = pipeline.run(LINES, 4);
        assertThat(report.routes()).isPositive();
    }

    @Test
    void regionsAreInTheTimeline() throws Throwable {
        Timeline timeline = Tracer.trace(() -> pipeline.run(LINES, 4));
        assertThat(timeline).region("parse").count().isEqualTo(4);
        assertThat(timeline).region("aggregate").count().isEqualTo(1);
        assertThat(timeline.regions("parse"))
                .allSatisfy(r -> assertThat(r.thread().name()).isEqualTo("parser"));
    }

    @Test
    void theParseRegionHoldsTheParsing() throws Exception {
        Profile cpu = Profiler.cpu(() -> pipeline.run(LINES, 4));
        // about a third of the whole profile is the regular expression matching inside the parse regions,
        // and none of it outside them
        assertThat(cpu).inRegion("parse").hasCumShareAbove("java\\.util\\.regex", 15);
        assertThat(cpu).inRegion("aggregate").hasCumShareBelow("java\\.util\\.regex", 5);
    }
}
