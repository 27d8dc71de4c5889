package dev.jprof.capture.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.jprof.capture.CaptureException;
import dev.jprof.capture.CaptureResult;
import dev.jprof.capture.Engine;
import dev.jprof.capture.ProfileOptions;
import dev.jprof.capture.internal.Channel.Segment;
import dev.jprof.capture.internal.JfrConverter.Cut;
import dev.jprof.profile.ProfileKind;
import dev.jprof.trace.SliceKind;
import dev.jprof.trace.Timeline;
import dev.jprof.trace.TraceOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import org.apiguardian.api.API;

/**
 * The JVM's one recording, cut into windows. The first window that needs capture starts it; it keeps
 * running, and each window (a test, a {@code Profiler} session, a trace) takes the samples of its time
 * span and its threads. The kinds recorded are the union of what windows ask for: a window that needs
 * a kind (or an interval) not being recorded restarts the recording, which windows open at that moment
 * see as a gap of a few milliseconds ({@link Result#gapNanos()}).
 *
 * <p>Recordings are read on jprof's worker thread ({@value Background#THREAD_NAME}), a fraction of a
 * second after windows close, or at once when a caller {@linkplain Window#join() waits} for its
 * window. Profile kinds come from async-profiler (or the JDK's Flight Recorder where it cannot load),
 * trace events from a Flight Recorder recording of their own, which runs while traced windows do and
 * is cut with the profiling recording: each segment is read once, its events going to every trace
 * they fall in (a recording per trace cost each traced test its start and stop on the test's thread,
 * and its write-out and the parse of its metadata on the worker: {@code TraceCost} in the examples).
 */
@API(status = INTERNAL, since = "0.1")
public final class Recorder {

    /** Which threads a window holds. */
    public enum Scope {
        /** Every thread but the JVM's own (sequential test execution, {@code Profiler} sessions). */
        APPLICATION,
        /** The thread that opened the window and threads created during it (parallel test execution). */
        OWN,
        /** Every thread, the JVM's too ({@code jprof.threads=all}). */
        ALL
    }

    /**
     * What a window gives.
     *
     * @param capture the profiles (none, with the window's duration, when the window asked for no kind and no
     *     trace), or {@code null} when the window asked for a trace only
     * @param timeline the trace, or {@code null} when the window asked for none
     * @param traceRecording the JFR recording the trace was read from (the caller writes or discards it), or {@code null}
     * @param jvm per profile kind, the total taken by the JVM's own threads during the window, left out of its profile
     * @param gapNanos how long the recording was restarted during the window, with nothing recorded
     */
    public record Result(
            CaptureResult capture,
            Timeline timeline,
            TraceRecording traceRecording,
            Map<ProfileKind, Long> jvm,
            long gapNanos) {}

    private static final Recorder INSTANCE = new Recorder(Engines.get());
    /** How long after a window closes its recording is read, so that one read serves several short windows. */
    private static final long READ_DELAY_MILLIS = 500;

    private static final long READ_DELAY_NANOS = READ_DELAY_MILLIS * 1_000_000;
    /**
     * How long a closed window waits for its read while another window stays open: then the recording is
     * cut inside the open window (a gap of about a millisecond there), so that a long test does not hold
     * the earlier tests' profiles, which a killed test JVM would lose.
     */
    private static final long LATE_READ_MILLIS = 2_000;

    private static final long LATE_READ_NANOS = LATE_READ_MILLIS * 1_000_000;
    /** How long the recording runs on with no window and no suite, before it stops. */
    private static final long IDLE_STOP_MILLIS = 2_000;

    private static final long IDLE_STOP_NANOS = IDLE_STOP_MILLIS * 1_000_000;
    /**
     * How far around a trace's span its events are taken: the span is measured on {@link Clock}, the events
     * on Flight Recorder's clock (within a few microseconds of it, measured on JDK 17 and 25); the trace's own
     * {@link TraceWindowEvent} then clips them exactly. Each event taken costs the trace that takes it.
     */
    private static final long TRACE_MARGIN_NANOS = 2_000_000;
    /**
     * How far around a cut of the trace recording an event may be in the segment before or after it: both
     * recordings run for a moment (the one before stops some milliseconds after the one after started, and
     * Flight Recorder writes the events of that time into both). Events this near a cut are read from both
     * segments, and the second copy dropped.
     */
    private static final long CUT_SLACK_NANOS = 20_000_000;
    /**
     * How far apart the two copies of one event may be in time: each recording converts Flight Recorder's
     * ticks with its own calibration, a constant offset of up to a microsecond (measured on JDK 17 and 25).
     */
    private static final long COPY_SKEW_NANOS = 20_000;

    private final Engines engines;
    private final ScheduledThreadPoolExecutor worker = Background.scheduler();
    private final ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();

    // guarded by this
    private Channel profile;
    /** async-profiler's CPU engine per channel, as its recording's settings name it. */
    private final java.util.IdentityHashMap<Channel, String> cpuEngines = new java.util.IdentityHashMap<>();

    private final List<Window> windows = new ArrayList<>();
    private final List<Segment> profileSegments = new ArrayList<>();
    private final List<Suite> suites = new ArrayList<>();
    /** The trace events' recording, or {@code null}, and what it records. */
    private JdkChannel traceChannel;

    private TraceOptions traced;
    /** Segments of the trace recording, written out and read by the worker. */
    private final List<JdkChannel.Stopped> traceSegments = new ArrayList<>();
    /** Every trace event that ended before this epoch time has been read. */
    private long traceHorizon = Long.MIN_VALUE;
    /** When a traced window last closed ({@link System#nanoTime()}). */
    private long lastTraced;
    /** The events of the last trace segment read that ended near its end; read on the worker only. */
    private Map<List<Object>, List<Long>> traceTail = Map.of();
    /** When a window that recorded each kind last closed ({@link System#nanoTime()}). */
    private final Map<ProfileKind, Long> lastNeeded = new java.util.EnumMap<>(ProfileKind.class);

    private long horizon = Long.MIN_VALUE;
    /** The id of the last trace opened, in its {@link TraceWindowEvent}. */
    private long lastTraceId;
    /** When the profiling recording was last cut ({@link System#nanoTime()}). */
    private long lastCut;

    private ScheduledFuture<?> scheduled;

    Recorder(Engines engines) {
        this.engines = engines;
    }

    /** The JVM's recorder. */
    public static Recorder get() {
        return INSTANCE;
    }

    /**
     * Opens a window on the calling thread.
     *
     * @param options the profile kinds (may be none), their intervals and the functions stacks start at
     * @param trace the trace to record, or {@code null}
     * @param label the window's name: the test, in suite profiles' {@code test} label
     * @throws CaptureException when the recording cannot start
     */
    public Window open(ProfileOptions options, TraceOptions trace, Scope scope, String label) {
        Thread me = Thread.currentThread();
        synchronized (this) {
            ensure(options);
            if (trace != null) {
                // before the window's span begins, so that Flight Recorder's start (about half a second, the first
                // time in a JVM) is not the test's
                ensureTrace(trace);
            }
            Regions.get().install();
            long idFloor = scope == Scope.OWN ? lastThreadId() : 0;
            Window w = new Window(options, trace, scope, label, me, idFloor, cpuTime());
            windows.add(w);
            return w;
        }
    }

    /**
     * Starts collecting a profile of everything recorded from now on, each sample labelled with the
     * test whose window it fell in.
     */
    public synchronized Suite suite(ProfileOptions options) {
        ensure(options);
        Regions.get().install();
        Suite s = new Suite(
                new Cut(options.withRootFunctions(List.of()), profile.name(), -1, "", null, true), options.kinds());
        suites.add(s);
        return s;
    }

    /** The recording has what {@code options} asks for, restarting it when it has not. */
    private void ensure(ProfileOptions options) {
        Path where = dir();
        if (!options.kinds().isEmpty()) {
            ProfileOptions wanted = union(profile == null ? null : profile.options(), options);
            if (profile == null
                    || !wanted.equals(profile.options())
                    || (options.engine() == Engine.JFR && !profile.fromJdk())) {
                restartProfile(wanted, options.engine(), where);
            }
        }
    }

    /**
     * The trace recording has the events {@code trace} asks for, starting it or going on with more:
     * what every trace open at the time asked for, sampled at the shortest interval asked for.
     */
    private void ensureTrace(TraceOptions trace) {
        TraceOptions wanted = trace.withLabel("").withRootFunctions(List.of());
        if (traced != null) {
            Set<SliceKind> kinds = EnumSet.copyOf(traced.kinds());
            kinds.addAll(trace.kinds());
            wanted = wanted.withKinds(kinds);
            if (traced.samplingInterval().compareTo(trace.samplingInterval()) < 0) {
                wanted = wanted.withSamplingInterval(traced.samplingInterval());
            }
        }
        if (traceChannel != null && wanted.equals(traced)) {
            return;
        }
        TraceOptions settings = wanted;
        try {
            if (traceChannel == null) {
                traceChannel = JdkChannel.start(ProfileOptions.of(), r -> TraceEvents.enable(r, settings), dir());
            } else {
                traceSegments.add(traceChannel.detach(r -> TraceEvents.enable(r, settings)));
            }
        } catch (CaptureException e) {
            stopTrace();
            throw e;
        }
        traced = wanted;
    }

    /** Stops the trace recording, keeping its last segment; one that fails to stop fails the traces it served. */
    private void stopTrace() {
        JdkChannel old = traceChannel;
        traceChannel = null;
        traced = null;
        if (old != null) {
            try {
                traceSegments.add(old.detachLast());
            } catch (CaptureException e) {
                failTraces(e);
            }
        }
    }

    private void restartProfile(ProfileOptions wanted, Engine engine, Path where) {
        long gapStart = System.nanoTime();
        stopProfile();
        ProfileOptions base = wanted.withRootFunctions(List.of()).withEngine(engine);
        profile = engines.open(base, where);
        noteGap(gapStart);
        for (Suite s : suites) {
            s.cut.reconfigure(base, profile.name());
        }
    }

    /**
     * Stops recording what no suite and no window needs any more: kinds such as wall, lock or
     * allocation cost every thread something. Done when a window closes and no other is open, for kinds
     * that no window has needed for {@value #IDLE_STOP_MILLIS} ms, so that back-to-back tests with the
     * same kinds never restart the recording. When nothing is needed any more, the idle stop ends the
     * recording instead.
     */
    private void shrink(long now) {
        if (windows.stream().anyMatch(w -> !w.closed)) {
            return; // a restart now would leave a gap in an open window, and lose the waits it spans
        }
        if (traceChannel != null && now - lastTraced >= IDLE_STOP_NANOS) {
            stopTrace(); // every park and wait of every thread is an event while it runs
        }
        if (profile == null) {
            return;
        }
        Set<ProfileKind> needed = EnumSet.noneOf(ProfileKind.class);
        suites.forEach(x -> needed.addAll(x.asked)); // what it asked for: it takes whatever else is recorded too
        lastNeeded.forEach((kind, at) -> {
            if (now - at < IDLE_STOP_NANOS) {
                needed.add(kind);
            }
        });
        if (!needed.isEmpty() && !needed.containsAll(profile.options().kinds())) {
            Set<ProfileKind> kept = EnumSet.copyOf(profile.options().kinds());
            kept.retainAll(needed);
            if (!kept.isEmpty()) {
                restartProfile(
                        profile.options().withKinds(kept), profile.options().engine(), dir());
            }
        }
    }

    /** The kinds being recorded now, none when nothing is: what windows and suites asked for, less what {@link #shrink} dropped. */
    public synchronized Set<ProfileKind> recording() {
        return profile == null ? Set.of() : Set.copyOf(profile.options().kinds());
    }

    /** Stops the profiling channel, keeping its last segment; a channel that fails to stop fails the windows it served. */
    private void stopProfile() {
        Channel old = profile;
        profile = null;
        if (old != null) {
            try {
                profileSegments.add(old.stop());
            } catch (CaptureException e) {
                failWindows(e);
            }
        }
    }

    /** Fails every window that the profiling recording served: what they hold is incomplete. */
    private void failWindows(CaptureException e) {
        failWindows(e, w -> w.cut != null);
    }

    /** Fails every window that the trace recording served. */
    private void failTraces(CaptureException e) {
        failWindows(e, w -> w.trace != null);
    }

    private void failWindows(CaptureException e, java.util.function.Predicate<Window> served) {
        for (Window w : windows) {
            if (served.test(w)) {
                w.failure = e;
            }
        }
    }

    private void noteGap(long gapStart) {
        long gap = System.nanoTime() - gapStart;
        for (Window w : windows) {
            if (!w.closed) {
                w.gapNanos += gap;
            }
        }
    }

    /** The kinds of both, the intervals of {@code asked} for the kinds it asks for. */
    private static ProfileOptions union(ProfileOptions running, ProfileOptions asked) {
        if (running == null) {
            return asked.withRootFunctions(List.of()).withEngine(Engine.AUTO);
        }
        Set<ProfileKind> kinds = EnumSet.copyOf(running.kinds());
        kinds.addAll(asked.kinds());
        ProfileOptions o = running.withKinds(kinds);
        if (asked.kinds().contains(ProfileKind.CPU)) {
            o = o.withCpuInterval(asked.cpuInterval()).withCpuEvent(asked.cpuEvent());
        }
        if (asked.kinds().contains(ProfileKind.WALL)) {
            o = o.withWallInterval(asked.wallInterval());
        }
        if (asked.kinds().contains(ProfileKind.ALLOC)) {
            o = o.withAllocInterval(asked.allocInterval());
        }
        if (asked.kinds().contains(ProfileKind.LOCK)) {
            o = o.withLockThreshold(asked.lockThreshold());
        }
        return o.withEngine(Engine.AUTO);
    }

    private static Path dir() {
        try {
            return RecordingsDir.get();
        } catch (IOException | RuntimeException e) {
            throw new CaptureException(
                    "Cannot create the folder for recordings in [" + System.getProperty("java.io.tmpdir") + "]: " + e,
                    e);
        }
    }

    /** The highest Java thread id handed out so far (ids only grow). */
    @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+
    private static long lastThreadId() {
        return new Thread((Runnable) null, "jprof-id-probe").getId();
    }

    /** The CPU time of the calling thread (a window's owner opens and closes it), or -1 where unsupported. */
    private long cpuTime() {
        return threadBean.isCurrentThreadCpuTimeSupported() ? threadBean.getCurrentThreadCpuTime() : -1;
    }

    /** Closes {@code w} and schedules reading its part of the recording. */
    private synchronized void close(Window w, boolean now) {
        if (w.closed) {
            throw new IllegalStateException("This window was already closed");
        }
        w.closed = true;
        w.endTick = System.nanoTime();
        w.end = Clock.epochNanos();
        w.ownerCpuEnd = cpuTime();
        w.idCeil = w.scope == Scope.OWN ? lastThreadId() : Long.MAX_VALUE;
        if (w.trace != null) {
            w.traceEvent.end();
            w.traceEvent.commit();
            lastTraced = w.endTick;
        }
        restoreAllocationInterval();
        for (ProfileKind k : w.options.kinds()) {
            lastNeeded.put(k, w.endTick);
        }
        boolean othersOpen = windows.stream().anyMatch(o -> !o.closed && o.records());
        if (!othersOpen) {
            try {
                shrink(w.endTick);
            } catch (CaptureException e) {
                // the recording stopped and did not start again: what was recorded is kept for the closed
                // windows, and the next window that needs a recording starts it or fails, naming its test
            }
        }
        if (!w.records()) {
            // nothing recorded for it (a test that only counts its bytes): done at once, on the worker
            windows.remove(w);
            worker.execute(() -> complete(w));
            if (windows.isEmpty() && suites.isEmpty()) {
                schedule(IDLE_STOP_MILLIS);
            }
            return;
        }
        // async-profiler drops the samples that arrive while a dump holds its buffers (about 1 ms): the
        // recording is cut here, between tests, on the thread whose window just ended, once a read is due
        // and no other window is open; the worker only reads the segments
        boolean due = w.endTick - lastCut >= READ_DELAY_NANOS
                && windows.stream().anyMatch(o -> o.closed && unread(o) && w.endTick - o.endTick >= READ_DELAY_NANOS);
        if (!othersOpen && (now || due)) {
            cut();
            worker.execute(this::readQuietly);
        } else if (!now) {
            schedule(READ_DELAY_MILLIS);
        }
    }

    /** Whether part of what {@code w} records has not been read yet. */
    private boolean unread(Window w) {
        return (w.cut != null && w.end > horizon) || (w.trace != null && w.end > traceHorizon);
    }

    /** Cuts the recordings that run, for the worker to read what they have recorded so far. */
    private void cut() {
        lastCut = System.nanoTime();
        if (profile != null) {
            try {
                profileSegments.add(profile.cut());
            } catch (CaptureException e) {
                failWindows(e);
                stopProfile();
            }
        }
        if (traceChannel != null) {
            try {
                traceSegments.add(traceChannel.detach());
            } catch (CaptureException e) {
                failTraces(e);
                stopTrace();
            }
        }
    }

    /**
     * Recording every allocation (what finding allocation sites asks for) costs hundreds of times the
     * allocation: once no open window needs it, the recording goes back to sampling.
     */
    private void restoreAllocationInterval() {
        if (profile == null
                || profile.options().allocInterval() > 1
                || !profile.options().kinds().contains(ProfileKind.ALLOC)) {
            return;
        }
        boolean needed = windows.stream()
                .anyMatch(o -> !o.closed
                        && o.cut != null
                        && o.options.kinds().contains(ProfileKind.ALLOC)
                        && o.options.allocInterval() <= 1);
        if (!needed) {
            if (suites.isEmpty() && windows.stream().noneMatch(o -> !o.closed && o.cut != null)) {
                // nothing else records (an exact count between tests): stopping costs half a restart, and nothing
                // samples until the next window starts the recording it needs
                stopProfile();
                return;
            }
            restartProfile(
                    profile.options().withAllocInterval(ProfileOptions.of().allocInterval()),
                    profile.options().engine(),
                    dir());
        }
    }

    private synchronized void abandon(Window w) {
        if (windows.remove(w)) {
            w.traceParts.forEach(TraceRecording.Part::release);
            w.traceParts.clear();
            w.closed = true;
            w.result.completeExceptionally(new CaptureException("The window of [" + w.label + "] was abandoned"));
        }
        if (windows.isEmpty() && suites.isEmpty()) {
            schedule(IDLE_STOP_MILLIS);
        }
    }

    /**
     * Has the worker read in {@code delayMillis}, or sooner when a read is due sooner already. A read
     * due later (the idle stop, 2 s after the last window) is brought forward: windows that closed
     * since wait for the sooner read, not for the later one.
     */
    private void schedule(long delayMillis) {
        if (scheduled != null && !scheduled.isDone()) {
            if (scheduled.getDelay(TimeUnit.MILLISECONDS) <= delayMillis || !scheduled.cancel(false)) {
                return;
            }
        }
        scheduled = worker.schedule(this::readQuietly, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** How long an exiting JVM waits for the windows that closed before the exit to be read and written. */
    private static final long EXIT_FLUSH_MILLIS = 5_000;

    /**
     * At exit ({@code System.exit} in a test, the end of {@code main}), before the recordings are deleted: has the
     * recording cut and read, so that windows that closed before the exit get their profiles, and their tests their
     * artifacts and summaries, although a window was still open. Gives up after {@value #EXIT_FLUSH_MILLIS} ms, so
     * that a thread holding the recorder or a slow disk never holds up the exit for longer.
     */
    void flushAtExit() {
        Thread flush = new Thread(
                () -> {
                    try {
                        readNow();
                    } catch (RuntimeException e) {
                        // the JVM is exiting: what could not be read is lost, as it would have been without this
                    }
                },
                "jprof-exit-flush");
        flush.setDaemon(true);
        flush.start();
        try {
            flush.join(EXIT_FLUSH_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads what has been recorded, on the worker thread, and waits for it. */
    private void readNow() {
        CompletableFuture.runAsync(() -> read(true), worker).join();
    }

    /**
     * Reads every closed window's part of the recording now, on the worker thread, and waits for it;
     * for the end of a run, which waits for every window's artifacts: they are then written without
     * the delay that lets one read serve several windows.
     */
    public void flush() {
        boolean waiting;
        synchronized (this) {
            waiting = windows.stream().anyMatch(w -> w.closed);
        }
        if (waiting) {
            readNow();
        }
    }

    private void readQuietly() {
        try {
            read(false);
        } catch (RuntimeException e) {
            failAll(e);
        }
    }

    private synchronized void failAll(RuntimeException e) {
        for (Window w : new ArrayList<>(windows)) {
            if (w.closed) {
                windows.remove(w);
                w.result.completeExceptionally(e);
            }
        }
    }

    /**
     * Reads every finished segment, cuts it into the windows, and completes the windows it covers.
     * Runs on the worker thread only, so segments are read in order.
     */
    private void read(boolean urgent) {
        List<Segment> toRead;
        List<JdkChannel.Stopped> tracesToRead;
        List<Window> open;
        List<Suite> collecting;
        synchronized (this) {
            scheduled = null;
            boolean idle = windows.isEmpty() && suites.isEmpty();
            if (windows.stream().anyMatch(w -> !w.closed && w.exact)) {
                // async-profiler drops the events that arrive while a dump holds its buffers: a window
                // that counts every allocation must not lose one
                schedule(READ_DELAY_MILLIS);
                return;
            }
            boolean anyOpen = windows.stream().anyMatch(w -> !w.closed && w.records());
            boolean waiting = windows.stream().anyMatch(w -> w.closed && unread(w));
            long now = System.nanoTime();
            boolean late = windows.stream().anyMatch(w -> w.closed && unread(w) && now - w.endTick >= LATE_READ_NANOS);
            if (idle) {
                stopProfile();
                stopTrace();
                Regions.get().uninstall();
            } else if ((profile != null || traceChannel != null)
                    && (waiting || !suites.isEmpty())
                    && (!anyOpen || urgent || late)) {
                // while windows are open, the recording is cut only for a caller that waits for its window,
                // or for windows that have waited long: the open windows see the cut as a gap
                boolean gap = profile != null;
                cut();
                if (anyOpen && gap) {
                    noteGap(now);
                }
            }
            toRead = new ArrayList<>(profileSegments);
            profileSegments.clear();
            tracesToRead = new ArrayList<>(traceSegments);
            traceSegments.clear();
            open = new ArrayList<>(windows);
            collecting = new ArrayList<>(suites);
        }
        long readTo = horizon;
        for (Segment s : toRead) {
            try {
                route(s, open, collecting);
                readTo = Math.max(readTo, s.horizonNanos());
            } finally {
                AsyncProfilerChannel.delete(s.file());
            }
        }
        long tracedTo = traceHorizon;
        for (JdkChannel.Stopped stopped : tracesToRead) {
            tracedTo = Math.max(tracedTo, stopped.horizonNanos());
            Segment s;
            try {
                s = stopped.write();
            } catch (CaptureException e) {
                synchronized (this) {
                    failTraces(e);
                }
                continue;
            }
            routeTrace(s, open);
        }
        List<Window> done = new ArrayList<>();
        synchronized (this) {
            horizon = readTo;
            traceHorizon = tracedTo;
            for (Window w : windows) {
                if (w.closed && !unread(w)) {
                    done.add(w);
                }
            }
            windows.removeAll(done);
        }
        for (Window w : done) {
            complete(w);
        }
        synchronized (this) {
            // regions no window or suite can still read
            long keep = suites.isEmpty() ? Long.MAX_VALUE : horizon;
            for (Window w : windows) {
                keep = Math.min(keep, w.start);
            }
            Regions.get().prune(keep);
            if (windows.isEmpty()
                    && suites.isEmpty()
                    && (profile != null || traceChannel != null || Regions.get().installed())) {
                schedule(IDLE_STOP_MILLIS);
            } else if (!windows.isEmpty() && windows.stream().anyMatch(w -> w.closed)) {
                schedule(READ_DELAY_MILLIS);
            }
        }
    }

    /**
     * Reads a segment of the trace recording once, giving each event to every trace whose span it
     * falls in; each of them keeps the segment for its raw recording.
     */
    private void routeTrace(Segment s, List<Window> open) {
        TraceRecording.Part part = new TraceRecording.Part(s.file());
        try {
            long from = s.fromNanos();
            long to = s.toNanos();
            Window[] tracing = open.stream()
                    .filter(w -> w.trace != null
                            && w.start - TRACE_MARGIN_NANOS < to
                            && plus(w.end, TRACE_MARGIN_NANOS) >= from)
                    .toArray(Window[]::new);
            if (tracing.length == 0) {
                traceTail = Map.of();
                return;
            }
            long[] starts = new long[tracing.length];
            long[] ends = new long[tracing.length];
            for (int i = 0; i < tracing.length; i++) {
                starts[i] = tracing[i].start - TRACE_MARGIN_NANOS;
                ends[i] = plus(tracing[i].end, TRACE_MARGIN_NANOS);
            }
            long before = plus(from, -CUT_SLACK_NANOS); // an event that ends earlier is the previous segment's
            long after = plus(to, CUT_SLACK_NANOS); // and one that ends here or later the next one's
            long tailFrom = plus(to, -CUT_SLACK_NANOS);
            long headTo = plus(from, CUT_SLACK_NANOS + COPY_SKEW_NANOS); // the copies of the tail's events
            Map<List<Object>, List<Long>> tail = new java.util.HashMap<>();
            try (RecordingFile file = new RecordingFile(s.file())) {
                while (file.hasMoreEvents()) {
                    RecordedEvent e = file.readEvent();
                    long end = JfrTimelineReader.nanos(e.getEndTime());
                    if (end < before || (end >= after && after != Long.MAX_VALUE)) {
                        continue; // the previous or the next segment's: both recordings ran then
                    }
                    long start = JfrTimelineReader.nanos(e.getStartTime());
                    if (end >= tailFrom && to != Long.MAX_VALUE) {
                        tail.computeIfAbsent(key(e), k -> new ArrayList<>()).add(start);
                    }
                    if (end < headTo && copied(traceTail.get(key(e)), start)) {
                        continue; // read from the previous segment already
                    }
                    for (int i = 0; i < tracing.length; i++) {
                        if (end >= starts[i] && start <= ends[i]) {
                            tracing[i].timeline.accept(e);
                        }
                    }
                }
                traceTail = tail;
            } catch (IOException | RuntimeException e) {
                CaptureException failure =
                        new CaptureException("Cannot read the trace recording [" + s.file() + "]: " + e, e);
                synchronized (this) {
                    for (Window w : tracing) {
                        w.failure = failure;
                    }
                }
                return;
            }
            synchronized (this) {
                for (Window w : tracing) {
                    if (windows.contains(w)) { // not abandoned meanwhile
                        w.traceParts.add(part.hold());
                    }
                }
            }
        } finally {
            part.release();
        }
    }

    /** {@code a + b}, kept within {@code long}'s range: spans are open-ended at either end. */
    private static long plus(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }

    /**
     * An event's type, thread and duration: with its start time (give or take {@link #COPY_SKEW_NANOS}), what
     * tells it from every other event.
     */
    private static List<Object> key(RecordedEvent e) {
        RecordedThread t = e.hasField("sampledThread") ? e.getThread("sampledThread") : e.getThread();
        return List.of(
                e.getEventType().getName(),
                t == null ? -1L : t.getJavaThreadId(),
                e.getDuration().toNanos());
    }

    /** Whether one of {@code starts} (of events with the same key) is that of a copy of an event starting at {@code start}; it is then used up. */
    private static boolean copied(List<Long> starts, long start) {
        if (starts != null) {
            for (int i = 0; i < starts.size(); i++) {
                if (Math.abs(starts.get(i) - start) <= COPY_SKEW_NANOS) {
                    starts.remove(i);
                    return true;
                }
            }
        }
        return false;
    }

    private void route(Segment s, List<Window> open, List<Suite> collecting) {
        Set<ProfileKind> kinds = EnumSet.noneOf(ProfileKind.class);
        open.forEach(w -> {
            if (w.cut != null) {
                kinds.addAll(w.options.kinds());
            }
        });
        collecting.forEach(c -> kinds.addAll(c.cut.options().kinds()));
        if (kinds.isEmpty()) {
            return;
        }
        boolean fromJdk = s.file().getFileName().toString().startsWith("jprof-jdk-");
        // the windows that cut profiles, and their spans, as arrays: this runs for every event of the recording
        Window[] cutting = open.stream().filter(w -> w.cut != null).toArray(Window[]::new);
        long[] starts = new long[cutting.length];
        long[] ends = new long[cutting.length];
        for (int i = 0; i < cutting.length; i++) {
            starts[i] = cutting[i].start;
            ends[i] = cutting[i].end;
        }
        // events in no window are skipped before their stacks are named; a suite takes every event
        java.util.function.LongPredicate wanted = !collecting.isEmpty()
                ? at -> true
                : at -> {
                    for (int i = 0; i < starts.length; i++) {
                        if (at >= starts[i] && at <= ends[i]) {
                            return true;
                        }
                    }
                    return false;
                };
        String engine = JfrConverter.read(s.file(), fromJdk, kinds, s.fromNanos(), s.toNanos(), wanted, e -> {
            Window owner = null;
            long at = e.epochNanos();
            for (int i = 0; i < cutting.length; i++) {
                if (at >= starts[i] && at <= ends[i]) {
                    Window w = cutting[i];
                    if (owner == null && e.javaThreadId() == w.ownerId && w.cut.accepts(e)) {
                        owner = w;
                    }
                    w.cut.add(e);
                }
            }
            if (!collecting.isEmpty()) {
                if (owner == null) {
                    for (int i = 0; i < cutting.length; i++) {
                        if (at >= starts[i] && at <= ends[i] && cutting[i].cut.accepts(e)) {
                            owner = cutting[i];
                            break;
                        }
                    }
                }
                for (Suite c : collecting) {
                    c.cut.labels(owner == null ? Map.of() : owner.suiteLabels);
                    c.cut.add(e);
                }
            }
        });
        synchronized (this) {
            if (engine != null) {
                cpuEngines.put(s.source(), engine);
            }
        }
    }

    private void complete(Window w) {
        TraceRecording recording = w.trace == null ? null : new TraceRecording(w.traceParts);
        if (w.failure != null) {
            if (recording != null) {
                recording.discard();
            }
            w.result.completeExceptionally(w.failure);
            return;
        }
        try {
            CaptureResult capture = null;
            Map<ProfileKind, Long> jvm = Map.of();
            if (w.cut != null) {
                long ownerCpu = w.ownerCpuStart < 0 || w.ownerCpuEnd < 0 ? -1 : w.ownerCpuEnd - w.ownerCpuStart;
                long duration = w.endTick - w.startTick;
                String engine;
                synchronized (this) {
                    engine = cpuEngines.get(w.channel);
                }
                JfrConverter.Result r = w.cut.finish(w.start, duration, ownerCpu, engine);
                capture = new CaptureResult(r.profiles(), r.engine(), Duration.ofNanos(duration));
                jvm = r.jvm();
            }
            if (!w.records()) {
                capture = new CaptureResult(Map.of(), "none", Duration.ofNanos(w.endTick - w.startTick));
            }
            Timeline timeline = w.trace == null ? null : Regions.get().addTo(w.timeline.timeline(w.start, w.end, true));
            w.result.complete(new Result(capture, timeline, recording, jvm, w.gapNanos));
        } catch (RuntimeException e) {
            if (recording != null) {
                recording.discard();
            }
            w.result.completeExceptionally(
                    e instanceof CaptureException
                            ? e
                            : new CaptureException("Cannot read the recording of [" + w.label + "]: " + e, e));
        }
    }

    /** One window: its span, its threads, and what it collects. */
    public final class Window {
        private final String label;
        private final ProfileOptions options;
        private final TraceOptions trace;
        private final Scope scope;
        private final long ownerId;
        private final long idFloor;
        private final long ownerCpuStart;
        private final Cut cut;
        private final Map<String, String> suiteLabels;
        private final TraceWindowEvent traceEvent;
        /** The trace's events, as they are read, or {@code null}. */
        private final JfrTimelineReader timeline;
        /** The segments of the trace recording that the window overlaps. */
        private final List<TraceRecording.Part> traceParts = new ArrayList<>();

        private final CompletableFuture<Result> result = new CompletableFuture<>();
        private final long start;
        private final long startTick;
        // guarded by Recorder.this
        private boolean closed;
        private volatile long end = Long.MAX_VALUE;
        private long endTick;
        private long ownerCpuEnd = -1;
        private long idCeil = Long.MAX_VALUE;
        private long gapNanos;
        private CaptureException failure;
        /** The profiling channel recording when the window opened. */
        private final Channel channel;
        /** Whether the window counts every allocation (finding allocation sites): nothing may be dropped. */
        private final boolean exact;

        @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+
        Window(
                ProfileOptions options,
                TraceOptions trace,
                Scope scope,
                String label,
                Thread owner,
                long idFloor,
                long ownerCpuStart) {
            this.label = label;
            this.options = options;
            this.trace = trace;
            long traceId = trace == null ? -1 : ++lastTraceId; // under the recorder's lock, in open()
            this.scope = scope;

            this.ownerId = owner.getId();
            this.idFloor = idFloor;
            this.ownerCpuStart = ownerCpuStart;
            this.suiteLabels = Map.of(JfrConverter.TEST_LABEL, label);
            this.cut = options.kinds().isEmpty()
                    ? null
                    : new Cut(options, profile.name(), ownerId, owner.getName(), threads(), scope == Scope.ALL);
            this.timeline = trace == null ? null : new JfrTimelineReader(trace, ownerId, owner.getName(), traceId);
            if (trace != null) {
                traceEvent = new TraceWindowEvent();
                traceEvent.label = label;
                traceEvent.ownerThreadId = ownerId;
                traceEvent.traceId = traceId;
                traceEvent.begin();
            } else {
                traceEvent = null;
            }
            this.channel = profile;
            this.exact = options.kinds().contains(ProfileKind.ALLOC) && options.allocInterval() <= 1;
            this.start = Clock.epochNanos();
            this.startTick = System.nanoTime();
        }

        /** Whether anything is recorded for the window: profiles or a trace. */
        private boolean records() {
            return cut != null || trace != null;
        }

        /** The window's threads by Java id, or {@code null} for every application thread. */
        private LongPredicate threads() {
            if (scope != Scope.OWN) {
                return null;
            }
            // threads created during the window, unless another open window of its own threads may have created them
            return id -> id > idFloor && id <= idCeil && !claimedElsewhere(id);
        }

        private boolean claimedElsewhere(long id) {
            synchronized (Recorder.this) {
                for (Window w : windows) {
                    if (w != this && w.scope == Scope.OWN && (id == w.ownerId || (id > w.idFloor && id <= w.idCeil))) {
                        return true;
                    }
                }
            }
            return false;
        }

        /**
         * Ends the window. Its part of the recording is read a moment later, on jprof's worker thread.
         *
         * @throws IllegalStateException when already closed
         */
        public CompletableFuture<Result> close() {
            Recorder.this.close(this, false);
            return result;
        }

        /** Ends the window and reads its part of the recording now. */
        public Result closeAndJoin() {
            Recorder.this.close(this, true);
            return join();
        }

        /** Waits for the window's result, reading the recording now if it has not been read yet. */
        public Result join() {
            if (!result.isDone()) {
                readNow();
            }
            return result.join();
        }

        /** Drops the window: nothing is read for it. */
        public void abandon() {
            Recorder.this.abandon(this);
        }
    }

    /** A profile of everything recorded while it collects. */
    public final class Suite {
        private final Cut cut;
        /** The kinds the suite asked for; its cut also takes the kinds windows add to the recording. */
        private final Set<ProfileKind> asked;

        private final long start = Clock.epochNanos();
        private final long startTick = System.nanoTime();

        Suite(Cut cut, Set<ProfileKind> asked) {
            this.cut = cut;
            this.asked = Set.copyOf(asked);
        }

        /** Stops collecting and returns the profiles, each sample labelled with its test. */
        public CaptureResult finish() {
            // on the worker, which alone feeds the suite's samples
            try {
                return CompletableFuture.supplyAsync(this::finishOnWorker, worker)
                        .join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }

        private CaptureResult finishOnWorker() {
            read(true);
            String engine;
            synchronized (Recorder.this) {
                suites.remove(this);
                if (windows.isEmpty() && suites.isEmpty()) {
                    schedule(0);
                }
                engine = cpuEngines.values().stream().reduce((a, b) -> b).orElse(null);
            }
            long duration = System.nanoTime() - startTick;
            JfrConverter.Result r = cut.finish(start, duration, -1, engine);
            return new CaptureResult(r.profiles(), r.engine(), Duration.ofNanos(duration));
        }
    }
}
