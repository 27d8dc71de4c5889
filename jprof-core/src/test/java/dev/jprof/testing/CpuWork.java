package dev.jprof.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Budgets of the calling thread's own CPU time, for tests whose CPU profile must see a spin: however
 * loaded the machine, a thread that spins until it has used {@code millis} of CPU was on a core that
 * long, so its profile gets that many milliseconds of samples.
 *
 * <p>A spin reads the thread's CPU clock (a native call, about 1.5 µs on this project's machines) only
 * once per {@linkplain #slice slice} of at most 10 ms, and spins on {@link System#nanoTime()}, an
 * intrinsic, in between. On JDK 25, whose Flight Recorder samples cooperatively (JEP 518), a spin that
 * read the CPU clock every 0.1 ms got 0 to 25 of the ~100 {@code jdk.ExecutionSample}s that 300 ms at
 * 3 ms give, against about 90 when it read it every 10 ms.
 *
 * <p>The step a spin repeats must be one the JIT cannot shorten: JDK 25's C2 runs a loop of a bare
 * linear congruential step ({@code x = x * a + b}) about 60 times faster than JDK 17's (20,000 steps in
 * 0.4 µs), so such a spin spends most of its time reading clocks; an xor-shift after the multiply
 * ({@code x ^= x >>> 29}) keeps a step at about 1.8 ns on both. The step stays in each spinning method
 * rather than here: a profile names the function whose frame is on top, inlined or not.
 */
public final class CpuWork {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** The longest a spin goes without reading the thread's CPU clock. */
    static final long SLICE_NANOS = 10_000_000;

    private CpuWork() {}

    /**
     * The calling thread's CPU time in nanoseconds; for a virtual thread, whose CPU time the JDK does not
     * measure, the wall clock, so that a spin on one still ends.
     */
    public static long threadCpuNanos() {
        long cpu = THREADS.getCurrentThreadCpuTime();
        return cpu >= 0 ? cpu : System.nanoTime();
    }

    /** The {@link #threadCpuNanos() CPU time} at which a spin of {@code millis} from now ends. */
    public static long deadline(long millis) {
        return threadCpuNanos() + millis * 1_000_000;
    }

    /**
     * How long to spin on the wall clock before reading the CPU clock again: the CPU time left until
     * {@code deadline}, at most 10 ms, or 0 when none is left. A thread uses no more CPU than wall time,
     * so a spin never overshoots its budget by more than the step it is in.
     */
    public static long slice(long deadline) {
        long left = deadline - threadCpuNanos();
        return left <= 0 ? 0 : Math.min(left, SLICE_NANOS);
    }
}
