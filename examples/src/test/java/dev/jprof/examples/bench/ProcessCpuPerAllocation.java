package dev.jprof.examples.bench;

import dev.jprof.capture.Profiler.ThrowingRunnable;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the object-counting benchmarks share: the operation they count (so many {@code byte[64]} and the array
 * holding them), and the JVM process's CPU time per counted allocation over the measured invocations (every
 * thread: the counting thread, jprof's worker reading the recording, the JIT and the GC), printed at the end of
 * the trial. The process's CPU clock ticks in 10 ms steps on Linux, so the mean evens single counts out.
 */
final class ProcessCpuPerAllocation {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    static volatile Object keep;

    private final List<Double> perAllocation = new ArrayList<>();
    private long start;

    /** An operation that allocates {@code allocations} {@code byte[64]} and one array holding them. */
    static ThrowingRunnable allocating(int allocations) {
        return () -> {
            Object[] all = new Object[allocations];
            for (int i = 0; i < allocations; i++) {
                all[i] = new byte[64];
            }
            keep = all;
        };
    }

    /** Before a measured count. */
    void begin() {
        start = OS.getProcessCpuTime();
    }

    /** After a measured count of {@code allocations}. */
    void end(int allocations) {
        perAllocation.add((OS.getProcessCpuTime() - start) / (double) allocations);
    }

    /** Prints {@code cpu ns per counted allocation (what): mean, median, range over N counts}. */
    void print(String what) {
        if (perAllocation.isEmpty()) {
            return;
        }
        List<Double> sorted = new ArrayList<>(perAllocation);
        sorted.sort(null);
        System.out.printf(
                Locale.ROOT,
                "%ncpu ns per counted allocation (%s): mean %.0f, median %.0f, %.0f to %.0f over %d counts%n",
                what,
                sorted.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN),
                sorted.get(sorted.size() / 2),
                sorted.get(0),
                sorted.get(sorted.size() - 1),
                sorted.size());
    }
}
