package dev.jprof.capture.internal;

import dev.jprof.capture.CaptureException;
import dev.jprof.capture.ProfileOptions;
import dev.jprof.profile.Frame;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import dev.jprof.profile.Sample;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
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

/**
 * Turns JFR recordings, written by async-profiler or by the JDK, into {@link Profile}s. This is the
 * only place where JFR events become the model: {@link #read} reads a recording's events once, and
 * any number of {@link Cut}s (one per test window, one for the whole suite) take the events of their
 * time span and threads.
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
    private static final Set<String> IDLE_FRAMES = Set.of(
            "java.util.concurrent.ThreadPoolExecutor.getTask",
            "java.util.concurrent.ForkJoinPool.awaitWork");

    /**
     * Frames of jprof opening or closing a window and of async-profiler's Java API: samples in them
     * are jprof's work, not the profiled code's. Named from the classes, so a rename cannot silently
     * stop them from matching.
     */
    private static final Set<String> OWN_FRAMES = Set.of(
            Recorder.class.getName() + ".open",
            Recorder.class.getName() + ".close",
            Recorder.class.getName() + ".ensure",
            one.profiler.AsyncProfiler.class.getName() + ".execute",
            one.profiler.AsyncProfiler.class.getName() + ".execute0");

    private JfrConverter() {}

    /** One event of a recording that becomes a sample; its stack not yet named. */
    record Event(ProfileKind kind, long epochNanos, long javaThreadId, String thread, RecordedStackTrace trace, long count,
            long value, String labelKey, String labelValue, boolean running) {}

    /**
     * Reads the events of {@code jfrFile} that end in {@code [fromNanos, toNanos)} (epoch nanoseconds)
     * and that one of {@code kinds} needs, in file order.
     *
     * @param fromJdk whether the JDK wrote the file (else async-profiler)
     * @return async-profiler's CPU engine as its {@code engine} setting names it, or {@code null}
     * @throws CaptureException naming the file when it cannot be read
     */
    static String read(Path jfrFile, boolean fromJdk, Set<ProfileKind> kinds, long fromNanos, long toNanos,
            Consumer<Event> sink) {
        String engine = null;
        boolean wantWall = kinds.contains(ProfileKind.WALL);
        try (RecordingFile file = new RecordingFile(jfrFile)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                String type = e.getEventType().getName();
                if (type.equals("jdk.ActiveSetting")) {
                    if ("engine".equals(e.getString("name"))) {
                        engine = e.getString("value");
                    }
                    continue;
                }
                long end = nanos(e.getEndTime());
                if (end < fromNanos || end >= toNanos) {
                    continue;
                }
                long at = nanos(e.getStartTime());
                switch (type) {
                    case "jdk.ExecutionSample" -> {
                        RecordedThread t = e.getThread("sampledThread");
                        if (kinds.contains(ProfileKind.CPU)) {
                            sink.accept(new Event(ProfileKind.CPU, at, javaId(t), threadName(t), e.getStackTrace(), 1, 0, null, null, true));
                        }
                        if (fromJdk && wantWall) {
                            sink.accept(new Event(ProfileKind.WALL, at, javaId(t), threadName(t), e.getStackTrace(), 1, 0, null, null, true));
                        }
                    }
                    case "jdk.NativeMethodSample" -> {
                        if (wantWall) {
                            RecordedThread t = e.getThread("sampledThread");
                            sink.accept(new Event(ProfileKind.WALL, at, javaId(t), threadName(t), e.getStackTrace(), 1, 0, null, null, false));
                        }
                    }
                    case "profiler.WallClockSample" -> {
                        RecordedThread t = e.getThread("sampledThread");
                        if (wantWall && t != null && t.getJavaName() != null) {
                            sink.accept(new Event(ProfileKind.WALL, at, javaId(t), threadName(t), e.getStackTrace(),
                                    Math.max(1, e.getInt("samples")), 0, null, null, !SLEEPING.equals(e.getString("state"))));
                        }
                    }
                    case "jdk.ObjectAllocationInNewTLAB", "jdk.ObjectAllocationOutsideTLAB", "jdk.ObjectAllocationSample" -> {
                        if (kinds.contains(ProfileKind.ALLOC)) {
                            long size = e.hasField("allocationSize") ? e.getLong("allocationSize") : 0;
                            long weight = e.hasField("weight") ? e.getLong("weight")
                                    : e.hasField("tlabSize") && e.getLong("tlabSize") > 0 ? e.getLong("tlabSize") : size;
                            long objects = size > 0 ? Math.max(1, Math.round((double) weight / size)) : 1;
                            RecordedClass c = e.getClass("objectClass");
                            RecordedThread t = e.getThread("eventThread");
                            sink.accept(new Event(ProfileKind.ALLOC, at, javaId(t), threadName(t), e.getStackTrace(), objects, weight,
                                    CLASS_LABEL, c == null ? null : javaClassName(c.getName()), true));
                        }
                    }
                    case "jdk.JavaMonitorEnter" -> {
                        if (kinds.contains(ProfileKind.LOCK)) {
                            sink.accept(lock(e, at, e.getClass("monitorClass")));
                        }
                    }
                    case "jdk.ThreadPark" -> {
                        RecordedClass c = e.getClass("parkedClass");
                        if (kinds.contains(ProfileKind.LOCK)
                                && (!fromJdk || (c != null && c.getName().startsWith("java.util.concurrent.locks.")))) {
                            sink.accept(lock(e, at, c));
                        }
                    }
                    default -> { }
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new CaptureException("Cannot read the JFR recording [" + jfrFile + "]: " + e, e);
        }
        return engine;
    }

    private static Event lock(RecordedEvent e, long at, RecordedClass lock) {
        RecordedThread t = e.getThread("eventThread");
        return new Event(ProfileKind.LOCK, at, javaId(t), threadName(t), e.getStackTrace(), 1, e.getDuration().toNanos(),
                LOCK_LABEL, lock == null ? null : javaClassName(lock.getName()), true);
    }

    /** Names stack frames once per recording: JFR hands the same stack trace object to every event that has it. */
    static final class Stacks {
        private final Map<RecordedMethod, Frame> methods = new IdentityHashMap<>();
        private final Map<RecordedStackTrace, List<Frame>> stacks = new IdentityHashMap<>();
        private static final List<Frame> OWN = List.of(new Frame("(jprof)", "", 0));

        /** The whole stack, leaf first; {@code null} for jprof's own work. */
        List<Frame> of(RecordedStackTrace trace) {
            if (trace == null) {
                return List.of();
            }
            List<Frame> s = stacks.computeIfAbsent(trace, this::convert);
            return s == OWN ? null : s;
        }

        private List<Frame> convert(RecordedStackTrace trace) {
            List<RecordedFrame> frames = trace.getFrames();
            List<Frame> stack = new ArrayList<>(frames.size());
            for (RecordedFrame f : frames) {
                RecordedMethod m = f.getMethod();
                if (m == null) {
                    continue;
                }
                Frame base = methods.computeIfAbsent(m, JfrConverter::frameOf);
                if (OWN_FRAMES.contains(base.function())) {
                    return OWN;
                }
                int line = f.getLineNumber();
                stack.add(line > 0 && !base.file().isEmpty() ? new Frame(base.function(), base.file(), line) : base);
            }
            return List.copyOf(stack);
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

        private record Pending(List<Frame> stack, String thread, long count, long value, Map<String, String> labels) {}

        /**
         * @param ownerId the Java id of the thread that opened the window, or -1
         * @param threads the window's threads, or {@code null} for every thread but the JVM's
         * @param keepJvm whether the JVM's threads are kept too ({@code jprof.threads=all})
         */
        Cut(ProfileOptions options, String engineName, long ownerId, String ownerThread, LongPredicate threads, boolean keepJvm) {
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
            boolean isJvm = JvmThreads.isJvm(e.thread(), e.javaThreadId());
            if (threads != null) {
                return e.javaThreadId() == ownerId || threads.test(e.javaThreadId()) || (keepJvm && isJvm);
            }
            return keepJvm || !isJvm;
        }

        /** Adds {@code e} when its thread is this window's; else counts it as the JVM's when it is. */
        synchronized void add(Event e, Stacks stacks) {
            if (!builders.containsKey(e.kind())) {
                return;
            }
            if (!accepts(e)) {
                if (JvmThreads.isJvm(e.thread(), e.javaThreadId())) {
                    jvm.merge(e.kind(), value(e), Long::sum);
                }
                return;
            }
            List<Frame> full = stacks.of(e.trace());
            if (full == null) {
                return; // jprof opening or closing a window
            }
            List<Frame> stack = fromRoot(full, roots);
            Map<String, String> labels = Regions.get().label(labels(e), e.javaThreadId(), e.epochNanos());
            switch (e.kind()) {
                case CPU -> cpu.add(new Pending(stack, e.thread(), 1, value(e), labels));
                case WALL -> {
                    if (e.running()) {
                        running.add(e.thread());
                    }
                    wall.add(new Pending(stack, e.thread(), e.count(), value(e), labels));
                }
                default -> builders.get(e.kind()).addSample(stack, new long[] {e.count(), e.value()}, labels);
            }
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
            long cpuWeight = -1;
            if (engine != null && (engine.equals("ctimer") || engine.equals("itimer")) && ownerCpuNanos > 0) {
                long own = cpu.stream().filter(p -> p.thread.equals(ownerThread)).count();
                if (own > 0) {
                    cpuWeight = ownerCpuNanos / own;
                }
            }
            for (Pending p : cpu) {
                builders.get(ProfileKind.CPU).addSample(p.stack, new long[] {1, cpuWeight > 0 ? cpuWeight : p.value}, p.labels);
            }
            for (Pending p : wall) {
                if ((p.thread.equals(ownerThread) || running.contains(p.thread)) && !idle(p.stack)
                        && !p.stack.stream().allMatch(f -> f.file().isEmpty())) {
                    builders.get(ProfileKind.WALL).addSample(p.stack, new long[] {p.count, p.value}, p.labels);
                }
            }
            String ran = engine == null || engine.equals("noop") ? engineName : engineName + "/" + engine;
            Map<ProfileKind, Profile> profiles = new EnumMap<>(ProfileKind.class);
            builders.forEach((kind, b) -> profiles.put(kind,
                    b.startEpochNanos(startEpochNanos).durationNanos(durationNanos).comment("engine=" + ran).build()));
            return new Result(profiles, ran, jvm);
        }

        private long period(ProfileKind kind) {
            return switch (kind) {
                case CPU -> fromJdk ? Math.max(options.cpuInterval().toNanos(), JdkChannel.MIN_PERIOD.toNanos())
                        : options.cpuInterval().toNanos();
                case WALL -> fromJdk ? Math.max(options.kinds().contains(ProfileKind.CPU)
                        ? options.cpuInterval().toNanos() : options.wallInterval().toNanos(), JdkChannel.MIN_PERIOD.toNanos())
                        : options.wallInterval().toNanos();
                case ALLOC -> options.allocInterval();
                case LOCK -> options.lockThreshold().toNanos();
            };
        }
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

    /** A method's frame without a line: Java form for Java methods, the bare symbol for native code. */
    private static Frame frameOf(RecordedMethod m) {
        String owner = m.getType() == null ? "" : stableOwner(m.getType().getName());
        String descriptor = m.getDescriptor();
        boolean java = descriptor != null && descriptor.startsWith("(") && !descriptor.equals("()L")
                && !owner.isEmpty() && !owner.contains(".so");
        if (!java) {
            return Frame.of(m.getName());
        }
        return new Frame(owner + "." + m.getName(), sourceFile(owner), 0);
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
            case 'L' -> name.substring(dims + 1, name.endsWith(";") ? name.length() - 1 : name.length()).replace('/', '.');
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

    private static long javaId(RecordedThread t) {
        return t == null ? -1 : t.getJavaThreadId();
    }

    private static String threadName(RecordedThread t) {
        if (t == null) {
            return "";
        }
        String name = t.getJavaName();
        return name != null ? name : t.getOSName() == null ? "" : t.getOSName();
    }
}
