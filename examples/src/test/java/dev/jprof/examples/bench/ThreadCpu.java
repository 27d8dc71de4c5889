package dev.jprof.examples.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of this process's threads, grouped by what they do (the test thread, jprof's worker, the
 * JIT compilers, the garbage collector, the rest), read from {@code /proc/self/task/<tid>/schedstat}
 * (nanoseconds of CPU per thread). On a shared machine a thread's CPU time holds up better than wall
 * time: what another process takes from a thread does not count in its CPU time. Linux only; elsewhere
 * every figure is 0.
 */
final class ThreadCpu {

    /** CPU nanoseconds per thread id, with each thread's group. */
    private final Map<String, Long> nanos;

    private final Map<String, String> groups;

    private ThreadCpu(Map<String, Long> nanos, Map<String, String> groups) {
        this.nanos = nanos;
        this.groups = groups;
    }

    /** The CPU time of every live thread of this process now. */
    static ThreadCpu now() {
        Map<String, Long> nanos = new HashMap<>();
        Map<String, String> groups = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String sched = Files.readString(task.resolve("schedstat"), StandardCharsets.US_ASCII);
                    String comm = Files.readString(task.resolve("comm"), StandardCharsets.US_ASCII)
                            .strip();
                    String tid = task.getFileName().toString();
                    nanos.put(tid, Long.parseLong(sched.substring(0, sched.indexOf(' '))));
                    groups.put(tid, group(comm));
                } catch (IOException | RuntimeException e) {
                    // the thread ended while being read: it counts no more
                }
            }
        } catch (IOException e) {
            // not Linux: no figures
        }
        return new ThreadCpu(nanos, groups);
    }

    /** The group of a thread by its name (Linux keeps the first 15 characters). */
    static String group(String comm) {
        if (Boolean.getBoolean("bench.threads")) {
            return comm;
        }
        if (comm.equals("jprof-worker")) {
            return "worker";
        }
        if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
            return "jit";
        }
        if (comm.startsWith("GC Thread")
                || comm.startsWith("G1 ")
                || comm.startsWith("VM Thread")
                || comm.startsWith("VM Periodic")) {
            return "gc+vm";
        }
        // the launcher's main thread keeps the process's name
        if (comm.equals("java") || comm.equals("main") || comm.startsWith("ForkJoinPool")) {
            return "tests";
        }
        return "other";
    }

    /**
     * Milliseconds of CPU per group since {@code before}; threads that started since count from 0,
     * threads that ended since are lost (the worker, the JIT and the test threads live on).
     */
    Map<String, Double> since(ThreadCpu before) {
        Map<String, Double> ms = new TreeMap<>();
        nanos.forEach((tid, n) -> {
            long delta = n - before.nanos.getOrDefault(tid, 0L);
            ms.merge(groups.get(tid), delta / 1e6, Double::sum);
        });
        ms.put("total", ms.values().stream().mapToDouble(Double::doubleValue).sum());
        return ms;
    }

    /** One line: each group's milliseconds. */
    static String format(Map<String, Double> ms) {
        StringBuilder b = new StringBuilder();
        ms.forEach((g, v) -> b.append(g)
                .append(' ')
                .append(String.format(Locale.ROOT, "%.0f", v))
                .append(", "));
        return b.length() == 0 ? "" : b.substring(0, b.length() - 2);
    }

    /** The 1-minute load average, or -1. */
    static double load() {
        try {
            String s = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII);
            return Double.parseDouble(s.substring(0, s.indexOf(' ')));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
