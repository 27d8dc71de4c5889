package dev.jprof.alloc.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apiguardian.api.API;

/**
 * Exact allocated bytes of a piece of code from the JVM's per-thread counters
 * ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}): reading them costs about 20 ns
 * and allocates nothing.
 *
 * <p>A {@link Window} counts the thread that opened it and the threads created by it, directly or
 * through threads it created, while the window is open. Creation is seen through an
 * {@link InheritableThreadLocal}: a thread created with inherited thread locals (the default, and what
 * {@code Executors}' thread factories do) runs {@code childValue} on its creator. Those threads are
 * then found among the threads that are new when the window closes. A thread created by the window's
 * threads that ends before the window closes takes its counter with it: the window says so
 * ({@link Counts#complete()} is false), and callers count such code with async-profiler instead.
 *
 * <p>Virtual threads (JDK 21+) have no counter of their own: what they allocate is counted on the
 * carrier threads of the JDK's scheduler ({@code jdk.internal.misc.CarrierThread}). When the window's
 * threads created threads, the growth of every carrier's counter while the window was open is counted
 * too: exact when only the window's virtual threads ran on the carriers meanwhile (sequential tests),
 * more when other code's virtual threads ran at the same time.
 */
@API(status = INTERNAL, since = "0.1")
public final class ThreadAllocations {

    private static final com.sun.management.ThreadMXBean MX = mxBean();

    private static final InheritableThreadLocal<Window> OPEN = new InheritableThreadLocal<>() {
        @Override
        protected Window childValue(Window parent) {
            for (Window w = parent; w != null; w = w.outer) {
                w.threadCreated();
            }
            return parent;
        }
    };

    /** The class of the carrier threads of the JDK's virtual thread scheduler (JDK 21+). */
    private static final String CARRIER_CLASS = "jdk.internal.misc.CarrierThread";

    private ThreadAllocations() {}

    private static com.sun.management.ThreadMXBean mxBean() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx
                && mx.isThreadAllocatedMemorySupported()) {
            if (!mx.isThreadAllocatedMemoryEnabled()) {
                mx.setThreadAllocatedMemoryEnabled(true);
            }
            return mx;
        }
        return null;
    }

    /** Whether this JVM counts allocated bytes per thread (HotSpot-based JVMs do). */
    public static boolean supported() {
        return MX != null;
    }

    /**
     * Opens a window on the calling thread; close it on the same thread.
     *
     * @throws IllegalStateException when the JVM has no per-thread allocation counters
     */
    public static Window open() {
        if (MX == null) {
            throw new IllegalStateException("This JVM (" + System.getProperty("java.vm.name")
                    + ") does not count allocated bytes per thread (com.sun.management.ThreadMXBean)");
        }
        return new Window();
    }

    /** Bytes allocated so far by the calling thread. */
    public static long currentThreadBytes() {
        return MX.getCurrentThreadAllocatedBytes();
    }

    /** Threads started in the JVM so far. */
    public static long startedThreads() {
        return MX.getTotalStartedThreadCount();
    }

    /** The ids of the live threads. */
    public static long[] liveThreadIds() {
        return MX.getAllThreadIds();
    }

    /** The names of the live threads among {@code ids}, in their order; threads that have ended are left out. */
    public static List<String> threadNames(long[] ids) {
        List<String> names = new ArrayList<>();
        for (java.lang.management.ThreadInfo t : MX.getThreadInfo(ids)) {
            if (t != null) {
                names.add(t.getThreadName());
            }
        }
        return names;
    }

    /** The names of the live threads. */
    public static Set<String> liveThreadNames() {
        Set<String> names = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            names.add(t.getName());
        }
        return names;
    }

    /**
     * What a window counted.
     *
     * @param callerBytes bytes allocated by the thread that opened the window
     * @param childBytes bytes allocated by the threads it created that were alive when it closed
     * @param threadsCreated threads created by the window's threads
     * @param threadsStarted threads started in the whole JVM while the window was open
     * @param threads names of the counted threads, the caller first
     * @param problem why the figure is not exact, or {@code null} when it is
     */
    public record Counts(
            long callerBytes,
            long childBytes,
            int threadsCreated,
            long threadsStarted,
            List<String> threads,
            String problem) {

        public long bytes() {
            return callerBytes + childBytes;
        }

        public boolean complete() {
            return problem == null;
        }
    }

    /** An open counting window. Not thread-safe: open and close it on one thread. */
    public static final class Window {
        private final Window outer;
        private final Thread caller;
        private final AtomicInteger created = new AtomicInteger();
        private final long startedBefore;
        private final long maxIdBefore;
        private volatile boolean open = true;
        private final long callerStart;
        /** Every platform thread's id and allocated bytes when the window opened, for the carriers of virtual threads. */
        private final long[] idsBefore;

        private final long[] bytesBefore;

        private Window() {
            this.caller = Thread.currentThread();
            this.outer = OPEN.get();
            long max = 0;
            for (long id : MX.getAllThreadIds()) {
                max = Math.max(max, id);
            }
            this.maxIdBefore = max;
            this.idsBefore = MX.getAllThreadIds();
            this.bytesBefore = MX.getThreadAllocatedBytes(idsBefore);
            this.startedBefore = MX.getTotalStartedThreadCount();
            OPEN.set(this);
            this.callerStart = MX.getCurrentThreadAllocatedBytes(); // last: nothing above is counted
        }

        void threadCreated() {
            if (open) {
                created.incrementAndGet();
            }
        }

        /** Closes the window and reads the counters. */
        public Counts close() {
            long callerBytes = MX.getCurrentThreadAllocatedBytes() - callerStart; // first: nothing below is counted
            open = false;
            if (Thread.currentThread() != caller) {
                throw new IllegalStateException(
                        "A window must be closed on the thread that opened it [" + caller.getName() + "]");
            }
            if (outer == null) {
                OPEN.remove();
            } else {
                OPEN.set(outer);
            }
            int k = created.get();
            long started = MX.getTotalStartedThreadCount() - startedBefore;
            List<String> names = new ArrayList<>();
            names.add(caller.getName());
            if (k == 0) {
                return new Counts(callerBytes, 0, 0, started, names, null);
            }
            List<Thread> fresh = new ArrayList<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getId() > maxIdBefore && t != caller) {
                    fresh.add(t);
                }
            }
            long[] ids = fresh.stream().mapToLong(Thread::getId).toArray();
            long[] bytes = MX.getThreadAllocatedBytes(ids);
            long childBytes = 0;
            int alive = 0;
            for (int i = 0; i < ids.length; i++) {
                if (bytes[i] >= 0) {
                    childBytes += bytes[i];
                    alive++;
                    names.add(fresh.get(i).getName());
                }
            }
            // virtual threads allocate on their carriers
            long[] bytesAfter = MX.getThreadAllocatedBytes(idsBefore);
            long carrierBytes = 0;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getId() <= maxIdBefore && t.getClass().getName().equals(CARRIER_CLASS)) {
                    for (int i = 0; i < idsBefore.length; i++) {
                        if (idsBefore[i] == t.getId() && bytesBefore[i] >= 0 && bytesAfter[i] > bytesBefore[i]) {
                            carrierBytes += bytesAfter[i] - bytesBefore[i];
                            names.add(t.getName());
                        }
                    }
                }
            }
            childBytes += carrierBytes;
            // the MXBean neither lists nor counts virtual threads: those created are not missing when carriers counted
            // them
            long virtual = carrierBytes > 0 ? Math.max(0, k - started) : 0;
            String problem = null;
            if (started > k) {
                problem =
                        (started - k) + " other thread(s) were started in the JVM while the operation ran, which jprof"
                                + " cannot tell apart from the " + k + " it started";
            } else if (alive < k - virtual) {
                problem = (k - alive) + " of the " + k + " thread(s) the operation started ended before it returned,"
                        + " taking their allocation counters with them";
            }
            return new Counts(callerBytes, childBytes, k, started, names, problem);
        }
    }
}
