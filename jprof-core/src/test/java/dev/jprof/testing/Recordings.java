package dev.jprof.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A known workload, recorded into JFR files for the tests and benchmarks of reading recordings.
 *
 * <p>Two threads, {@code parser-1} and {@code parser-2}, each loop for the given time over: a CPU-bound
 * hash loop ({@link #hashLoop}, about two thirds of their CPU), regular-expression parsing of log
 * lines, boxed lists ({@code java.lang.Long}), 4 KiB {@code byte[]} buffers ({@link #fillBuffers},
 * most of the bytes allocated) and a monitor of class {@link Shared} that both enter, each holding it
 * for about a millisecond of CPU ({@link #contend}), so that they wait for each other. For the JDK's
 * recording they also sleep 20 ms while holding it, so that the waits pass the 10 ms threshold of the
 * JDK's {@code profile} settings.
 *
 * <pre>
 * # async-profiler's recording committed as src/test/resources/dev/jprof/testing/async-profiler-3s.jfr
 * java -cp target/test-classes:$(async-profiler jar) dev.jprof.testing.Recordings async-profiler out.jfr 3
 * # the JDK's own, as a user records it
 * java -XX:StartFlightRecording=filename=out.jfr,settings=profile -cp target/test-classes dev.jprof.testing.Recordings jdk - 3
 * </pre>
 */
public final class Recordings {

    /** The committed async-profiler recording of this workload, 3 s: cpu 1 ms, wall 10 ms, alloc 128k, lock 0. */
    public static final String ASYNC_PROFILER_3S = "/dev/jprof/testing/async-profiler-3s.jfr";

    /** async-profiler's command that recorded {@link #ASYNC_PROFILER_3S}, without its file. */
    public static final String ASYNC_PROFILER_COMMAND = "start,event=cpu,interval=1ms,wall=10ms,alloc=128k,lock=0,jfr";

    static volatile long sink;
    static volatile Object keep;

    private static final Pattern LINE = Pattern.compile(
            "(\\d+\\.\\d+\\.\\d+\\.\\d+) - - \\[([^\\]]+)] \"(GET|POST) (\\S+) HTTP/1\\.1\" (\\d{3}) (\\d+)");

    private Recordings() {}

    /** The monitor both threads contend on: the {@code lock} label of the lock profile. */
    static final class Shared {}

    /**
     * {@code async-profiler <out.jfr> <seconds>}: records the workload with async-profiler;
     * {@code jdk - <seconds>}: only runs it (record it with {@code -XX:StartFlightRecording}).
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("Usage: Recordings async-profiler|jdk <out.jfr>|- <seconds>");
            System.exit(2);
        }
        long seconds = Long.parseLong(args[2]);
        if (args[0].equals("async-profiler")) {
            Path out = Path.of(args[1]).toAbsolutePath();
            Files.deleteIfExists(out);
            one.profiler.AsyncProfiler profiler = one.profiler.AsyncProfiler.getInstance();
            profiler.execute(ASYNC_PROFILER_COMMAND + ",loglevel=ERROR,file=" + out);
            run(seconds, 0, 0);
            profiler.execute("stop");
        } else {
            run(seconds, 20, JDK_MIN_CPU_MILLIS);
        }
    }

    /**
     * In the JDK's recording, the CPU time each thread has at least: the waits for the monitor leave each
     * thread about a sixth of the wall time, and on a loaded machine less, while the JDK samples every 10 or
     * 20 ms; 500 ms is 25 to 50 samples per thread however busy the machine (one thread got none in 3 s at a
     * load average of 12).
     */
    static final long JDK_MIN_CPU_MILLIS = 500;

    /**
     * Runs the workload on two threads for {@code seconds}, and on until each has had {@code minCpuMillis} of
     * CPU time, sleeping {@code sleepMillis} while holding the monitor.
     */
    public static void run(long seconds, long sleepMillis, long minCpuMillis) throws InterruptedException {
        Shared shared = new Shared();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long minCpuNanos = TimeUnit.MILLISECONDS.toNanos(minCpuMillis);
        List<Thread> threads = new ArrayList<>();
        for (int t = 1; t <= 2; t++) {
            Thread thread = new Thread(
                    () -> {
                        while (System.nanoTime() < end || cpu.getCurrentThreadCpuTime() < minCpuNanos) {
                            hashLoop(6);
                            parseLines(200);
                            boxedList(2_000);
                            fillBuffers(64);
                            contend(shared, sleepMillis);
                        }
                    },
                    "parser-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    /** Burns CPU for about {@code millis}. */
    static void hashLoop(long millis) {
        long stop = System.nanoTime() + millis * 1_000_000;
        long x = 17;
        while (System.nanoTime() < stop) {
            for (int i = 0; i < 2_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
                x ^= x >>> 29; // JDK 25's C2 folds a bare x * a + b loop (see dev.jprof.testing.CpuWork)
            }
        }
        sink += x;
    }

    static void parseLines(int n) {
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            String line = "10.0.0." + (i % 250) + " - - [30/Nov/2026:08:00:" + (i % 60) + " +0000] \"GET /users/" + i
                    + "/orders HTTP/1.1\" 200 " + (i * 7);
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                bytes += Long.parseLong(m.group(6));
            }
        }
        sink += bytes;
    }

    static void boxedList(int n) {
        List<Long> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add((long) i * 1_000);
        }
        keep = list;
    }

    static void fillBuffers(int n) {
        List<byte[]> buffers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            buffers.add(new byte[4096]);
        }
        keep = buffers;
    }

    static void contend(Shared shared, long sleepMillis) {
        synchronized (shared) {
            long stop = System.nanoTime() + 1_000_000;
            while (System.nanoTime() < stop) {
                sink++;
            }
            if (sleepMillis > 0) {
                try {
                    Thread.sleep(sleepMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** {@code name} (a resource of this class, such as {@link #ASYNC_PROFILER_3S}) copied into {@code dir}. */
    public static Path copy(String name, Path dir) throws IOException {
        Path to = dir.resolve(name.substring(name.lastIndexOf('/') + 1));
        try (var in = Recordings.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("No recording [" + name + "] on the class path");
            }
            Files.copy(in, to);
        }
        return to;
    }
}
