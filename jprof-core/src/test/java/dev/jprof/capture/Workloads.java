package dev.jprof.capture;

import dev.jprof.testing.CpuWork;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/** Known workloads with distinct method names, for tests of what a profile shows. */
public final class Workloads {

    public static volatile long sink;
    public static volatile Object keep;

    private Workloads() {}

    /** Burns CPU on the calling thread for {@code millis}. */
    public static long spinCpu(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        long x = 17;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 2_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
                x ^= x >>> 29; // JDK 25's C2 folds a bare x * a + b loop (see dev.jprof.testing.CpuWork)
            }
        }
        sink = x;
        return x;
    }

    /**
     * Burns {@code millis} of the calling thread's own CPU time: however loaded the machine, the thread is
     * on a core for that long, so a CPU profile of it gets the samples that many milliseconds give.
     */
    public static long spinCpuTime(long millis) {
        long end = CpuWork.deadline(millis);
        long x = 17;
        for (long n; (n = CpuWork.slice(end)) > 0; ) {
            for (long until = System.nanoTime() + n; System.nanoTime() < until; ) {
                for (int i = 0; i < 2_000; i++) {
                    x = x * 6364136223846793005L + 1442695040888963407L;
                    x ^= x >>> 29;
                }
            }
        }
        sink = x;
        return x;
    }

    /**
     * The work of {@link #spinCpuTime} under another name (not calling it), so that a profile tells the
     * two apart: {@code millis} of the calling thread's own CPU time.
     */
    public static long burnInB(long millis) {
        long end = CpuWork.deadline(millis);
        long x = 19;
        for (long n; (n = CpuWork.slice(end)) > 0; ) {
            for (long until = System.nanoTime() + n; System.nanoTime() < until; ) {
                for (int i = 0; i < 2_000; i++) {
                    x = x * 6364136223846793005L + 1442695040888963407L;
                    x ^= x >>> 29;
                }
            }
        }
        sink = x;
        return x;
    }

    /** Allocates {@code count} {@code byte[size]} arrays, kept reachable until the next call. */
    public static void allocateArrays(int count, int size) {
        List<byte[]> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(new byte[size]);
        }
        keep = list;
    }

    /** Sleeps on the calling thread. */
    public static void sleepFor(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    /**
     * A helper thread holds a monitor while the caller tries to enter it: until the caller is seen
     * blocked on it, then for {@code holdMillis}, so that the contention is certain however late a
     * loaded machine schedules the caller.
     */
    public static void contendOnMonitor(long holdMillis) throws InterruptedException {
        Object monitor = new Object();
        CountDownLatch held = new CountDownLatch(1);
        Thread caller = Thread.currentThread();
        Thread holder = new Thread(
                () -> {
                    synchronized (monitor) {
                        held.countDown();
                        awaitUntil(
                                () -> caller.getState() == Thread.State.BLOCKED, "the caller blocked on the monitor");
                        spinCpu(holdMillis);
                    }
                },
                "monitor-holder");
        holder.start();
        held.await();
        enterMonitor(monitor);
        holder.join();
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not within 30 s: " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private static void enterMonitor(Object monitor) {
        synchronized (monitor) {
            sink++;
        }
    }

    /** A helper thread holds a ReentrantLock until the caller waits for it, then for {@code holdMillis}. */
    public static void contendOnLock(long holdMillis) throws InterruptedException {
        ReentrantLock lock = new ReentrantLock();
        CountDownLatch held = new CountDownLatch(1);
        Thread caller = Thread.currentThread();
        Thread holder = new Thread(
                () -> {
                    lock.lock();
                    try {
                        held.countDown();
                        awaitUntil(
                                () -> lock.hasQueuedThread(caller) && caller.getState() == Thread.State.WAITING,
                                "the caller parked on the lock");
                        spinCpu(holdMillis);
                    } finally {
                        lock.unlock();
                    }
                },
                "lock-holder");
        holder.start();
        held.await();
        lock.lock();
        lock.unlock();
        holder.join();
    }
}
