package dev.jprof.capture.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.trace.SliceKind;
import dev.jprof.trace.Timeline;
import dev.jprof.trace.TraceOptions;
import java.nio.file.Path;
import java.time.Instant;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JfrTimelineReaderTest {

    @TempDir
    Path dir;

    /**
     * Regression: traces of one thread that nest were told apart by which span began nearest the start
     * the recorder measured. A thread preempted between the trace's event starting and that measurement
     * (4 ms under load) made a trace opened inside it the nearest, and the trace showed only that one's span.
     */
    @Test
    @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+
    void aTraceIsItsOwnSpanWhicheverOtherSpanOfItsThreadBeginsNearer() throws Exception {
        long me = Thread.currentThread().getId();
        Path file = dir.resolve("nested.jfr");
        try (Recording r = new Recording()) {
            r.enable(TraceWindowEvent.class);
            r.enable("jdk.ThreadSleep").withThreshold(java.time.Duration.ZERO);
            r.start();
            TraceWindowEvent outer = window(me, 1);
            outer.begin();
            Thread.sleep(5);
            TraceWindowEvent inner = window(me, 2);
            inner.begin();
            Thread.sleep(5);
            inner.end();
            inner.commit();
            Thread.sleep(5);
            outer.end();
            outer.commit();
            r.stop();
            r.dump(file);
        }
        long innerStart = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals(TraceWindowEvent.NAME) && e.getLong("traceId") == 2)
                .map(RecordedEvent::getStartTime)
                .mapToLong(JfrTimelineReaderTest::nanos)
                .findFirst()
                .orElseThrow();
        String name = Thread.currentThread().getName();

        // the recorder's start of the outer trace, measured late: the inner trace's span begins nearest it
        Timeline outerTimeline = new JfrTimelineReader(TraceOptions.of(SliceKind.SLEEPING), me, name, 1)
                .read(file, innerStart, innerStart + 1);
        assertThat(outerTimeline.slices(outerTimeline.requireThread(name), SliceKind.SLEEPING))
                .as("the three sleeps of the outer trace")
                .hasSize(3);

        Timeline innerTimeline = new JfrTimelineReader(TraceOptions.of(SliceKind.SLEEPING), me, name, 2)
                .read(file, innerStart - 5_000_000, innerStart);
        assertThat(innerTimeline.slices(innerTimeline.requireThread(name), SliceKind.SLEEPING))
                .as("the inner trace's one sleep")
                .hasSize(1);
    }

    private static TraceWindowEvent window(long owner, long id) {
        TraceWindowEvent e = new TraceWindowEvent();
        e.label = "trace " + id;
        e.ownerThreadId = owner;
        e.traceId = id;
        return e;
    }

    private static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
