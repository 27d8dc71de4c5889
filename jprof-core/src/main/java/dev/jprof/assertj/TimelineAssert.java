package dev.jprof.assertj;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.assertj.error.ShouldNotBlockLongerThan;
import dev.jprof.assertj.error.ShouldNotContendOnMonitor;
import dev.jprof.trace.RegionSlice;
import dev.jprof.trace.Slice;
import dev.jprof.trace.SliceKind;
import dev.jprof.trace.Timeline;
import dev.jprof.trace.TraceThread;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.AbstractDurationAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.error.BasicErrorMessageFactory;

/** Assertions on a {@link Timeline}; start with {@link JprofAssertions#assertThat(Timeline)}. */
@API(status = EXPERIMENTAL, since = "0.1")
public final class TimelineAssert extends AbstractAssert<TimelineAssert, Timeline> {

    TimelineAssert(Timeline actual) {
        super(actual, TimelineAssert.class);
    }

    /**
     * Verifies that no thread waited to enter a monitor of {@code monitorClass}.
     *
     * <pre>{@code
     * assertThat(timeline).hasNoMonitorContentionOn(Cache.class); // passes when no thread blocked on a Cache
     * // fails, listing each contended enter: its thread, duration and stack
     * }</pre>
     */
    public TimelineAssert hasNoMonitorContentionOn(Class<?> monitorClass) {
        return hasNoMonitorContentionOn(monitorClass.getName());
    }

    /** As {@link #hasNoMonitorContentionOn(Class)}, with the class name in Java form ({@code com.acme.Cache$Entry}). */
    public TimelineAssert hasNoMonitorContentionOn(String className) {
        isNotNull();
        List<Slice> contended = actual.monitorContention(className);
        if (!contended.isEmpty()) {
            throwAssertionError(ShouldNotContendOnMonitor.shouldNotContendOnMonitor(className, contended));
        }
        return this;
    }

    /**
     * Verifies that no thread blocked (monitor enter, {@code Object.wait}, park) for longer than {@code max}
     * at a time.
     *
     * <pre>{@code
     * assertThat(timeline).hasNoBlockLongerThan(Duration.ofMillis(50)); // passes when every wait was shorter
     * // fails naming the longest block, its thread and its stack
     * }</pre>
     */
    public TimelineAssert hasNoBlockLongerThan(Duration max) {
        isNotNull();
        Optional<Slice> longest = actual.longest();
        if (longest.isPresent() && longest.get().durationNanos() > max.toNanos()) {
            throwAssertionError(ShouldNotBlockLongerThan.shouldNotBlockLongerThan(max, longest.get(), null));
        }
        return this;
    }

    /** The total time of the JVM's GC pauses, for example {@code gcPauseTime().isLessThan(ofMillis(10))}. */
    public AbstractDurationAssert<?> gcPauseTime() {
        isNotNull();
        return Assertions.assertThat(actual.gcPauseTime()).as("GC pause time of %s", actual);
    }

    /**
     * Assertions on the thread named {@code name}; fails listing the threads seen when there is none.
     */
    public TraceThreadAssert thread(String name) {
        isNotNull();
        Optional<TraceThread> t = actual.thread(name);
        if (t.isEmpty()) {
            throwAssertionError(new BasicErrorMessageFactory(
                    "%nExpecting a thread named %s in the trace but saw only %s",
                    name, actual.threads().stream().map(TraceThread::name).toList()));
        }
        return new TraceThreadAssert(actual, t.get());
    }

    /**
     * Assertions on the regions named {@code name} (marked with {@code dev.jprof.api.Jprof.region});
     * fails listing the regions seen when there is none.
     *
     * <pre>{@code
     * assertThat(timeline).region("parse").totalTime().isLessThan(ofMillis(20)); // passes when parsing took < 20 ms in all
     * // fails with "[total time of region parse (3 regions)] Expecting actual: 31.2ms to be less than: 20ms"
     * }</pre>
     */
    public RegionAssert region(String name) {
        isNotNull();
        List<RegionSlice> regions = actual.regions(name);
        if (regions.isEmpty()) {
            throwAssertionError(new BasicErrorMessageFactory(
                    "%nExpecting a region named %s in the trace but saw only %s",
                    name,
                    actual.regions().stream().map(RegionSlice::name).distinct().toList()));
        }
        return new RegionAssert(actual, name, regions);
    }

    /** Assertions on the thread that started the trace (the test's thread). */
    public TraceThreadAssert testThread() {
        isNotNull();
        return new TraceThreadAssert(actual, actual.threads().get(0));
    }

    /** Assertions on the regions of one name in a timeline, on all threads. */
    public static final class RegionAssert extends AbstractAssert<RegionAssert, List<RegionSlice>> {

        private final Timeline timeline;
        private final String name;

        RegionAssert(Timeline timeline, String name, List<RegionSlice> regions) {
            super(regions, RegionAssert.class);
            this.timeline = timeline;
            this.name = name;
        }

        /**
         * The total time of the regions, a region nested in one of the same name counted once
         * ({@link Timeline#regionTime(String)}): {@code totalTime().isLessThan(ofMillis(20))}.
         */
        public AbstractDurationAssert<?> totalTime() {
            return Assertions.assertThat(timeline.regionTime(name))
                    .as("total time of region %s (%d regions)", name, actual.size());
        }

        /** The longest region of this name: {@code longest().isLessThan(ofMillis(5))}. */
        public AbstractDurationAssert<?> longest() {
            RegionSlice longest = actual.stream()
                    .max(java.util.Comparator.comparingLong(RegionSlice::durationNanos))
                    .orElseThrow();
            return Assertions.assertThat(longest.duration()).as("longest %s", longest.describe());
        }

        /** How many regions of this name ran: {@code count().isEqualTo(3)}. */
        public org.assertj.core.api.AbstractIntegerAssert<?> count() {
            return Assertions.assertThat(actual.size()).as("number of regions %s", name);
        }
    }

    /** Assertions on one thread of a timeline. */
    public static final class TraceThreadAssert extends AbstractAssert<TraceThreadAssert, TraceThread> {

        private final Timeline timeline;

        TraceThreadAssert(Timeline timeline, TraceThread thread) {
            super(thread, TraceThreadAssert.class);
            this.timeline = timeline;
        }

        /** Time blocked entering contended monitors. */
        public AbstractDurationAssert<?> blockedTime() {
            return time(SliceKind.BLOCKED);
        }

        /** Time parked: locks, conditions, latches, queues, futures. */
        public AbstractDurationAssert<?> parkedTime() {
            return time(SliceKind.PARKED);
        }

        /** Time in {@code Object.wait}. */
        public AbstractDurationAssert<?> waitingTime() {
            return time(SliceKind.WAITING);
        }

        /** Time in {@code Thread.sleep}. */
        public AbstractDurationAssert<?> sleepingTime() {
            return time(SliceKind.SLEEPING);
        }

        /** Time in socket and file I/O. */
        public AbstractDurationAssert<?> ioTime() {
            return time(SliceKind.SOCKET_READ, SliceKind.SOCKET_WRITE, SliceKind.FILE_READ, SliceKind.FILE_WRITE);
        }

        /** Time in slices of {@code kinds}. */
        public AbstractDurationAssert<?> time(SliceKind... kinds) {
            return Assertions.assertThat(timeline.time(actual, kinds))
                    .as("time of %s %s", actual, kinds.length == 1 ? kinds[0].label() : List.of(kinds));
        }

        /** As {@link TimelineAssert#hasNoBlockLongerThan(Duration)}, for this thread only. */
        public TraceThreadAssert hasNoBlockLongerThan(Duration max) {
            Optional<Slice> longest = timeline.slices(actual).stream()
                    .filter(s -> s.kind().isBlocking())
                    .max(java.util.Comparator.comparingLong(Slice::durationNanos));
            if (longest.isPresent() && longest.get().durationNanos() > max.toNanos()) {
                throwAssertionError(ShouldNotBlockLongerThan.shouldNotBlockLongerThan(max, longest.get(), actual));
            }
            return this;
        }
    }
}
