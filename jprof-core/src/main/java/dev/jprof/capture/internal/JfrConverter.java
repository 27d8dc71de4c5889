package dev.jprof.capture.internal;

import dev.jprof.capture.CaptureException;
import dev.jprof.capture.ProfileOptions;
import dev.jprof.profile.Frame;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import dev.jprof.profile.Sample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Turns a JFR recording, written by async-profiler or by the JDK, into one {@link Profile} per
 * requested kind. This is the only place where JFR events become the model.
 *
 * <ul>
 *   <li>CPU: {@code jdk.ExecutionSample}, one sample = one interval of CPU time.
 *   <li>Wall: {@code profiler.WallClockSample} (async-profiler, which batches {@code samples} per
 *       event) or, from the JDK, {@code jdk.ExecutionSample} and {@code jdk.NativeMethodSample}.
 *       Only the thread that started the capture and threads seen running during it are kept; pool
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

    /** async-profiler's state of a wall sample of a thread that was not running (others: STATE_RUNNABLE, STATE_DEFAULT). */
    private static final String SLEEPING = "STATE_SLEEPING";

    /** Where pool threads wait for a task: wall time spent there is idle, not the profiled code's. */
    private static final Set<String> IDLE_FRAMES = Set.of(
            "java.util.concurrent.ThreadPoolExecutor.getTask",
            "java.util.concurrent.ForkJoinPool.awaitWork");

    /**
     * Frames of jprof starting or stopping a capture: samples in them are jprof's work, not the
     * profiled code's. async-profiler's own Java API is listed too, for stacks that end at it.
     */
    private static final Set<String> OWN_FRAMES = Set.of(
            "dev.jprof.capture.Profiler.start",
            "dev.jprof.capture.ProfilingSession.stopRecording",
            "dev.jprof.capture.ProfilingSession.close",
            "one.profiler.AsyncProfiler.execute",
            "one.profiler.AsyncProfiler.execute0",
            "dev.jprof.trace.TraceSession.<init>",
            "dev.jprof.trace.TraceSession.stopRecording",
            "dev.jprof.trace.TraceSession.close");

    private final ProfileOptions options;
    private final String engineName;
    private final boolean fromJdk;
    private final String ownerThread;
    private final Map<String, Integer> roots;
    private final Map<RecordedMethod, Frame> methods = new IdentityHashMap<>();

    /**
     * @param options what was recorded
     * @param engineName the engine that wrote the file, {@code async-profiler} or {@code jfr} (the JDK)
     * @param ownerThread the name of the thread that started the capture
     */
    public JfrConverter(ProfileOptions options, String engineName, String ownerThread) {
        this.options = options;
        this.engineName = engineName;
        this.fromJdk = engineName.equals("jfr");
        this.ownerThread = ownerThread;
        this.roots = new HashMap<>();
        List<String> rootFunctions = options.rootFunctions();
        for (int i = rootFunctions.size() - 1; i >= 0; i--) {
            roots.put(rootFunctions.get(i), i);
        }
    }

    /**
     * What a conversion gives.
     *
     * @param profiles one profile per kind
     * @param engine the engine that ran, with async-profiler's own CPU engine where it reports one:
     *     {@code async-profiler/perf_events}, {@code async-profiler/ctimer}, {@code jfr}
     */
    public record Result(Map<ProfileKind, Profile> profiles, String engine) {}

    /**
     * Reads {@code jfrFile}.
     *
     * Every profile gets the comment {@code engine=<engine>}.
     *
     * @throws CaptureException naming the file when it cannot be read
     */
    public Result convert(Path jfrFile, long startEpochNanos, long durationNanos) {
        return convert(jfrFile, startEpochNanos, durationNanos, -1);
    }

    /**
     * Reads {@code jfrFile}; {@code ownerCpuNanos}, the CPU time the capturing thread used during the
     * capture (or -1), calibrates CPU samples of timer-based engines ({@code ctimer}, {@code itimer}),
     * which fire at most once per kernel tick however short the interval asked for.
     */
    public Result convert(Path jfrFile, long startEpochNanos, long durationNanos, long ownerCpuNanos) {
        Map<ProfileKind, Profile.Builder> builders = new EnumMap<>(ProfileKind.class);
        for (ProfileKind kind : options.kinds()) {
            Profile.Builder b = Profile.builder(kind).startEpochNanos(startEpochNanos).durationNanos(durationNanos);
            b.period(period(kind));
            builders.put(kind, b);
        }
        List<Pending> cpu = new ArrayList<>();
        List<Pending> wall = new ArrayList<>();
        Set<String> running = new HashSet<>();
        String engine = null;
        try (RecordingFile file = new RecordingFile(jfrFile)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                String type = e.getEventType().getName();
                switch (type) {
                    case "jdk.ActiveSetting" -> {
                        if ("engine".equals(e.getString("name"))) {
                            engine = e.getString("value");
                        }
                    }
                    case "jdk.ExecutionSample" -> {
                        String thread = threadName(e.getThread("sampledThread"));
                        running.add(thread);
                        cpu.add(new Pending(e, thread, 1));
                        if (fromJdk && builders.containsKey(ProfileKind.WALL)) {
                            wall.add(new Pending(e, thread, 1));
                        }
                    }
                    case "jdk.NativeMethodSample" -> wall.add(new Pending(e, threadName(e.getThread("sampledThread")), 1));
                    case "profiler.WallClockSample" -> {
                        RecordedThread t = e.getThread("sampledThread");
                        if (t != null && t.getJavaName() != null) {
                            String thread = threadName(t);
                            if (!SLEEPING.equals(e.getString("state"))) {
                                running.add(thread);
                            }
                            wall.add(new Pending(e, thread, Math.max(1, e.getInt("samples"))));
                        }
                    }
                    case "jdk.ObjectAllocationInNewTLAB", "jdk.ObjectAllocationOutsideTLAB", "jdk.ObjectAllocationSample" -> {
                        long size = e.hasField("allocationSize") ? e.getLong("allocationSize") : 0;
                        long weight = e.hasField("weight") ? e.getLong("weight")
                                : e.hasField("tlabSize") && e.getLong("tlabSize") > 0 ? e.getLong("tlabSize") : size;
                        long objects = size > 0 ? Math.max(1, Math.round((double) weight / size)) : 1;
                        RecordedClass c = e.getClass("objectClass");
                        add(builders, ProfileKind.ALLOC, e, threadName(e.getThread("eventThread")), objects, weight,
                                CLASS_LABEL, c == null ? null : javaClassName(c.getName()));
                    }
                    case "jdk.JavaMonitorEnter" -> addLock(builders, e, e.getClass("monitorClass"));
                    case "jdk.ThreadPark" -> {
                        RecordedClass c = e.getClass("parkedClass");
                        if (!fromJdk || (c != null && c.getName().startsWith("java.util.concurrent.locks."))) {
                            addLock(builders, e, c);
                        }
                    }
                    default -> { }
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new CaptureException("Cannot read the JFR recording [" + jfrFile + "]: " + e, e);
        }
        long cpuWeight = period(ProfileKind.CPU);
        if (engine != null && (engine.equals("ctimer") || engine.equals("itimer")) && ownerCpuNanos > 0) {
            long own = cpu.stream().filter(p -> p.thread.equals(ownerThread)).count();
            if (own > 0) {
                cpuWeight = ownerCpuNanos / own;
            }
        }
        for (Pending p : cpu) {
            add(builders, ProfileKind.CPU, p.event, p.thread, 1, cpuWeight, null, null);
        }
        long wallPeriod = period(ProfileKind.WALL);
        for (Pending p : wall) {
            if ((p.thread.equals(ownerThread) || running.contains(p.thread)) && !idle(p.event.getStackTrace())) {
                add(builders, ProfileKind.WALL, p.event, p.thread, p.count, p.count * wallPeriod, null, null);
            }
        }
        String ran = engine == null || engine.equals("noop") ? engineName : engineName + "/" + engine;
        Map<ProfileKind, Profile> profiles = new EnumMap<>(ProfileKind.class);
        builders.forEach((kind, b) -> profiles.put(kind, b.comment("engine=" + ran).build()));
        return new Result(profiles, ran);
    }

    private record Pending(RecordedEvent event, String thread, long count) {}

    private static boolean idle(RecordedStackTrace trace) {
        if (trace == null) {
            return false;
        }
        for (RecordedFrame f : trace.getFrames()) {
            RecordedMethod m = f.getMethod();
            if (m != null && m.getType() != null && IDLE_FRAMES.contains(m.getType().getName() + "." + m.getName())) {
                return true;
            }
        }
        return false;
    }

    private long period(ProfileKind kind) {
        return switch (kind) {
            case CPU -> fromJdk ? Math.max(options.cpuInterval().toNanos(), JfrEngine.MIN_PERIOD.toNanos())
                    : options.cpuInterval().toNanos();
            case WALL -> fromJdk ? Math.max(options.kinds().contains(ProfileKind.CPU)
                    ? options.cpuInterval().toNanos() : options.wallInterval().toNanos(), JfrEngine.MIN_PERIOD.toNanos())
                    : options.wallInterval().toNanos();
            case ALLOC -> options.allocInterval();
            case LOCK -> options.lockThreshold().toNanos();
        };
    }

    private void addLock(Map<ProfileKind, Profile.Builder> builders, RecordedEvent e, RecordedClass lock) {
        add(builders, ProfileKind.LOCK, e, threadName(e.getThread("eventThread")), 1, e.getDuration().toNanos(),
                LOCK_LABEL, lock == null ? null : javaClassName(lock.getName()));
    }

    private void add(Map<ProfileKind, Profile.Builder> builders, ProfileKind kind, RecordedEvent e, String thread,
            long count, long value, String labelKey, String labelValue) {
        Profile.Builder b = builders.get(kind);
        if (b == null || thread.equals(Background.THREAD_NAME)) {
            return; // jprof's own worker is never part of a profile
        }
        List<Frame> stack = stack(e.getStackTrace());
        if (stack == null) {
            return; // jprof starting or stopping the capture
        }
        if (kind == ProfileKind.WALL && stack.stream().allMatch(f -> f.file().isEmpty())) {
            return; // a JVM thread (JIT compiler, GC) that runs no Java code: its waiting is not the profiled code's
        }
        Map<String, String> labels = labelValue == null
                ? Map.of(Sample.THREAD_LABEL, thread)
                : Map.of(Sample.THREAD_LABEL, thread, labelKey, labelValue);
        b.addSample(stack, new long[] {count, value}, labels);
    }

    /**
     * The stack, leaf first, from its root function on; {@code null} for jprof's own start and stop.
     * Also used by {@link JfrTimelineReader}, so that traces name frames exactly as profiles do.
     */
    List<Frame> stack(RecordedStackTrace trace) {
        if (trace == null) {
            return List.of();
        }
        List<RecordedFrame> frames = trace.getFrames();
        List<Frame> stack = new ArrayList<>(frames.size());
        int root = -1;
        int rootRank = Integer.MAX_VALUE;
        for (RecordedFrame f : frames) {
            RecordedMethod m = f.getMethod();
            if (m == null) {
                continue;
            }
            Frame base = methods.computeIfAbsent(m, JfrConverter::frameOf);
            if (OWN_FRAMES.contains(base.function())) {
                return null;
            }
            Integer rank = roots.get(base.function());
            if (rank != null && rank <= rootRank) {
                root = stack.size();
                rootRank = rank;
            }
            int line = f.getLineNumber();
            stack.add(line > 0 && !base.file().isEmpty() ? new Frame(base.function(), base.file(), line) : base);
        }
        // the first root function listed that the stack contains, at its outermost occurrence, becomes
        // the root: its callers are dropped (ProfileOptions#withRootFunctions)
        return root >= 0 ? stack.subList(0, root + 1) : stack;
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

    private static String threadName(RecordedThread t) {
        if (t == null) {
            return "";
        }
        String name = t.getJavaName();
        return name != null ? name : t.getOSName() == null ? "" : t.getOSName();
    }
}
