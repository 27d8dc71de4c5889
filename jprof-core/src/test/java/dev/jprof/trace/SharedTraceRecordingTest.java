package dev.jprof.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traces share one Flight Recorder recording, cut into segments while it runs and read once: a trace
 * that spans cuts has each of its events once, whatever happened during the cuts, and its raw
 * recording is one readable file.
 */
class SharedTraceRecordingTest {

    private static final TraceOptions SLEEPS = TraceOptions.of(SliceKind.SLEEPING);

    @TempDir
    Path dir;

    @Test
    void aTraceThatSpansCutsHasEachEventOnceAndNoneLost() throws Exception {
        AtomicInteger sleeps = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        List<Timeline> inner = new ArrayList<>();
        TraceSession outer = Tracer.start(SLEEPS);
        // started and joined inside the trace, so every sleep it counts is the trace's: it sleeps while the
        // recording is cut, when the segment before and the one after both record
        Thread sleeper = new Thread(
                () -> {
                    while (!stop.get()) {
                        try {
                            Thread.sleep(1);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        sleeps.incrementAndGet();
                    }
                },
                "sleeper");
        sleeper.start();
        for (int i = 0; i < 10; i++) {
            Thread.sleep(3);
            TraceSession t = Tracer.start(SLEEPS);
            Thread.sleep(2);
            inner.add(t.stop()); // waits for its timeline: the recording is cut while the outer trace runs
        }
        stop.set(true);
        sleeper.join();
        Path jfr = dir.resolve("outer.jfr");
        Timeline all = outer.stopAsync(jfr).join();

        String me = Thread.currentThread().getName();
        assertThat(all.slices(all.requireThread(me), SliceKind.SLEEPING))
                .as("this thread slept 20 times during the outer trace")
                .hasSize(20);
        assertThat(all.slices(all.requireThread("sleeper"), SliceKind.SLEEPING))
                .as("each sleep of the sleeper once, those during the cuts too")
                .hasSize(sleeps.get());
        assertThat(inner)
                .allSatisfy(t -> assertThat(t.slices(t.requireThread(me), SliceKind.SLEEPING))
                        .as("an inner trace's own sleep")
                        .hasSize(1));

        // the raw recording: the segments the trace spans, one after another, with the trace's own span
        List<RecordedEvent> events = RecordingFile.readAllEvents(jfr);
        assertThat(events)
                .filteredOn(e -> e.getEventType().getName().equals("dev.jprof.Trace"))
                .hasSizeGreaterThanOrEqualTo(11);
    }
}
