package dev.jprof.capture.internal;

import dev.jprof.capture.CaptureException;
import dev.jprof.capture.ProfileOptions;
import dev.jprof.profile.Frame;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import dev.jprof.profile.Sample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import one.jfr.ClassRef;
import one.jfr.Dictionary;
import one.jfr.JfrReader;
import one.jfr.MethodRef;
import one.jfr.StackTrace;
import one.jfr.event.AllocationSample;
import one.jfr.event.ContendedLock;
import one.jfr.event.ExecutionSample;

/**
 * Turns JFR recordings, written by async-profiler or by the JDK, into {@link Profile}s. This is the
 * only place where JFR events become the model: {@link #read} reads a recording's events once, and
 * any number of {@link Cut}s (one per test window, one for the whole suite) take the events of their
 * time span and threads.
 *
 * <p>async-profiler's recordings are read with async-profiler's own streaming reader
 * ({@code one.jfr.JfrReader}, relocated inside jprof's jar): events are parsed one at a time from a
 * buffer, and each stack is named once per JFR chunk from its id. Only recordings the JDK wrote (the
 * JFR engine's) go through {@code jdk.jfr.consumer}, which materialises every event, frame and thread.
 *
 * <ul>
 *   <li>CPU: {@code jdk.ExecutionSample}, one sample = one interval of CPU time.
 *   <li>Wall: {@code profiler.WallClockSample} (async-profiler, which batches {@code samples} per
 *       event) or, from the JDK, {@code jdk.ExecutionSample} and {@code jdk.NativeMethodSample}.
 *       Only the thread that opened the window and threads seen running during it are kept; pool
 *       threads waiting for a task and JVM threads that run no Java code are left out, so idle
 *       threads do not drown the test's own.
 *   <li>Allocation: the TLAB events and {@code jdk.ObjectAllocationSample}; the bytes a sample
 *       stands for is its weight, objects are weight / object size; the class is the {@code class}
 *       label.
 *   <li>Lock: {@code jdk.JavaMonitorEnter} and {@code jdk.ThreadPark} (from the JDK only parks on
 *       {@code java.util.concurrent.locks}); the value is the wait; the lock's class is the
 *       {@code lock} label.
 * </ul>
 */
public final class JfrConverter {

    /** Label key holding the allocated class of an allocation sample. */
    public static final String CLASS_LABEL = "class";
    /** Label key holding the class of the contended lock of a lock sample. */
    public static final String LOCK_LABEL = "lock";
    /** Label key naming the test a sample of a suite profile was taken in. */
    public static final String TEST_LABEL = "test";

    /** async-profiler's state of a wall sample of a thread that was not running (others: STATE_RUNNABLE, STATE_DEFAULT). */
    private static final String SLEEPING = "STATE_SLEEPING";

    /** Where pool threads wait for a task: wall time spent there is idle, not the profiled code's. */
    private static final Set<String> IDLE_FRAMES =
            Set.of("java.util.concurrent.ThreadPoolExecutor.getTask", "java.util.concurrent.ForkJoinPool.awaitWork");

    /**
     * Frames of jprof opening or closing a window and of async-profiler's Java API: samples in them
     * are jprof's work, not the profiled code's. jprof's are named from the class, so a rename cannot
     * silently stop them from matching; async-profiler's by name, so that reading a recording
     * ({@code dev.jprof.format.Jfr}) needs no async-profiler on the class path
     * ({@code JfrConverterReadersTest} checks the name).
     */
    static final String ASYNC_PROFILER_CLASS = "one.profiler.AsyncProfiler";

    private static final Set<String> OWN_FRAMES = Set.of(
            Recorder.class.getName() + ".open",
            Recorder.class.getName() + ".close",
            // a session's start after its window opened, and its stop before the window closes: a sample there
            // (a thread preempted on its way out of the body, sampled when it runs again) is jprof's, not the code's
            dev.jprof.capture.ProfilingSession.class.getName() + ".<init>",
            // and the public start, which runs no code of the user's either: a sample on its way back from the
            // open window, before the session is built, was in ProfilerTest's profile (CI, JDK 17, perf events)
            dev.jprof.capture.Profiler.class.getName() + ".start",
            dev.jprof.trace.Tracer.class.getName() + ".start",
            dev.jprof.trace.TraceSession.class.getName() + ".<init>",
            // the public stop and close run no code of the user's: a sample there (its method reference being
            // linked, before SessionWindow.stop is reached) is jprof's own, as ProfilerTest found under load
            dev.jprof.capture.ProfilingSession.class.getName() + ".stop",
            dev.jprof.capture.ProfilingSession.class.getName() + ".stopAsync",
            dev.jprof.capture.ProfilingSession.class.getName() + ".close",
            dev.jprof.trace.TraceSession.class.getName() + ".stop",
            dev.jprof.trace.TraceSession.class.getName() + ".stopAsync",
            dev.jprof.trace.TraceSession.class.getName() + ".close",
            SessionWindow.class.getName() + ".stop",
            SessionWindow.class.getName() + ".stopAsync",
            Recorder.class.getName() + ".ensure",
            ASYNC_PROFILER_CLASS + ".execute",
            ASYNC_PROFILER_CLASS + ".execute0");

    private JfrConverter() {}

    /**
     * One event of a recording that becomes a sample, independent of the reader that read it.
     *
     * @param epochNanos when it happened (for an interval, when it started), in epoch nanoseconds
     * @param javaThreadId the thread's Java id, 0 or less for a thread that is not a Java thread
     * @param thread the thread's name, {@code ""} when unknown
     * @param stack the frames, leaf first, named once per recording and shared by every event with
     *     that stack; {@code null} for jprof's own work (opening or closing a window)
     * @param count the sampling events it stands for (wall samples come in batches), objects for allocations
     * @param value bytes for an allocation, nanoseconds waited for a lock; 0 for CPU and wall samples
     * @param labelKey {@link #CLASS_LABEL} or {@link #LOCK_LABEL}, or {@code null}
     * @param labelValue the class, or {@code null}
     * @param running whether the thread was running (wall samples)
     */
    record Event(
            ProfileKind kind,
            long epochNanos,
            long javaThreadId,
            String thread,
            List<Frame> stack,
            long count,
            long value,
            String labelKey,
            String labelValue,
            boolean running) {}

    /**
     * Reads the events of {@code jfrFile} that end in {@code [fromNanos, toNanos)} (epoch nanoseconds),
     * that one of {@code kinds} needs and that start at a time {@code wanted} accepts (in a window), in
     * file order. Other events are skipped before their thread and stack are named.
     *
     * @param fromJdk whether the JDK wrote the file (else async-profiler)
     * @return async-profiler's CPU engine as its {@code engine} setting names it, or {@code null}
     * @throws CaptureException naming the file when it cannot be read
     */
    static String read(
            Path jfrFile,
            boolean fromJdk,
            Set<ProfileKind> kinds,
            long fromNanos,
            long toNanos,
            LongPredicate wanted,
            Consumer<Event> sink) {
        return fromJdk
                ? readJdk(jfrFile, kinds, fromNanos, toNanos, wanted, sink, null)
                : readAsyncProfiler(jfrFile, kinds, fromNanos, toNanos, wanted, sink, null);
    }

    private static boolean anyTime(long at) {
        return true;
    }

    /**
     * The profiles of {@code kinds} that a whole recording holds, async-profiler's or the JDK's, with
     * every thread: what {@code dev.jprof.format.Jfr#read} gives.
     *
     * @throws IOException naming the file when it cannot be read, is not a JFR recording, or is corrupt
     */
    public static Map<ProfileKind, Profile> readWhole(Path jfrFile, Set<ProfileKind> kinds) throws IOException {
        if (!java.nio.file.Files.isRegularFile(jfrFile)) {
            throw new java.io.FileNotFoundException("Cannot read the JFR recording [" + jfrFile + "]: no such file");
        }
        // async-profiler's recordings define its own profiler.* event types; the JDK's hold constant pools
        // that async-profiler's reader may not expect, and go to the JDK's reader
        JfrReader reader = null;
        try {
            reader = open(jfrFile);
        } catch (IOException e) {
            throw new IOException("Cannot read the JFR recording [" + jfrFile + "]: " + describe(e), e);
        } catch (RuntimeException e) {
            // not async-profiler's
        }
        boolean asyncProfilers =
                reader != null && reader.typesByName.keySet().stream().anyMatch(t -> t.startsWith("profiler."));
        if (reader != null && !asyncProfilers) {
            reader.close();
        }
        Set<ProfileKind> all = kinds.isEmpty() ? EnumSet.noneOf(ProfileKind.class) : EnumSet.copyOf(kinds);
        Cut cut = Cut.whole(
                ProfileOptions.of(all.toArray(ProfileKind[]::new)), asyncProfilers ? "async-profiler" : "jfr");
        Set<ProfileKind> found = EnumSet.noneOf(ProfileKind.class);
        long[] span = {Long.MAX_VALUE, Long.MIN_VALUE};
        Consumer<Event> sink = e -> {
            found.add(e.kind());
            span[0] = Math.min(span[0], e.epochNanos());
            span[1] = Math.max(span[1], e.epochNanos());
            cut.add(e);
        };
        Map<String, String> settings = new HashMap<>();
        String engine;
        try {
            engine = asyncProfilers
                    ? readAsyncProfiler(
                            reader, jfrFile, all, Long.MIN_VALUE, Long.MAX_VALUE, JfrConverter::anyTime, sink, settings)
                    : readJdk(jfrFile, all, Long.MIN_VALUE, Long.MAX_VALUE, JfrConverter::anyTime, sink, settings);
        } catch (CaptureException e) {
            throw new IOException(e.getMessage(), e.getCause());
        }
        ProfileOptions recorded =
                (asyncProfilers ? asyncProfilersOptions(settings) : jdkOptions(settings)).withKinds(all);
        cut.reconfigure(recorded, asyncProfilers ? "async-profiler" : "jfr");
        long start = found.isEmpty() ? 0 : span[0];
        Result r = cut.finish(start, found.isEmpty() ? 0 : span[1] - span[0], -1, engine);
        Map<ProfileKind, Profile> profiles = new EnumMap<>(ProfileKind.class);
        for (ProfileKind kind : found) {
            profiles.put(kind, r.profiles().get(kind));
        }
        return profiles;
    }

    /** Intervals from async-profiler's settings ({@code interval}, {@code wall}, {@code alloc}, {@code lock}), or its defaults. */
    private static ProfileOptions asyncProfilersOptions(Map<String, String> settings) {
        long cpu = number(settings.get("interval"), 0);
        long wall = number(settings.get("wall"), 0);
        return ProfileOptions.of(ProfileKind.values())
                .withCpuInterval(
                        interval(cpu > 0 ? cpu : 10_000_000)) // async-profiler's defaults: 10 ms, 50 ms for wall
                .withWallInterval(interval(wall > 0 ? wall : 50_000_000))
                .withAllocInterval(Math.max(1, number(settings.get("alloc"), 524_287)))
                .withLockThreshold(java.time.Duration.ofNanos(Math.max(0, number(settings.get("lock"), 0))));
    }

    /** Intervals from the JDK's settings: {@code jdk.ExecutionSample}'s period, {@code jdk.JavaMonitorEnter}'s threshold. */
    private static ProfileOptions jdkOptions(Map<String, String> settings) {
        ProfileOptions o = ProfileOptions.of(ProfileKind.values());
        java.time.Duration period = jdkDuration(settings.get("jdk.ExecutionSample#period"));
        if (period != null && !period.isZero()) {
            o = o.withCpuInterval(interval(period.toNanos())).withWallInterval(interval(period.toNanos()));
        } else {
            o = o.withCpuInterval(java.time.Duration.ofMillis(20)).withWallInterval(java.time.Duration.ofMillis(20));
        }
        java.time.Duration threshold = jdkDuration(settings.get("jdk.JavaMonitorEnter#threshold"));
        return threshold == null ? o : o.withLockThreshold(threshold);
    }

    /** {@code 20 ms}, {@code 10 ms}, {@code 0 ns} as the JDK writes periods and thresholds; {@code null} for anything else. */
    private static java.time.Duration jdkDuration(String text) {
        if (text == null) {
            return null;
        }
        try {
            return dev.jprof.internal.Units.parseDuration(text, "a JFR setting");
        } catch (IllegalArgumentException e) {
            return null; // "everyChunk", "beginChunk", "off"
        }
    }

    private static long number(String text, long otherwise) {
        try {
            return text == null ? otherwise : Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /** A sampling interval jprof's options accept: positive, at most a second. */
    private static java.time.Duration interval(long nanos) {
        return java.time.Duration.ofNanos(Math.min(Math.max(nanos, 1), 1_000_000_000L));
    }

    /**
     * Recordings up to this size are read into memory whole: async-profiler's reader otherwise
     * allocates (and the OS zeroes) a 2 MiB buffer per file, which cost more than reading a recording of
     * a few hundred KB. Larger ones are streamed through that buffer.
     */
    private static final long IN_MEMORY_BYTES = 8 << 20;

    /** async-profiler's reader on {@code jfrFile}. */
    private static JfrReader open(Path jfrFile) throws IOException {
        long size = java.nio.file.Files.size(jfrFile);
        return size <= IN_MEMORY_BYTES
                ? new JfrReader(java.nio.ByteBuffer.wrap(java.nio.file.Files.readAllBytes(jfrFile)))
                : new JfrReader(jfrFile.toString());
    }

    /** async-profiler's recording, read with its own streaming reader. */
    static String readAsyncProfiler(
            Path jfrFile,
            Set<ProfileKind> kinds,
            long fromNanos,
            long toNanos,
            LongPredicate wanted,
            Consumer<Event> sink,
            Map<String, String> settings) {
        JfrReader reader;
        try {
            reader = open(jfrFile);
        } catch (IOException | RuntimeException e) {
            throw new CaptureException("Cannot read the JFR recording [" + jfrFile + "]: " + describe(e), e);
        }
        return readAsyncProfiler(reader, jfrFile, kinds, fromNanos, toNanos, wanted, sink, settings);
    }

    /** Reads from {@code reader}, opened on {@code jfrFile}, and closes it. */
    private static String readAsyncProfiler(
            JfrReader reader,
            Path jfrFile,
            Set<ProfileKind> kinds,
            long fromNanos,
            long toNanos,
            LongPredicate wanted,
            Consumer<Event> sink,
            Map<String, String> settings) {
        boolean cpu = kinds.contains(ProfileKind.CPU);
        boolean wall = kinds.contains(ProfileKind.WALL);
        boolean alloc = kinds.contains(ProfileKind.ALLOC);
        boolean lock = kinds.contains(ProfileKind.LOCK);
        // the reader skips events of other classes without parsing them
        Class<? extends one.jfr.event.Event> only = alloc || lock
                ? (cpu || wall || (alloc && lock) ? null : alloc ? AllocationSample.class : ContendedLock.class)
                : ExecutionSample.class;
        try (JfrReader r = reader) {
            r.stopAtNewChunk = true;
            Stacks stacks = new Stacks();
            while (r.hasMoreChunks()) {
                Chunk names = new Chunk(r, stacks);
                int running = r.getEnumKey("jdk.types.ThreadState", "STATE_DEFAULT");
                int sleeping = r.getEnumKey("jdk.types.ThreadState", SLEEPING);
                for (one.jfr.event.Event e; (e = r.readEvent(only)) != null; ) {
                    if (e instanceof ExecutionSample x) {
                        // async-profiler writes CPU samples in the default state, wall samples running or sleeping
                        boolean isCpu = x.threadState == running || x.threadState == ExecutionSample.CPU_TIME_SAMPLE;
                        if (isCpu ? !cpu : !wall) {
                            continue;
                        }
                        long at = r.eventTimeToNanos(x.time);
                        if (at < fromNanos || at >= toNanos || !wanted.test(at)) {
                            continue;
                        }
                        Long javaId = r.javaThreads.get(x.tid);
                        if (!isCpu && (javaId == null || javaId == 0)) {
                            continue; // wall: threads that run no Java code
                        }
                        sink.accept(names.event(
                                isCpu ? ProfileKind.CPU : ProfileKind.WALL,
                                at,
                                x.tid,
                                x.stackTraceId,
                                isCpu ? 1 : Math.max(1, x.samples),
                                0,
                                null,
                                null,
                                isCpu || x.threadState != sleeping));
                    } else if (e instanceof AllocationSample x) {
                        long at = r.eventTimeToNanos(x.time);
                        if (!alloc || at < fromNanos || at >= toNanos || !wanted.test(at)) {
                            continue;
                        }
                        long size = x.allocationSize;
                        long weight = x.tlabSize > 0 ? x.tlabSize : size;
                        long objects = size > 0 ? Math.max(1, Math.round((double) weight / size)) : 1;
                        sink.accept(names.event(
                                ProfileKind.ALLOC,
                                at,
                                x.tid,
                                x.stackTraceId,
                                objects,
                                weight,
                                CLASS_LABEL,
                                names.className(x.classId),
                                true));
                    } else if (e instanceof ContendedLock x) {
                        long at = r.eventTimeToNanos(x.time);
                        long duration = (long) (x.duration * r.nanosPerTick);
                        if (!lock || at + duration < fromNanos || at + duration >= toNanos || !wanted.test(at)) {
                            continue;
                        }
                        sink.accept(names.event(
                                ProfileKind.LOCK,
                                at,
                                x.tid,
                                x.stackTraceId,
                                1,
                                duration,
                                LOCK_LABEL,
                                names.className(x.classId),
                                true));
                    }
                }
            }
            if (r.incomplete()) {
                throw new IOException("it ends inside a JFR chunk (truncated, or still being written)");
            }
            if (settings != null) {
                settings.putAll(r.settings);
            }
            return r.settings.get("engine");
        } catch (IOException | RuntimeException e) {
            throw new CaptureException("Cannot read the JFR recording [" + jfrFile + "]: " + describe(e), e);
        }
    }

    /** An exception's message, or its class where it has none (a buffer underflow in a cut-off file). */
    static String describe(Exception e) {
        if ("Incomplete JFR file".equals(e.getMessage())) {
            return "it ends inside a JFR chunk (truncated, or still being written)";
        }
        if (e instanceof java.nio.BufferUnderflowException || e instanceof IndexOutOfBoundsException) {
            return "it ends in the middle of a record or is corrupt (" + e + ")";
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /**
     * Names of one JFR chunk of async-profiler's: method, class and stack ids are the chunk's own, so
     * each stack is named once per chunk, its frames shared with {@link Stacks}.
     */
    private static final class Chunk {
        private final JfrReader r;
        private final Stacks stacks;
        private final Dictionary<List<Frame>> byId = new Dictionary<>(1024);
        /** A frame standing for jprof's own work: the stacks it is in are left out. */
        private static final Frame OWN = new Frame("(jprof)", "", 0);

        private final Dictionary<Frame> methods = new Dictionary<>(256);
        private final Dictionary<Frame> lines = new Dictionary<>(1024);
        /** The last stack named without jprof's own frames, and its frames. */
        private StackTrace previous;

        private Frame[] previousFrames;

        /** A class's name in Java form and its source file, by class id: shared by the class's methods. */
        private final Dictionary<String[]> owners = new Dictionary<>(256);

        private final Dictionary<String> classes = new Dictionary<>();
        private final Dictionary<String> threads = new Dictionary<>();

        Chunk(JfrReader r, Stacks stacks) {
            this.r = r;
            this.stacks = stacks;
        }

        /** The event on the thread {@code tid} with the stack {@code stackTraceId}, both named in this chunk. */
        Event event(
                ProfileKind kind,
                long at,
                int tid,
                int stackTraceId,
                long count,
                long value,
                String labelKey,
                String labelValue,
                boolean running) {
            Long javaId = r.javaThreads.get(tid);
            return new Event(
                    kind,
                    at,
                    javaId == null ? 0 : javaId,
                    thread(tid),
                    stack(stackTraceId),
                    count,
                    value,
                    labelKey,
                    labelValue,
                    running);
        }

        String thread(int tid) {
            String name = threads.get(tid);
            if (name == null) {
                name = r.threads.get(tid);
                if (name == null) {
                    name = "";
                }
                threads.put(tid, name);
            }
            return name;
        }

        /** The frames of stack {@code id}, leaf first; {@code null} for jprof's own work. */
        List<Frame> stack(int id) {
            List<Frame> s = byId.get(id);
            if (s == null) {
                s = convert(r.stackTraces.get(id));
                byId.put(id, s);
            }
            return s == Stacks.OWN ? null : s;
        }

        @SuppressWarnings("ReferenceEquality") // OWN is a sentinel instance, compared by identity
        private List<Frame> convert(StackTrace trace) {
            if (trace == null) {
                return List.of();
            }
            Frame[] stack = new Frame[trace.methods.length];
            // stacks named one after the other mostly share their outer frames (a test's, the runner's):
            // those are taken from the previous stack, compared by method and line from the root end
            int shared = 0;
            if (previous != null) {
                long[] previousMethods = previous.methods;
                int[] previousLocations = previous.locations;
                int n = stack.length;
                int m = previousMethods.length;
                while (shared < n
                        && shared < m
                        && trace.methods[n - 1 - shared] == previousMethods[m - 1 - shared]
                        && (trace.locations[n - 1 - shared] >>> 16) == (previousLocations[m - 1 - shared] >>> 16)) {
                    stack[n - 1 - shared] = previousFrames[m - 1 - shared];
                    shared++;
                }
            }
            for (int i = 0; i < stack.length - shared; i++) {
                long id = trace.methods[i];
                int line = trace.locations[i] >>> 16;
                // one frame per method and line; method ids stay far below 2^47
                long key = id << 16 | line;
                Frame f = lines.get(key);
                if (f == null) {
                    Frame base = methods.get(id);
                    if (base == null) {
                        base = stacks.frame(method(id));
                        if (OWN_FRAMES.contains(base.function())) {
                            base = OWN;
                        }
                        methods.put(id, base);
                    }
                    f = base == OWN
                            ? OWN
                            : line > 0 && !base.file().isEmpty()
                                    ? stacks.frame(new Frame(base.function(), base.file(), line))
                                    : base;
                    lines.put(key, f);
                }
                if (f == OWN) {
                    return Stacks.OWN;
                }
                stack[i] = f;
            }
            previous = trace;
            previousFrames = stack;
            // stacks that differ only in a bytecode index are one list, so that a cut merges their samples
            return stacks.intern(stack);
        }

        private Frame method(long id) {
            MethodRef m = r.methods.get(id);
            if (m == null) {
                return Frame.of("unknown");
            }
            String[] owner = owners.get(m.cls);
            if (owner == null) {
                ClassRef c = r.classes.get(m.cls);
                String name = stableOwner(c == null ? "" : symbol(c.name).replace('/', '.'));
                owner = new String[] {name, sourceFile(name)};
                owners.put(m.cls, owner);
            }
            String name = symbol(m.name);
            byte[] sig = r.symbols.get(m.sig);
            // as frameOf decides: a Java method has a descriptor, and its class is not a native library
            boolean java = sig != null
                    && sig.length > 0
                    && sig[0] == '('
                    && !(sig.length == 3 && sig[1] == ')' && sig[2] == 'L')
                    && !owner[0].isEmpty()
                    && !owner[0].contains(".so");
            return java ? new Frame(owner[0] + "." + name, owner[1], 0) : Frame.of(name);
        }

        /** The class {@code id} in Java form ({@code byte[]}, {@code java.lang.String}), or {@code null}. */
        String className(int id) {
            String name = classes.get(id);
            if (name == null) {
                ClassRef c = r.classes.get(id);
                if (c == null) {
                    return null;
                }
                name = javaClassName(symbol(c.name).replace('/', '.'));
                classes.put(id, name);
            }
            return name;
        }

        private String symbol(long id) {
            byte[] b = r.symbols.get(id);
            return b == null ? "" : new String(b, StandardCharsets.UTF_8);
        }
    }

    /** The JDK's recording, read with {@code jdk.jfr.consumer}. */
    static String readJdk(
            Path jfrFile,
            Set<ProfileKind> kinds,
            long fromNanos,
            long toNanos,
            LongPredicate wanted,
            Consumer<Event> sink,
            Map<String, String> settings) {
        String engine = null;
        boolean wantWall = kinds.contains(ProfileKind.WALL);
        Stacks stacks = new Stacks();
        try (RecordingFile file = new RecordingFile(jfrFile)) {
            Map<Long, String> types = new HashMap<>();
            if (settings != null) {
                file.readEventTypes().forEach(t -> types.put(t.getId(), t.getName()));
            }
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                String type = e.getEventType().getName();
                if (type.equals("jdk.ActiveSetting")) {
                    if ("engine".equals(e.getString("name"))) {
                        engine = e.getString("value");
                    }
                    if (settings != null) {
                        settings.put(
                                types.getOrDefault(e.getLong("id"), "") + "#" + e.getString("name"),
                                e.getString("value"));
                    }
                    continue;
                }
                long end = nanos(e.getEndTime());
                if (end < fromNanos || end >= toNanos) {
                    continue;
                }
                long at = nanos(e.getStartTime());
                if (!wanted.test(at)) {
                    continue;
                }
                switch (type) {
                    case "jdk.ExecutionSample" -> {
                        if (kinds.contains(ProfileKind.CPU)) {
                            sink.accept(event(ProfileKind.CPU, e, "sampledThread", at, stacks, 1, 0, null, null, true));
                        }
                        if (wantWall) { // the JFR engine's wall profile: every Java sample, running
                            sink.accept(
                                    event(ProfileKind.WALL, e, "sampledThread", at, stacks, 1, 0, null, null, true));
                        }
                    }
                    case "jdk.NativeMethodSample" -> {
                        if (wantWall) {
                            sink.accept(
                                    event(ProfileKind.WALL, e, "sampledThread", at, stacks, 1, 0, null, null, false));
                        }
                    }
                    case "jdk.ObjectAllocationInNewTLAB",
                            "jdk.ObjectAllocationOutsideTLAB",
                            "jdk.ObjectAllocationSample" -> {
                        // a recording of the JDK's profile settings holds both the TLAB events and their throttled
                        // samples: counting both would count allocations twice, so the samples win
                        boolean twice = settings != null
                                && !type.equals("jdk.ObjectAllocationSample")
                                && "true".equals(settings.get("jdk.ObjectAllocationSample#enabled"));
                        if (kinds.contains(ProfileKind.ALLOC) && !twice) {
                            long size = e.hasField("allocationSize") ? e.getLong("allocationSize") : 0;
                            long weight = e.hasField("weight")
                                    ? e.getLong("weight")
                                    : e.hasField("tlabSize") && e.getLong("tlabSize") > 0
                                            ? e.getLong("tlabSize")
                                            : size;
                            long objects = size > 0 ? Math.max(1, Math.round((double) weight / size)) : 1;
                            RecordedClass c = e.getClass("objectClass");
                            sink.accept(event(
                                    ProfileKind.ALLOC,
                                    e,
                                    "eventThread",
                                    at,
                                    stacks,
                                    objects,
                                    weight,
                                    CLASS_LABEL,
                                    c == null ? null : javaClassName(c.getName()),
                                    true));
                        }
                    }
                    case "jdk.JavaMonitorEnter" -> {
                        if (kinds.contains(ProfileKind.LOCK)) {
                            sink.accept(lock(e, at, e.getClass("monitorClass"), stacks));
                        }
                    }
                    case "jdk.ThreadPark" -> {
                        RecordedClass c = e.getClass("parkedClass");
                        if (kinds.contains(ProfileKind.LOCK)
                                && c != null
                                && c.getName().startsWith("java.util.concurrent.locks.")) {
                            sink.accept(lock(e, at, c, stacks));
                        }
                    }
                    default -> {}
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new CaptureException("Cannot read the JFR recording [" + jfrFile + "]: " + describe(e), e);
        }
        return engine;
    }

    private static Event lock(RecordedEvent e, long at, RecordedClass lock, Stacks stacks) {
        return event(
                ProfileKind.LOCK,
                e,
                "eventThread",
                at,
                stacks,
                1,
                e.getDuration().toNanos(),
                LOCK_LABEL,
                lock == null ? null : javaClassName(lock.getName()),
                true);
    }

    /** The event of a JDK-written {@code e}, on the thread in its field {@code threadField}, with its stack. */
    private static Event event(
            ProfileKind kind,
            RecordedEvent e,
            String threadField,
            long at,
            Stacks stacks,
            long count,
            long value,
            String labelKey,
            String labelValue,
            boolean running) {
        RecordedThread t = e.getThread(threadField);
        return new Event(
                kind,
                at,
                javaId(t),
                threadName(t),
                stacks.of(e.getStackTrace()),
                count,
                value,
                labelKey,
                labelValue,
                running);
    }

    /**
     * Names stack frames once per recording, and shares them: equal frames and equal stacks are one
     * instance, so that a cut can tell identical stacks apart by identity. JFR hands the same stack
     * trace object to every event of the JDK's recordings that has it.
     */
    static final class Stacks {
        static final List<Frame> OWN = List.of(new Frame("(jprof)", "", 0));
        private final IdentityHashMap<RecordedMethod, Frame> methods = new IdentityHashMap<>();
        private final IdentityHashMap<RecordedStackTrace, List<Frame>> stacks = new IdentityHashMap<>();
        private final Map<Frame, Frame> frames = new HashMap<>();
        private final Map<SameFrames, List<Frame>> lists = new HashMap<>();

        /** The whole stack, leaf first; {@code null} for jprof's own work. */
        List<Frame> of(RecordedStackTrace trace) {
            if (trace == null) {
                return List.of();
            }
            List<Frame> s = stacks.computeIfAbsent(trace, this::convert);
            return s == OWN ? null : s;
        }

        private List<Frame> convert(RecordedStackTrace trace) {
            List<RecordedFrame> recorded = trace.getFrames();
            List<Frame> stack = new ArrayList<>(recorded.size());
            for (RecordedFrame f : recorded) {
                RecordedMethod m = f.getMethod();
                if (m == null) {
                    continue;
                }
                Frame base = methods.computeIfAbsent(m, x -> frame(frameOf(x)));
                if (OWN_FRAMES.contains(base.function())) {
                    return OWN;
                }
                int line = f.getLineNumber();
                stack.add(
                        line > 0 && !base.file().isEmpty()
                                ? frame(new Frame(base.function(), base.file(), line))
                                : base);
            }
            return intern(stack.toArray(Frame[]::new));
        }

        /** The one instance equal to {@code f}. */
        Frame frame(Frame f) {
            Frame c = frames.putIfAbsent(f, f);
            return c == null ? f : c;
        }

        /** The one unmodifiable list of {@code stack}, whose frames come from {@link #frame}; takes the array. */
        List<Frame> intern(Frame[] stack) {
            SameFrames key = new SameFrames(stack);
            List<Frame> c = lists.get(key);
            if (c == null) {
                c = List.of(stack);
                lists.put(key, c);
            }
            return c;
        }

        /**
         * A stack of frames that {@link #frame} interned, as a key: equal frames are one instance, so
         * identity tells stacks apart without reading the frames' strings.
         */
        private static final class SameFrames {
            private final Frame[] frames;
            private final int hash;

            SameFrames(Frame[] frames) {
                this.frames = frames;
                int h = 1;
                for (Frame f : frames) {
                    h = 31 * h + System.identityHashCode(f);
                }
                this.hash = h;
            }

            @Override
            @SuppressWarnings("ReferenceEquality") // the same frame instances, as the hash code says
            public boolean equals(Object o) {
                if (!(o instanceof SameFrames other) || other.hash != hash || other.frames.length != frames.length) {
                    return false;
                }
                for (int i = 0; i < frames.length; i++) {
                    if (frames[i] != other.frames[i]) {
                        return false;
                    }
                }
                return true;
            }

            @Override
            public int hashCode() {
                return hash;
            }
        }
    }

    /**
     * {@code stack} from its root function on: the first of {@code roots} (function to rank) that the
     * stack contains, at its outermost occurrence, becomes the root and its callers are dropped
     * ({@link ProfileOptions#withRootFunctions}).
     */
    static List<Frame> fromRoot(List<Frame> stack, Map<String, Integer> roots) {
        if (roots.isEmpty()) {
            return stack;
        }
        int root = -1;
        int rootRank = Integer.MAX_VALUE;
        for (int i = 0; i < stack.size(); i++) {
            Integer rank = roots.get(stack.get(i).function());
            if (rank != null && rank <= rootRank) {
                root = i;
                rootRank = rank;
            }
        }
        return root >= 0 ? stack.subList(0, root + 1) : stack;
    }

    /** Root functions to their rank, first listed = 0. */
    static Map<String, Integer> ranks(List<String> rootFunctions) {
        Map<String, Integer> roots = new HashMap<>();
        for (int i = rootFunctions.size() - 1; i >= 0; i--) {
            roots.put(rootFunctions.get(i), i);
        }
        return roots;
    }

    /**
     * What a cut gives.
     *
     * @param profiles one profile per kind
     * @param engine the engine that ran, with async-profiler's own CPU engine where it reports one:
     *     {@code async-profiler/perf_events}, {@code async-profiler/ctimer}, {@code jfr}
     * @param jvm per kind, the total of the sample type taken by JVM threads in the cut's span, left out
     *     of its profile
     */
    record Result(Map<ProfileKind, Profile> profiles, String engine, Map<ProfileKind, Long> jvm) {}

    /**
     * The samples of one window: one test, one {@code Profiler} session, or the whole suite. Fed by
     * the one thread that reads recordings; a suite's cut is also reconfigured by the thread that
     * restarts the recording, hence the locks.
     */
    static final class Cut {
        private ProfileOptions options;
        private String engineName;
        private boolean fromJdk;
        private final long ownerId;
        private final String ownerThread;
        /** The window's own threads by Java id; {@code null}: every thread that is not the JVM's. */
        private final LongPredicate threads;

        private final boolean keepJvm;
        private final Map<String, Integer> roots;
        private final Map<ProfileKind, Profile.Builder> builders = new EnumMap<>(ProfileKind.class);
        private final Map<ProfileKind, Long> jvm = new EnumMap<>(ProfileKind.class);
        private final List<Pending> cpu = new ArrayList<>();
        private final List<Pending> wall = new ArrayList<>();
        private final Set<String> running = new HashSet<>();
        private Map<String, String> extraLabels = Map.of();
        /**
         * A reader's shared stacks to the stack this cut keeps (without the recorder's leaf frames, from the
         * root function on), for a test's threads and for the JVM's: one instance per stack, as
         * {@link #aggregate} and {@link #exactAllocations} need.
         */
        private final IdentityHashMap<List<Frame>, List<Frame>> kept = new IdentityHashMap<>();

        private final IdentityHashMap<List<Frame>, List<Frame>> keptJvm = new IdentityHashMap<>();

        /** Whether CPU and wall samples with one stack and the same labels become one sample ({@link #whole}). */
        private final boolean aggregate;
        /**
         * Allocation samples of an every-allocation recording, summed per stack instance, thread, class and
         * labels (in first-seen order): one event per allocation, so an event costs a lookup that reads no
         * frame and builds no label map.
         */
        private final Map<ExactKey, Exact> exactAllocations = new LinkedHashMap<>();

        /** What an allocation event of an every-allocation recording is summed by; stacks by identity. */
        private record ExactKey(
                List<Frame> stack, String thread, String type, Map<String, String> extra, String region) {
            @Override
            public boolean equals(Object o) {
                return o instanceof ExactKey k
                        && k.stack == stack
                        && k.extra == extra
                        && k.thread.equals(thread)
                        && java.util.Objects.equals(k.type, type)
                        && java.util.Objects.equals(k.region, region);
            }

            @Override
            public int hashCode() {
                return (System.identityHashCode(stack) * 31 + thread.hashCode()) * 31
                        + java.util.Objects.hashCode(type);
            }
        }

        /** The sums of one {@link ExactKey}. */
        private static final class Exact {
            final List<Frame> stack;
            final Map<String, String> labels;
            long objects;
            long bytes;

            Exact(List<Frame> stack, Map<String, String> labels) {
                this.stack = stack;
                this.labels = labels;
            }
        }

        private final Map<PendingKey, Pending> merged = new HashMap<>();

        private static final class Pending {
            final List<Frame> stack;
            final String thread;
            long count;
            long value;
            final Map<String, String> labels;

            Pending(List<Frame> stack, String thread, long count, long value, Map<String, String> labels) {
                this.stack = stack;
                this.thread = thread;
                this.count = count;
                this.value = value;
                this.labels = labels;
            }
        }

        /**
         * {@code pending} sorted by their stacks compared from the root, frame by frame (function, file,
         * line), a stack before the longer ones it is the root end of; stable, so samples of one stack keep
         * their order. Samples of one code path then follow each other, which gzip compresses better (a
         * 1,000-test run's {@code cpu.pb.gz} is 3% smaller than in the order of the recording).
         */
        private static void sortRootFirst(List<Pending> pending) {
            if (pending.size() < 2) {
                return;
            }
            IdentityHashMap<List<Frame>, Frame[]> arrays = new IdentityHashMap<>();
            Frame[][] stacks = new Frame[pending.size()][];
            int[] order = new int[pending.size()];
            for (int i = 0; i < stacks.length; i++) {
                stacks[i] = arrays.computeIfAbsent(pending.get(i).stack, l -> l.toArray(Frame[]::new));
                order[i] = i;
            }
            sortFrom(order, stacks);
            Pending[] sorted = new Pending[order.length];
            for (int i = 0; i < order.length; i++) {
                sorted[i] = pending.get(order[i]);
            }
            pending.clear();
            pending.addAll(Arrays.asList(sorted));
        }

        /**
         * Sorts {@code order}, indices into {@code stacks}, by the stacks' frames from the root: one depth at a
         * time, each range of stacks that share their frames so far split into a group per frame at the next
         * depth, so that the frames most stacks share (a test runner's) are looked at once per stack, not
         * once per comparison.
         */
        private static void sortFrom(int[] order, Frame[][] stacks) {
            // ranges still to sort (from, to, depth): a work list, not recursion, as stacks can be 2,048 frames deep
            int[] work = {0, order.length, 0};
            int pending = 3;
            while (pending > 0) {
                int depth = work[--pending];
                int to = work[--pending];
                int from = work[--pending];
                while (to - from > 1 && sameFrameAt(order, stacks, from, to, depth)) {
                    depth++;
                }
                if (to - from <= 1) {
                    continue;
                }
                int[] starts = groupAt(order, stacks, from, to, depth);
                if (pending + 3 * (starts.length - 1) > work.length) {
                    work = Arrays.copyOf(work, Math.max(work.length * 2, pending + 3 * (starts.length - 1)));
                }
                for (int g = 0; g + 1 < starts.length; g++) {
                    work[pending++] = starts[g];
                    work[pending++] = starts[g + 1];
                    work[pending++] = depth + 1;
                }
            }
        }

        /** Whether every stack of {@code order[from, to)} has the same frame {@code depth} frames from the root. */
        private static boolean sameFrameAt(int[] order, Frame[][] stacks, int from, int to, int depth) {
            Frame first = frameAt(stacks[order[from]], depth);
            if (first == null) {
                return false;
            }
            for (int i = from + 1; i < to; i++) {
                Frame f = frameAt(stacks[order[i]], depth);
                if (f == null || compareFrames(f, first) != 0) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Reorders {@code order[from, to)}, stable: the stacks that end before {@code depth} first, then a group
         * per frame at {@code depth}, in frame order. Returns where each group starts, and {@code to}.
         */
        private static int[] groupAt(int[] order, Frame[][] stacks, int from, int to, int depth) {
            int[] group = new int[to - from]; // -1: the stack ends before depth
            Map<Frame, Integer> ids = new HashMap<>();
            List<Frame> frames = new ArrayList<>();
            int ended = 0;
            for (int i = from; i < to; i++) {
                Frame f = frameAt(stacks[order[i]], depth);
                if (f == null) {
                    group[i - from] = -1;
                    ended++;
                } else {
                    group[i - from] = ids.computeIfAbsent(f, k -> {
                        frames.add(k);
                        return frames.size() - 1;
                    });
                }
            }
            Integer[] byFrame = new Integer[frames.size()];
            Arrays.setAll(byFrame, g -> g);
            Arrays.sort(byFrame, (a, b) -> compareFrames(frames.get(a), frames.get(b)));
            int[] sizes = new int[frames.size()];
            for (int g : group) {
                if (g >= 0) {
                    sizes[g]++;
                }
            }
            int[] starts = new int[frames.size() + 1];
            int[] next = new int[frames.size()]; // by group id: where its next stack goes
            starts[0] = from + ended;
            for (int r = 0; r < byFrame.length; r++) {
                next[byFrame[r]] = starts[r];
                starts[r + 1] = starts[r] + sizes[byFrame[r]];
            }
            int[] copy = Arrays.copyOfRange(order, from, to);
            int nextEnded = from;
            for (int i = 0; i < copy.length; i++) {
                order[group[i] < 0 ? nextEnded++ : next[group[i]]++] = copy[i];
            }
            return starts;
        }

        /** The frame {@code depth} frames from the root of {@code stack} (leaf first), or {@code null} past its end. */
        private static Frame frameAt(Frame[] stack, int depth) {
            return depth < stack.length ? stack[stack.length - 1 - depth] : null;
        }

        // equal frames of one read are one instance: compared by content only where they differ
        @SuppressWarnings("ReferenceEquality")
        static int compareFrames(Frame x, Frame y) {
            if (x == y) {
                return 0;
            }
            int c = x.function().compareTo(y.function());
            if (c == 0) {
                c = x.file().compareTo(y.file());
            }
            return c != 0 ? c : Integer.compare(x.line(), y.line());
        }

        /** Stacks are shared instances ({@link Stacks}): one stack is one list. */
        private record PendingKey(ProfileKind kind, List<Frame> stack, Map<String, String> labels) {
            @Override
            public boolean equals(Object o) {
                return o instanceof PendingKey k && k.kind == kind && k.stack == stack && k.labels.equals(labels);
            }

            @Override
            public int hashCode() {
                return (kind.hashCode() * 31 + System.identityHashCode(stack)) * 31 + labels.hashCode();
            }
        }

        /**
         * @param ownerId the Java id of the thread that opened the window, or -1
         * @param threads the window's threads, or {@code null} for every thread but the JVM's
         * @param keepJvm whether the JVM's threads are kept too ({@code jprof.threads=all})
         */
        Cut(
                ProfileOptions options,
                String engineName,
                long ownerId,
                String ownerThread,
                LongPredicate threads,
                boolean keepJvm) {
            this(options, engineName, ownerId, ownerThread, threads, keepJvm, false);
        }

        private Cut(
                ProfileOptions options,
                String engineName,
                long ownerId,
                String ownerThread,
                LongPredicate threads,
                boolean keepJvm,
                boolean aggregate) {
            this.aggregate = aggregate;
            this.options = options;
            this.engineName = engineName;
            this.fromJdk = engineName.equals("jfr");
            this.ownerId = ownerId;
            this.ownerThread = ownerThread;
            this.threads = threads;
            this.keepJvm = keepJvm;
            this.roots = ranks(options.rootFunctions());
            for (ProfileKind kind : options.kinds()) {
                builders.put(kind, Profile.builder(kind).period(period(kind)));
            }
        }

        /**
         * A cut of a whole recording: every thread, the JVM's too; CPU and wall samples with one stack and
         * the same labels are one sample whose {@code samples} value counts them (so the number of
         * sampling events stays known), and their values are taken from the options the cut has when it
         * {@linkplain #finish finishes} ({@link #reconfigure}), which a reader learns from the recording's
         * settings only as it reads them. Allocation and lock events stay one sample each: the number of
         * samples is what tells how precise their shares are.
         */
        static Cut whole(ProfileOptions options, String engineName) {
            return new Cut(options, engineName, -1, "", null, true, true);
        }

        ProfileOptions options() {
            return options;
        }

        /** For a suite's cut: the recording restarted with {@code running}; later samples weigh by its intervals. */
        synchronized void reconfigure(ProfileOptions running, String engine) {
            this.options = running;
            this.engineName = engine;
            this.fromJdk = engine.equals("jfr");
            for (ProfileKind kind : running.kinds()) {
                builders.computeIfAbsent(kind, k -> Profile.builder(k).period(period(k)));
            }
        }

        /** Labels added to every following sample, for example the test of a suite profile's samples. */
        void labels(Map<String, String> labels) {
            this.extraLabels = labels;
        }

        /** Whether {@code e}'s thread is this window's. */
        boolean accepts(Event e) {
            if (!builders.containsKey(e.kind())) {
                return false;
            }
            if (threads != null) {
                return e.javaThreadId() == ownerId
                        || threads.test(e.javaThreadId())
                        || (keepJvm && JvmThreads.isJvm(e.thread(), e.javaThreadId()));
            }
            return keepJvm || !JvmThreads.isJvm(e.thread(), e.javaThreadId());
        }

        /** Adds {@code e} when its thread is this window's; else counts it as the JVM's when it is. */
        synchronized void add(Event e) {
            if (!builders.containsKey(e.kind())) {
                return;
            }
            if (!accepts(e)) {
                if (JvmThreads.isJvm(e.thread(), e.javaThreadId())) {
                    jvm.merge(e.kind(), value(e), Long::sum);
                }
                return;
            }
            List<Frame> full = e.stack();
            if (full == null) {
                return; // jprof opening or closing a window
            }
            List<Frame> stack = JvmThreads.isJvm(e.thread(), e.javaThreadId())
                    ? keptJvm.computeIfAbsent(full, f -> fromRoot(f, roots))
                    : kept.computeIfAbsent(full, f -> fromRoot(withoutRecordersLeaf(f), roots));
            if (e.kind() == ProfileKind.ALLOC && options.allocInterval() <= 1) {
                // every allocation recorded (exact counting): millions of events, no statistics drawn
                // from their number, so one sample per stack and labels holds the same figures
                String region = aggregate ? null : Regions.get().at(e.javaThreadId(), e.epochNanos());
                ExactKey key = new ExactKey(stack, e.thread(), e.labelValue(), extraLabels, region);
                Exact sum = exactAllocations.get(key);
                if (sum == null) {
                    Map<String, String> labels =
                            aggregate ? labels(e) : Regions.get().label(labels(e), e.javaThreadId(), e.epochNanos());
                    sum = new Exact(stack, labels);
                    exactAllocations.put(key, sum);
                }
                sum.objects += e.count();
                sum.bytes += e.value();
                return;
            }
            // regions live in this JVM's memory, for its own recording's windows; a file read whole (Jfr.read)
            // has none, and must not need jprof-api on the class path (java -cp jprof-core.jar ...Jfr)
            Map<String, String> labels =
                    aggregate ? labels(e) : Regions.get().label(labels(e), e.javaThreadId(), e.epochNanos());
            switch (e.kind()) {
                case CPU -> pend(cpu, e.kind(), stack, e.thread(), 1, value(e), labels);
                case WALL -> {
                    if (e.running()) {
                        running.add(e.thread());
                    }
                    pend(wall, e.kind(), stack, e.thread(), e.count(), value(e), labels);
                }
                default -> builders.get(e.kind()).addSample(stack, new long[] {e.count(), e.value()}, labels);
            }
        }

        private void pend(
                List<Pending> to,
                ProfileKind kind,
                List<Frame> stack,
                String thread,
                long count,
                long value,
                Map<String, String> labels) {
            if (!aggregate) {
                to.add(new Pending(stack, thread, count, value, labels));
                return;
            }
            Pending p = merged.get(new PendingKey(kind, stack, labels));
            if (p == null) {
                p = new Pending(stack, thread, 0, 0, labels);
                merged.put(new PendingKey(kind, stack, labels), p);
                to.add(p);
            }
            p.count += count;
        }

        private Map<String, String> labels(Event e) {
            if (e.labelValue() == null && extraLabels.isEmpty()) {
                return Map.of(Sample.THREAD_LABEL, e.thread());
            }
            Map<String, String> labels = new HashMap<>(extraLabels);
            labels.put(Sample.THREAD_LABEL, e.thread());
            if (e.labelValue() != null) {
                labels.put(e.labelKey(), e.labelValue());
            }
            return labels;
        }

        /** The value an event stands for, as its profile counts it (before timer calibration). */
        private long value(Event e) {
            return switch (e.kind()) {
                case CPU -> period(ProfileKind.CPU);
                case WALL -> e.count() * period(ProfileKind.WALL);
                default -> e.value();
            };
        }

        /**
         * The profiles.
         *
         * @param ownerCpuNanos the CPU time the owner thread used during the window (or -1): it calibrates
         *     CPU samples of timer engines ({@code ctimer}, {@code itimer}), which fire at most once per
         *     kernel tick however short the interval asked for
         * @param engine async-profiler's CPU engine, or {@code null}
         */
        synchronized Result finish(long startEpochNanos, long durationNanos, long ownerCpuNanos, String engine) {
            // equal stacks of separate reads (segments) are separate instances: one sample per stack and labels
            Map<List<Object>, long[]> sums = new LinkedHashMap<>();
            for (Exact x : exactAllocations.values()) {
                long[] sum = sums.computeIfAbsent(List.of(x.stack, x.labels), k -> new long[2]);
                sum[0] += x.objects;
                sum[1] += x.bytes;
            }
            sums.forEach((key, sum) -> {
                @SuppressWarnings("unchecked")
                List<Frame> stack = (List<Frame>) key.get(0);
                @SuppressWarnings("unchecked")
                Map<String, String> labels = (Map<String, String>) key.get(1);
                builders.get(ProfileKind.ALLOC).addSample(stack, sum, labels);
            });
            exactAllocations.clear();
            long cpuWeight = -1;
            if (engine != null && (engine.equals("ctimer") || engine.equals("itimer")) && ownerCpuNanos > 0) {
                long own = cpu.stream()
                        .filter(p -> p.thread.equals(ownerThread))
                        .mapToLong(p -> p.count)
                        .sum();
                if (own > 0) {
                    cpuWeight = ownerCpuNanos / own;
                }
            }
            if (aggregate) {
                // the periods are known now (see whole)
                builders.forEach((kind, b) -> b.period(period(kind)));
            }
            sortRootFirst(cpu);
            sortRootFirst(wall);
            for (Pending p : cpu) {
                long value =
                        cpuWeight > 0 ? p.count * cpuWeight : aggregate ? p.count * period(ProfileKind.CPU) : p.value;
                builders.get(ProfileKind.CPU).addSample(p.stack, new long[] {p.count, value}, p.labels);
            }
            for (Pending p : wall) {
                if ((p.thread.equals(ownerThread) || running.contains(p.thread))
                        && !idle(p.stack)
                        && !p.stack.stream().allMatch(f -> f.file().isEmpty())) {
                    long value = aggregate ? p.count * period(ProfileKind.WALL) : p.value;
                    builders.get(ProfileKind.WALL).addSample(p.stack, new long[] {p.count, value}, p.labels);
                }
            }
            String ran = engine == null || engine.equals("noop") ? engineName : engineName + "/" + engine;
            Map<ProfileKind, Profile> profiles = new EnumMap<>(ProfileKind.class);
            builders.forEach((kind, b) -> profiles.put(
                    kind,
                    b.startEpochNanos(startEpochNanos)
                            .durationNanos(durationNanos)
                            .comment("engine=" + ran)
                            .build()));
            return new Result(profiles, ran, jvm);
        }

        private long period(ProfileKind kind) {
            return switch (kind) {
                case CPU ->
                    fromJdk
                            ? Math.max(options.cpuInterval().toNanos(), JdkChannel.MIN_PERIOD.toNanos())
                            : options.cpuInterval().toNanos();
                case WALL ->
                    fromJdk
                            ? Math.max(
                                    options.kinds().contains(ProfileKind.CPU)
                                            ? options.cpuInterval().toNanos()
                                            : options.wallInterval().toNanos(),
                                    JdkChannel.MIN_PERIOD.toNanos())
                            : options.wallInterval().toNanos();
                case ALLOC -> options.allocInterval();
                case LOCK -> options.lockThreshold().toNanos();
            };
        }
    }

    /**
     * {@code stack} without the frames of JDK Flight Recorder's instrumentation at its leaf end: the JDK
     * times and commits events such as {@code jdk.ThreadSleep} or {@code jdk.FileRead} on the thread
     * that caused them (JDK 25's {@code Thread.sleep} calls {@code jdk.jfr.internal.event.EventConfiguration.timestamp}),
     * and that is the recording's work, not the profiled code's: a sample there counts for the
     * instrumented caller. The leaf-most {@code jdk.jfr.} frames and the native frames they called are
     * dropped; a stack in which nothing else is left stays whole.
     */
    static List<Frame> withoutRecordersLeaf(List<Frame> stack) {
        int last = -1;
        for (int i = 0; i < stack.size(); i++) {
            Frame f = stack.get(i);
            if (f.function().startsWith("jdk.jfr.")) {
                last = i;
            } else if (!f.file().isEmpty()) {
                break; // the first Java frame that is not the recorder's
            }
        }
        return last < 0 || last == stack.size() - 1 ? stack : stack.subList(last + 1, stack.size());
    }

    private static boolean idle(List<Frame> stack) {
        for (Frame f : stack) {
            if (IDLE_FRAMES.contains(f.function())) {
                return true;
            }
        }
        return false;
    }

    /** The whole stack of a trace, leaf first, named as in profiles; for {@link JfrTimelineReader}. */
    static List<Frame> stack(Stacks stacks, RecordedStackTrace trace, Map<String, Integer> roots) {
        List<Frame> full = stacks.of(trace);
        return full == null ? null : fromRoot(full, roots);
    }

    private static Frame frameOf(RecordedMethod m) {
        return frameOf(m.getType() == null ? "" : stableOwner(m.getType().getName()), m.getName(), m.getDescriptor());
    }

    /** A method's frame without a line: Java form for Java methods, the bare symbol for native code. */
    private static Frame frameOf(String owner, String name, String descriptor) {
        boolean java = descriptor != null
                && descriptor.startsWith("(")
                && !descriptor.equals("()L")
                && !owner.isEmpty()
                && !owner.contains(".so");
        if (!java) {
            return Frame.of(name);
        }
        return new Frame(owner + "." + name, sourceFile(owner), 0);
    }

    /**
     * Hidden classes carry per-run ids ({@code Foo$$Lambda$703+0x00007f16.629454893},
     * {@code Foo$$Lambda$703.0x00007f16}); drop them so profiles of two runs compare.
     */
    static String stableOwner(String owner) {
        int lambda = owner.indexOf("$$Lambda");
        if (lambda >= 0) {
            return owner.substring(0, lambda + "$$Lambda".length());
        }
        for (String marker : new String[] {"+0x", "/0x", ".0x"}) {
            int at = owner.indexOf(marker);
            if (at > 0) {
                return owner.substring(0, at);
            }
        }
        return owner;
    }

    /** {@code byte[]} for {@code [B}, {@code java.lang.String[][]} for {@code [[Ljava.lang.String;}; other names unchanged. */
    static String javaClassName(String name) {
        int dims = 0;
        while (dims < name.length() && name.charAt(dims) == '[') {
            dims++;
        }
        if (dims == 0) {
            return name;
        }
        String element = switch (name.charAt(dims)) {
            case 'Z' -> "boolean";
            case 'B' -> "byte";
            case 'C' -> "char";
            case 'S' -> "short";
            case 'I' -> "int";
            case 'J' -> "long";
            case 'F' -> "float";
            case 'D' -> "double";
            case 'L' ->
                name.substring(dims + 1, name.endsWith(";") ? name.length() - 1 : name.length())
                        .replace('/', '.');
            default -> name.substring(dims);
        };
        return element + "[]".repeat(dims);
    }

    /** {@code com/acme/Parser.java} for {@code com.acme.Parser$Inner}: javac's convention, right for almost all code. */
    static String sourceFile(String className) {
        int dollar = className.indexOf('$');
        String outer = dollar > 0 ? className.substring(0, dollar) : className;
        return outer.replace('.', '/') + ".java";
    }

    static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /** The thread's Java id; 0 for a thread that runs no Java code (JDK 17 reads 0, JDK 21+ -1), -1 for none. */
    private static long javaId(RecordedThread t) {
        return t == null ? -1 : Math.max(0, t.getJavaThreadId());
    }

    private static String threadName(RecordedThread t) {
        if (t == null) {
            return "";
        }
        String name = t.getJavaName();
        return name != null ? name : t.getOSName() == null ? "" : t.getOSName();
    }
}
