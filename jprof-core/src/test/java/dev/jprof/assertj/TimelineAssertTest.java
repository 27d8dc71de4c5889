package dev.jprof.assertj;

import static dev.jprof.assertj.JprofAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jprof.profile.Frame;
import dev.jprof.trace.Slice;
import dev.jprof.trace.SliceKind;
import dev.jprof.trace.Timeline;
import dev.jprof.trace.TraceThread;
import dev.jprof.trace.TraceWorkloads;
import dev.jprof.trace.Tracer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TimelineAssertTest {

    static final TraceThread MAIN = new TraceThread(1, "main", true);
    static final TraceThread WORKER = new TraceThread(23, "worker-1", true);
    static final List<Frame> STACK = List.of(
            new Frame("com.acme.Cache.get", "com/acme/Cache.java", 42),
            new Frame("com.acme.Service.handle", "com/acme/Service.java", 7));

    static final Timeline TIMELINE = new Timeline(
            0,
            1_000_000_000L,
            Duration.ofMillis(10),
            List.of(MAIN, WORKER),
            List.of(
                    new Slice(SliceKind.BLOCKED, WORKER, 10_000_000, 201_300_000, "com.acme.Cache", STACK),
                    new Slice(SliceKind.BLOCKED, MAIN, 300_000_000, 5_000_000, "com.acme.Cache", STACK),
                    new Slice(
                            SliceKind.PARKED,
                            MAIN,
                            400_000_000,
                            30_000_000,
                            "java.util.concurrent.CountDownLatch$Sync",
                            List.of()),
                    new Slice(SliceKind.SOCKET_READ, WORKER, 500_000_000, 12_000_000, "localhost:80", List.of()),
                    new Slice(SliceKind.GC_PAUSE, null, 600_000_000, 3_000_000, "Pause Young", List.of())));

    @Test
    void passingAssertions() {
        assertThat(TIMELINE).hasNoMonitorContentionOn(String.class).hasNoBlockLongerThan(Duration.ofMillis(250));
        assertThat(TIMELINE).thread("worker-1").blockedTime().isEqualTo(Duration.ofNanos(201_300_000));
        assertThat(TIMELINE).thread("worker-1").ioTime().isEqualTo(Duration.ofMillis(12));
        assertThat(TIMELINE).testThread().parkedTime().isEqualTo(Duration.ofMillis(30));
        assertThat(TIMELINE).testThread().hasNoBlockLongerThan(Duration.ofMillis(30));
        assertThat(TIMELINE).gcPauseTime().isEqualTo(Duration.ofMillis(3));
    }

    @Test
    void contentionOnAMonitorFailsListingEachWaitLongestFirst() {
        assertThatThrownBy(() -> assertThat(TIMELINE).hasNoMonitorContentionOn("com.acme.Cache"))
                .isInstanceOf(AssertionError.class)
                .hasMessage(String.join(
                        "\n",
                        "",
                        "Expecting no thread to wait for a monitor of \"com.acme.Cache\" but 2 waits took 206.3 ms in all:",
                        "  blocked 201.3 ms on com.acme.Cache in \"worker-1\" #23 at 10.0 ms",
                        "      at com.acme.Cache.get(com/acme/Cache.java:42)",
                        "      at com.acme.Service.handle(com/acme/Service.java:7)",
                        "  blocked 5.0 ms on com.acme.Cache in \"main\" #1 at 300.0 ms",
                        "      at com.acme.Cache.get(com/acme/Cache.java:42)",
                        "      at com.acme.Service.handle(com/acme/Service.java:7)"));
    }

    @Test
    void theMessageIsTheOneShouldNotContendOnMonitorDocuments() throws IOException {
        String source =
                Files.readString(Path.of("src/main/java/dev/jprof/assertj/error/ShouldNotContendOnMonitor.java"));
        String pre =
                source.substring(source.indexOf(" * <pre>\n") + " * <pre>\n".length(), source.indexOf(" * </pre>"));
        String documented = pre.lines().map(l -> l.substring(" * ".length())).collect(Collectors.joining("\n"));

        assertThatThrownBy(() -> assertThat(TIMELINE).hasNoMonitorContentionOn("com.acme.Cache"))
                .hasMessage("\n" + documented);
    }

    @Test
    void aLongBlockFailsNamingItsThreadAndStack() {
        assertThatThrownBy(() -> assertThat(TIMELINE).hasNoBlockLongerThan(Duration.ofMillis(50)))
                .hasMessage(String.join(
                        "\n",
                        "",
                        "Expecting no thread to block longer than 50.0 ms at a time but the longest block was:",
                        "  blocked 201.3 ms on com.acme.Cache in \"worker-1\" #23 at 10.0 ms",
                        "      at com.acme.Cache.get(com/acme/Cache.java:42)",
                        "      at com.acme.Service.handle(com/acme/Service.java:7)"));
        assertThatThrownBy(() -> assertThat(TIMELINE).thread("main").hasNoBlockLongerThan(Duration.ofMillis(10)))
                .hasMessageContaining("Expecting \"main\" #1 to block longer than")
                .hasMessageContaining("parked 30.0 ms");
        assertThatThrownBy(() -> assertThat(TIMELINE).thread("nope"))
                .hasMessage("%nExpecting a thread named \"nope\" in the trace but saw only [\"main\", \"worker-1\"]"
                        .formatted());
    }

    @Test
    void onARealTrace() throws Throwable {
        Timeline t = Tracer.trace(() -> TraceWorkloads.contend(100));
        assertThat(t).thread("waiter").blockedTime().isGreaterThan(Duration.ofMillis(50));
        assertThat(t).thread("holder").sleepingTime().isGreaterThanOrEqualTo(Duration.ofMillis(95));
        assertThatThrownBy(() -> assertThat(t).hasNoMonitorContentionOn(TraceWorkloads.Account.class))
                .hasMessageContaining("in \"waiter\"")
                .hasMessageContaining("TraceWorkloads.enterAccount");
    }
}
