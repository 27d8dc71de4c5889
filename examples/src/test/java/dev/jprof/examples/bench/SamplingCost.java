package dev.jprof.examples.bench;

import dev.jprof.capture.CaptureResult;
import dev.jprof.capture.ProfileOptions;
import dev.jprof.capture.Profiler;
import dev.jprof.internal.Units;
import dev.jprof.profile.ProfileKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * What sampling costs a CPU-bound, allocation-heavy body (about 200 ms of {@code HashMap} work on one
 * thread): each invocation runs the body bare and inside {@code Profiler.profile} of one kind, in
 * alternating order, and the trial ends by printing the median of the per-round ratios profiled/bare
 * (the line {@code SamplingCost kind=… interval=…: median body sampled/bare = …}): the body's own time
 * while sampled, which is the sampling cost, and the whole {@code Profiler.profile} call, which adds the
 * start, the read and the conversion. The JMH score is the time
 * of the pair and only says how long a round took; the ratio is the result. Baseline and subject run
 * in the same rounds, so load on the machine weighs on both alike.
 *
 * <pre>
 * mvn -B verify -pl examples -am -Pjmh -DskipTests -Djmh.args="SamplingCost"
 * mvn -B verify -pl examples -am -Pjmh -DskipTests -Djmh.args="SamplingCost -p kind=alloc -p interval=128k,512k,2m"
 * mvn -B verify -pl examples -am -Pjmh -DskipTests -Djmh.args="SamplingCost -p kind=cpu -p event=cpu,ctimer -p interval=3ms,1s"
 * </pre>
 *
 * {@code interval} is the kind's sampling interval ({@code jprof.cpu.interval}, {@code jprof.wall.interval},
 * {@code jprof.alloc.interval}, {@code jprof.lock.threshold}); {@code default} takes jprof's default.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 21)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class SamplingCost {

    @Param({"cpu", "wall", "alloc", "lock"})
    public String kind;

    @Param({"default"})
    public String interval;

    /** async-profiler's CPU event ({@code jprof.cpu.event}: {@code ctimer}, {@code cpu}...); {@code default} takes jprof's default. */
    @Param({"default"})
    public String event;

    /** Rounds of the {@code HashMap} work: 12 take about 200 ms of CPU on this project's machine. */
    @Param({"12"})
    public int rounds;

    private ProfileOptions options;
    private final List<Double> ratios = new ArrayList<>();
    private final List<Double> bodyRatios = new ArrayList<>();
    private final List<Double> cpuRatios = new ArrayList<>();
    private long lastBody;
    private long lastBodyCpu;
    private long bareCpu;
    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();
    private boolean measuring;
    private int invocation;
    private int measured;
    private long samples;
    static volatile long sink;

    @Setup(Level.Trial)
    public void setUp() {
        ProfileKind k = ProfileKind.valueOf(kind.toUpperCase(Locale.ROOT));
        ProfileOptions o = ProfileOptions.of(k);
        if (!interval.equals("default")) {
            o = switch (k) {
                case CPU -> o.withCpuInterval(Units.parseDuration(interval, ProfileOptions.CPU_INTERVAL));
                case WALL -> o.withWallInterval(Units.parseDuration(interval, ProfileOptions.WALL_INTERVAL));
                case ALLOC -> o.withAllocInterval(Units.parseSize(interval, ProfileOptions.ALLOC_INTERVAL));
                case LOCK -> o.withLockThreshold(Units.parseDuration(interval, ProfileOptions.LOCK_THRESHOLD));
                default -> throw new IllegalArgumentException("kind " + kind);
            };
        }
        if (!event.equals("default")) {
            o = o.withCpuEvent(event);
        }
        options = o;
    }

    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
        invocation++;
        measuring = params.getType() == IterationType.MEASUREMENT;
    }

    /** About 200 ms of boxing, hashing and resizing, on the calling thread. */
    void body() {
        long h = 0;
        for (int r = 0; r < rounds; r++) {
            Map<Integer, String> m = new HashMap<>();
            for (int i = 0; i < 100_000; i++) {
                m.put(i * 31, Integer.toString(i));
            }
            for (int i = 0; i < 100_000; i++) {
                String s = m.get(i * 31);
                h += s == null ? 0 : s.length();
            }
        }
        sink = h;
    }

    @Benchmark
    public long pair() throws Throwable {
        long bare;
        long profiled;
        if (invocation % 2 == 0) {
            bare = bare();
            profiled = profiled();
        } else {
            profiled = profiled();
            bare = bare();
        }
        if (measuring) {
            ratios.add((double) profiled / bare);
            bodyRatios.add((double) lastBody / bare);
            cpuRatios.add((double) lastBodyCpu / bareCpu);
            measured++;
        }
        return bare + profiled;
    }

    private long bare() {
        System.gc();
        long c = THREADS.getCurrentThreadCpuTime();
        long t = System.nanoTime();
        body();
        long d = System.nanoTime() - t;
        bareCpu = THREADS.getCurrentThreadCpuTime() - c;
        return d;
    }

    private long profiled() throws Throwable {
        System.gc();
        long t = System.nanoTime();
        CaptureResult r = Profiler.profile(options, () -> {
            long c = THREADS.getCurrentThreadCpuTime();
            long b = System.nanoTime();
            body();
            lastBody = System.nanoTime() - b;
            lastBodyCpu = THREADS.getCurrentThreadCpuTime() - c;
        });
        long d = System.nanoTime() - t;
        if (measuring) {
            samples += r.profiles().values().stream()
                    .mapToLong(p -> p.samples().size())
                    .sum();
        }
        return d;
    }

    @TearDown(Level.Trial)
    public void report() {
        List<Double> sorted = new ArrayList<>(ratios);
        sorted.sort(null);
        double median = sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
        List<Double> bodies = new ArrayList<>(bodyRatios);
        bodies.sort(null);
        double bodyMedian = bodies.isEmpty() ? Double.NaN : bodies.get(bodies.size() / 2);
        List<Double> cpus = new ArrayList<>(cpuRatios);
        cpus.sort(null);
        double cpuMedian = cpus.isEmpty() ? Double.NaN : cpus.get(cpus.size() / 2);
        System.out.printf(
                Locale.ROOT,
                "%nSamplingCost kind=%s%s interval=%s: median body sampled/bare = %.3f (its thread's CPU time %.3f), median whole"
                        + " profile call/bare = %.3f over %d rounds (call min %.3f, max %.3f);"
                        + " %.0f samples per profiled body on average%n",
                kind,
                kind.equals("cpu") ? " event=" + options.cpuEvent() : "",
                interval.equals("default") ? "default (" + describe() + ")" : interval,
                bodyMedian,
                cpuMedian,
                median,
                sorted.size(),
                sorted.isEmpty() ? Double.NaN : sorted.get(0),
                sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1),
                (double) samples / Math.max(1, measured));
    }

    private String describe() {
        return switch (ProfileKind.valueOf(kind.toUpperCase(Locale.ROOT))) {
            case CPU -> Units.format(options.cpuInterval());
            case WALL -> Units.format(options.wallInterval());
            case ALLOC -> Units.formatSize(options.allocInterval());
            case LOCK -> Units.format(options.lockThreshold());
            default -> "?";
        };
    }
}
