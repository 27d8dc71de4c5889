package dev.jprof.threads;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.capture.internal.FrameNames;
import dev.jprof.format.Pprof;
import dev.jprof.internal.AtomicFiles;
import dev.jprof.profile.Frame;
import dev.jprof.profile.Profile;
import dev.jprof.profile.Sample;
import dev.jprof.profile.ValueType;
import java.io.IOException;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A snapshot of every thread of this JVM, the JVM's goroutine profile: their states, stacks, the
 * locks they hold and wait for, and Java-level deadlocks. As text like {@code jstack}'s
 * ({@link #text(String)}) and as a pprof profile of thread counts ({@link #profile()}).
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ThreadDump {

    /** The sample type of {@link #profile()}: one per thread. */
    public static final ValueType THREADS = new ValueType("threads", "count");
    /** Label key of the thread's state ({@code RUNNABLE}, {@code BLOCKED}, {@code TIMED_WAITING}...) in {@link #profile()}. */
    public static final String STATE_LABEL = "state";
    /** Label key, {@code true}, of a virtual thread's sample in {@link #profile()}. */
    public static final String VIRTUAL_LABEL = "virtual";

    private final Instant takenAt;
    private final List<ThreadInfo> threads;
    private final List<ThreadInfo> deadlocked;
    private final List<VirtualThread> virtualThreads;

    /**
     * A virtual thread (JDK 21+), as the JDK's own thread dump lists it.
     *
     * @param id its Java id
     * @param name its name, {@code ""} when it has none
     * @param state its state when the JDK says it (JDK 24+), else {@code ""}
     * @param container the thread container it belongs to, for example an executor or {@code <root>}
     * @param stack its stack, top first
     */
    public record VirtualThread(long id, String name, String state, String container, List<StackTraceElement> stack) {

        public VirtualThread {
            stack = List.copyOf(stack);
        }
    }

    private ThreadDump(
            Instant takenAt,
            List<ThreadInfo> threads,
            List<ThreadInfo> deadlocked,
            List<VirtualThread> virtualThreads) {
        this.takenAt = takenAt;
        this.threads = List.copyOf(threads);
        this.deadlocked = List.copyOf(deadlocked);
        this.virtualThreads = List.copyOf(virtualThreads);
    }

    /**
     * Dumps every live thread, with the monitors and ownable synchronizers each holds, and on JDK 21+
     * the virtual threads with their stacks ({@link #virtualThreads()}).
     *
     * @throws IllegalStateException when the JDK's dump of virtual threads fails
     */
    public static ThreadDump take() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Instant now = Instant.now();
        ThreadInfo[] infos = mx.dumpAllThreads(mx.isObjectMonitorUsageSupported(), mx.isSynchronizerUsageSupported());
        long[] ids = mx.isSynchronizerUsageSupported() ? mx.findDeadlockedThreads() : mx.findMonitorDeadlockedThreads();
        List<ThreadInfo> deadlocked = new ArrayList<>();
        if (ids != null) {
            Arrays.sort(ids);
            for (ThreadInfo i : infos) {
                if (i != null && Arrays.binarySearch(ids, i.getThreadId()) >= 0) {
                    deadlocked.add(i);
                }
            }
        }
        List<ThreadInfo> platform = Arrays.stream(infos).filter(i -> i != null).toList();
        java.util.Set<Long> platformIds = new java.util.HashSet<>();
        for (long id : mx.getAllThreadIds()) {
            platformIds.add(id);
        }
        return new ThreadDump(now, platform, deadlocked, VirtualThreads.dump(platformIds));
    }

    public Instant takenAt() {
        return takenAt;
    }

    /** The threads, as the JVM listed them. */
    public List<ThreadInfo> threads() {
        return threads;
    }

    /** The threads in a Java-level deadlock (monitors or ownable synchronizers); usually empty. */
    public List<ThreadInfo> deadlocked() {
        return deadlocked;
    }

    /** The virtual threads (JDK 21+; always empty before), which {@link #threads()} does not hold. */
    public List<VirtualThread> virtualThreads() {
        return virtualThreads;
    }

    /** The first thread named {@code name}. */
    public Optional<ThreadInfo> thread(String name) {
        return threads.stream().filter(t -> t.getThreadName().equals(name)).findFirst();
    }

    /**
     * The dump as text, {@code jstack}'s layout: each thread's name, id, state, full stack, the
     * monitors it holds ({@code - locked}), what it waits for ({@code - waiting to lock},
     * {@code - waiting on}, {@code - parking to wait for}) and who owns that; then any deadlock.
     *
     * @param heading the first line, for example which test and why
     */
    public String text(String heading) {
        StringBuilder b = new StringBuilder(8192);
        b.append(heading)
                .append('\n')
                .append("Taken ")
                .append(takenAt)
                .append(", ")
                .append(threads.size())
                .append(" threads");
        if (!virtualThreads.isEmpty()) {
            b.append(", ").append(virtualThreads.size()).append(" virtual threads");
        }
        b.append("\n\n");
        for (ThreadInfo t : threads) {
            thread(b, t);
            b.append('\n');
        }
        for (VirtualThread v : virtualThreads) {
            b.append('"').append(v.name()).append("\" #").append(v.id()).append(" virtual");
            if (!v.container().isEmpty()) {
                b.append(" in ").append(v.container());
            }
            b.append('\n');
            if (!v.state().isEmpty()) {
                b.append("   java.lang.Thread.State: ").append(v.state()).append('\n');
            }
            for (StackTraceElement e : v.stack()) {
                b.append("\tat ").append(frame(e)).append('\n');
            }
            b.append('\n');
        }
        if (!deadlocked.isEmpty()) {
            b.append("Found a Java-level deadlock:\n=============================\n");
            for (ThreadInfo t : deadlocked) {
                b.append('"')
                        .append(t.getThreadName())
                        .append("\":\n  waiting for ")
                        .append(lock(t.getLockInfo()));
                if (t.getLockOwnerName() != null) {
                    b.append(",\n  which is held by \"")
                            .append(t.getLockOwnerName())
                            .append('"');
                }
                b.append('\n');
            }
        }
        return b.toString();
    }

    private static void thread(StringBuilder b, ThreadInfo t) {
        b.append('"')
                .append(t.getThreadName())
                .append("\" #")
                .append(t.getThreadId())
                .append(t.isDaemon() ? " daemon" : "")
                .append(" prio=")
                .append(t.getPriority())
                .append(t.isInNative() ? " (in native)" : "")
                .append(t.isSuspended() ? " (suspended)" : "")
                .append('\n');
        b.append("   java.lang.Thread.State: ").append(t.getThreadState()).append('\n');
        StackTraceElement[] stack = t.getStackTrace();
        MonitorInfo[] monitors = t.getLockedMonitors();
        for (int depth = 0; depth < stack.length; depth++) {
            b.append("\tat ").append(frame(stack[depth])).append('\n');
            if (depth == 0 && t.getLockInfo() != null) {
                String verb = switch (t.getThreadState()) {
                    case BLOCKED -> "waiting to lock";
                    case WAITING, TIMED_WAITING ->
                        stack[0].getMethodName().equals("park") ? "parking to wait for" : "waiting on";
                    default -> "waiting for";
                };
                b.append("\t- ").append(verb).append(' ').append(lock(t.getLockInfo()));
                if (t.getLockOwnerName() != null) {
                    b.append(" owned by \"")
                            .append(t.getLockOwnerName())
                            .append("\" #")
                            .append(t.getLockOwnerId());
                }
                b.append('\n');
            }
            for (MonitorInfo m : monitors) {
                if (m.getLockedStackDepth() == depth) {
                    b.append("\t- locked ").append(lock(m)).append('\n');
                }
            }
        }
        LockInfo[] synchronizers = t.getLockedSynchronizers();
        if (synchronizers.length > 0) {
            b.append("\n   Locked ownable synchronizers:\n");
            for (LockInfo l : synchronizers) {
                b.append("\t- ").append(lock(l)).append('\n');
            }
        }
    }

    /** {@code com.acme.Parser.parse(Parser.java:42)}, as jstack prints it, without class loader names. */
    private static String frame(StackTraceElement e) {
        String where = e.isNativeMethod()
                ? "Native Method"
                : e.getFileName() == null
                        ? "Unknown Source"
                        : e.getLineNumber() > 0 ? e.getFileName() + ":" + e.getLineNumber() : e.getFileName();
        return e.getClassName() + "." + e.getMethodName() + "(" + where + ")";
    }

    private static String lock(LockInfo l) {
        return String.format("<0x%08x> (a %s)", l.getIdentityHashCode(), l.getClassName());
    }

    /**
     * The one frame of a thread that runs no Java code (the JVM's {@code Signal Dispatcher}, {@code Attach
     * Listener}...), so that pprof lists it: {@value}.
     */
    public static final String NO_JAVA_FRAMES_FUNCTION = "(no Java frames)";

    private static final Frame NO_JAVA_FRAMES = new Frame(NO_JAVA_FRAMES_FUNCTION, "", 0);

    /**
     * The dump as a profile: one sample per thread, value 1 of {@link #THREADS}, its stack and labels
     * {@code thread} and {@code state}; a thread with no Java frames has the one frame
     * {@value #NO_JAVA_FRAMES_FUNCTION}, so that every thread is listed. {@code go tool pprof -traces} lists the threads;
     * {@code -top} shows where most of them are.
     */
    public Profile profile() {
        long epochNanos = takenAt.getEpochSecond() * 1_000_000_000L + takenAt.getNano();
        Profile.Builder b = Profile.builder(List.of(THREADS))
                .periodType(THREADS)
                .period(1)
                .defaultSampleType(THREADS.type())
                .startEpochNanos(epochNanos)
                .comment("profile=threads");
        for (ThreadInfo t : threads) {
            List<Frame> stack =
                    Arrays.stream(t.getStackTrace()).map(FrameNames::of).toList();
            if (stack.isEmpty()) {
                // pprof drops a sample without a location from -traces, -tree and flame graphs
                stack = List.of(NO_JAVA_FRAMES);
            }
            b.addSample(
                    stack,
                    new long[] {1},
                    Map.of(
                            Sample.THREAD_LABEL,
                            t.getThreadName(),
                            STATE_LABEL,
                            t.getThreadState().name()));
        }
        for (VirtualThread v : virtualThreads) {
            List<Frame> stack = v.stack().stream().map(FrameNames::of).toList();
            b.addSample(
                    stack,
                    new long[] {1},
                    Map.of(
                            Sample.THREAD_LABEL,
                            v.name().isEmpty() ? "virtual-" + v.id() : v.name(),
                            STATE_LABEL,
                            v.state().isEmpty() ? "VIRTUAL" : v.state(),
                            VIRTUAL_LABEL,
                            "true"));
        }
        return b.build();
    }

    /**
     * Writes {@link #text(String)} to {@code textFile} and {@link #profile()} to {@code pprofFile},
     * each atomically.
     *
     * @throws IOException naming the file that could not be written
     */
    public void write(Path textFile, Path pprofFile, String heading) throws IOException {
        byte[] text = text(heading).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(textFile, out -> out.write(text));
        Pprof.write(profile(), pprofFile);
    }
}
