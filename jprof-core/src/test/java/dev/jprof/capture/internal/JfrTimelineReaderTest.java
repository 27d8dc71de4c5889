package dev.jprof.capture.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.profile.Frame;
import dev.jprof.trace.SliceKind;
import dev.jprof.trace.Timeline;
import dev.jprof.trace.TraceOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
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

    /**
     * Regression: a running slice showed its first sample's stack, and a thread's first sample can
     * catch it in {@code Thread.run} before it called its work (CI, JDK 17: a 30-sample run of a
     * spinning thread showed only {@code Thread.run}). A slice shows its samples' heaviest path.
     */
    @Test
    void aRunningSliceShowsTheHeaviestPathOfItsSamplesNotItsFirstSample() {
        Frame run = new Frame("java.lang.Thread.run", "java/lang/Thread.java", 839);
        Frame body = new Frame("Worker.lambda$main$0", "Worker.java", 10);
        Frame spin39 = new Frame("Workloads.spinCpuTime", "Workloads.java", 39);
        Frame spin41 = new Frame("Workloads.spinCpuTime", "Workloads.java", 41);
        Frame spin42 = new Frame("Workloads.spinCpuTime", "Workloads.java", 42);
        Frame parse = new Frame("Worker.parse", "Worker.java", 20);
        Frame nanoTime = new Frame("java.lang.System.nanoTime", "", 0);
        // Leaf first. The first sample and the commonest whole stack (a tie of two, the first seen) are
        // Thread.run alone; the commonest frame below the body is Worker.parse:20 (twice), while the loop's
        // three samples, each at another line or callee, make spinCpuTime the function most samples went through.
        List<List<Frame>> samples = List.of(
                List.of(run),
                List.of(spin39, body, run),
                List.of(run),
                List.of(parse, body, run),
                List.of(nanoTime, spin41, body, run),
                List.of(parse, body, run),
                List.of(spin42, body, run));

        assertThat(JfrTimelineReader.heaviestPath(samples)).containsExactly(spin39, body, run);
        assertThat(JfrTimelineReader.heaviestPath(
                        List.of(List.of(spin39, body, run), List.of(spin41, body, run), List.of(spin41, body, run))))
                .as("a function's lines are merged, and its commonest line is shown")
                .containsExactly(spin41, body, run);
        assertThat(JfrTimelineReader.heaviestPath(List.of(List.of(run), List.of(body, run))))
                .as("a tie between ending at Thread.run and going on: goes on")
                .containsExactly(body, run);
        assertThat(JfrTimelineReader.heaviestPath(List.of(List.of(run), List.of(run), List.of(body, run))))
                .as("more samples end here than go on")
                .containsExactly(run);
        assertThat(JfrTimelineReader.heaviestPath(List.of(List.of(parse, body, run), List.of(spin39, body, run))))
                .as("a tie between two functions: the first seen")
                .containsExactly(parse, body, run);
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
