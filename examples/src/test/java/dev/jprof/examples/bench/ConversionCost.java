package dev.jprof.examples.bench;

import dev.jprof.format.Jfr;
import dev.jprof.format.Pprof;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import dev.jprof.testing.Recordings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import one.convert.Arguments;
import one.convert.JfrToPprof;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * What reading a recording costs: async-profiler's recording → {@code cpu.pb.gz}, by jprof
 * ({@link Jfr#read} + {@link Pprof#write}) and by async-profiler's own converter
 * ({@code tools.profiler:jfr-converter}, {@link JfrToPprof}), on the same file in the same run.
 *
 * <ul>
 *   <li>{@code interleaved}: the figure that counts. Each invocation converts with jprof (the CPU
 *       profile alone) and with {@code converterThreads}, alternating which goes first, and adds the CPU
 *       time of the converting thread to the counters {@code jprofMillis} and {@code converterMillis}:
 *       interleaved and measured in thread CPU time, the ratio holds on a shared, loaded machine, where
 *       wall times of separate benchmarks vary several-fold from minute to minute.
 *   <li>{@code jprof}: the CPU profile alone ({@code Jfr.read(file, EnumSet.of(CPU))}), written.
 *   <li>{@code jprofAllKinds}: every kind the recording holds read ({@code Jfr.read(file)}), the CPU
 *       profile written.
 *   <li>{@code converterThreads}: {@code --cpu --threads -o pb.gz}, the same information as jprof's
 *       (a {@code thread} label on every sample; the converter always keeps line numbers): the yardstick.
 *   <li>{@code converter}: {@code --cpu -o pb.gz}, without thread labels.
 * </ul>
 *
 * <p>Two recordings: the committed 3 s one of {@link Recordings} (CPU 1 ms, wall 10 ms, allocation
 * 128 KiB, every contended lock; 150 KB) and one of a whole 1,000-test run ({@link ThousandTestSuite},
 * recorded by {@link #main} before the benchmark, not committed). Run with
 *
 * <pre>
 * mvn -B verify -pl examples -am -Pjmh -DskipTests -Djmh.main=dev.jprof.examples.bench.ConversionCost -Djmh.args='-f 1 -wi 5 -i 10'
 * </pre>
 *
 * <p>{@link #main} runs JMH with those arguments and prints, per recording, the time ratio
 * {@code jprof / converterThreads} (and against {@code converter}) and the ratio of the files' sizes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ConversionCost {

    /** A JFR file; {@link #main} passes the two recordings. */
    @Param("")
    public String recording;

    private Path jfr;
    private Path out;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        jfr = Path.of(recording);
        if (!Files.isRegularFile(jfr)) {
            throw new IllegalStateException("No recording [" + recording + "]: run " + ConversionCost.class.getName()
                    + ".main, which records and passes them");
        }
        out = Files.createTempDirectory("conversion-cost");
    }

    /** CPU milliseconds of each tool in an iteration, summed over its invocations. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class CpuTimes {
        public double jprofMillis;
        public double converterMillis;

        @Setup(Level.Iteration)
        public void clear() {
            jprofMillis = 0;
            converterMillis = 0;
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private long invocations;

    @Benchmark
    public long interleaved(CpuTimes times) throws IOException {
        boolean jprofFirst = (invocations++ & 1) == 0;
        long size = 0;
        for (int i = 0; i < 2; i++) {
            long start = THREADS.getCurrentThreadCpuTime();
            if ((i == 0) == jprofFirst) {
                size += jprof();
                times.jprofMillis += (THREADS.getCurrentThreadCpuTime() - start) / 1e6;
            } else {
                size += converterThreads();
                times.converterMillis += (THREADS.getCurrentThreadCpuTime() - start) / 1e6;
            }
        }
        return size;
    }

    @Benchmark
    public long jprof() throws IOException {
        return jprof(jfr, out.resolve("jprof-cpu.pb.gz"), EnumSet.of(ProfileKind.CPU));
    }

    @Benchmark
    public long jprofAllKinds() throws IOException {
        return jprof(jfr, out.resolve("jprof-all-cpu.pb.gz"), EnumSet.allOf(ProfileKind.class));
    }

    @Benchmark
    public long converterThreads() throws IOException {
        return converter(jfr, out.resolve("converter-threads.pb.gz"), "--threads");
    }

    @Benchmark
    public long converter() throws IOException {
        return converter(jfr, out.resolve("converter.pb.gz"));
    }

    static long jprof(Path jfr, Path pprof, java.util.Set<ProfileKind> kinds) throws IOException {
        Map<ProfileKind, Profile> profiles = Jfr.read(jfr, kinds);
        Pprof.write(profiles.get(ProfileKind.CPU), pprof);
        return Files.size(pprof);
    }

    static long converter(Path jfr, Path pprof, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("--cpu", "-o", "pb.gz"));
        args.addAll(List.of(options));
        JfrToPprof.convert(jfr.toString(), pprof.toString(), new Arguments(args.toArray(String[]::new)));
        return Files.size(pprof);
    }

    /**
     * Records the 1,000-test run (once, into {@code target/conversion-cost/}), runs the benchmark with
     * JMH's command-line arguments {@code args}, and prints the ratios.
     */
    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "conversion-cost")).toAbsolutePath();
        Path small = dir.resolve("async-profiler-3s.jfr");
        Files.deleteIfExists(small);
        Recordings.copy(Recordings.ASYNC_PROFILER_3S, dir);
        Path suite = dir.resolve("thousand-tests.jfr");
        if (!Files.isRegularFile(suite)) {
            recordThousandTestSuite(suite);
        }
        List<Path> recordings = List.of(small, suite);

        Options options = new OptionsBuilder()
                .parent(new CommandLineOptions(args))
                .include(ConversionCost.class.getName() + "\\.")
                .param("recording", recordings.stream().map(Path::toString).toArray(String[]::new))
                .build();
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Collection<RunResult> results = new Runner(options).run();
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();

        System.out.println();
        System.out.println(
                "Recording → cpu.pb.gz, jprof (Jfr.read + Pprof.write) against async-profiler's jfr-converter 4.5 --threads");
        System.out.printf(
                Locale.ROOT,
                "%-22s %6s %24s %10s | %30s %10s %10s | %s%n",
                "recording",
                "MB",
                "CPU ms: jprof / converter",
                "ratio",
                "wall ms: jprof / conv -t / conv",
                "ratio",
                "all kinds",
                "size ratio");
        for (Path r : recordings) {
            double jprofCpu = secondary(results, r, "interleaved", "jprofMillis");
            double converterCpu = secondary(results, r, "interleaved", "converterMillis");
            double jprof = score(results, r, "jprof");
            double all = score(results, r, "jprofAllKinds");
            double threads = score(results, r, "converterThreads");
            double plain = score(results, r, "converter");
            long jprofSize = jprof(r, dir.resolve("jprof-cpu.pb.gz"), EnumSet.of(ProfileKind.CPU));
            long threadsSize = converter(r, dir.resolve("converter-threads.pb.gz"), "--threads");
            long plainSize = converter(r, dir.resolve("converter.pb.gz"));
            System.out.printf(
                    Locale.ROOT,
                    "%-22s %6.2f %11.2f / %10.2f %9.2fx | %8.2f / %8.2f / %8.2f %9.2fx %9.2fx | %.2fx (%d / %d B; plain %d B)%n",
                    r.getFileName(),
                    Files.size(r) / 1e6,
                    jprofCpu,
                    converterCpu,
                    jprofCpu / converterCpu,
                    jprof,
                    threads,
                    plain,
                    jprof / threads,
                    all / threads,
                    (double) jprofSize / threadsSize,
                    jprofSize,
                    threadsSize,
                    plainSize);
        }
        // the ratios hold under load, the wall times do not: say how loaded the machine was
        System.out.printf(
                Locale.ROOT,
                "load average (1 min) %.1f before, %.1f after, on %d processors; %s %s%n",
                loadBefore,
                loadAfter,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"));
    }

    private static double score(Collection<RunResult> results, Path recording, String method) {
        for (RunResult r : results) {
            if (r.getParams().getBenchmark().endsWith("." + method)
                    && recording.toString().equals(r.getParams().getParam("recording"))) {
                Result<?> primary = r.getPrimaryResult();
                return primary.getScore();
            }
        }
        return Double.NaN;
    }

    /** The mean per iteration of aux counter {@code counter} of {@code method}: its sum over an iteration's invocations. */
    private static double secondary(Collection<RunResult> results, Path recording, String method, String counter) {
        for (RunResult r : results) {
            if (r.getParams().getBenchmark().endsWith("." + method)
                    && recording.toString().equals(r.getParams().getParam("recording"))) {
                Result<?> c = r.getSecondaryResults().get(counter);
                return c == null ? Double.NaN : c.getScore();
            }
        }
        return Double.NaN;
    }

    /** Runs {@link ThousandTestSuite} in a JVM of its own, recording it with async-profiler. */
    private static void recordThousandTestSuite(Path out) throws IOException, InterruptedException {
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(List.of(
                "-cp", System.getProperty("java.class.path"), ThousandTestSuite.class.getName(), tmp.toString()));
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("Recording the 1,000-test run failed: exit code " + p.exitValue());
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
    }
}
