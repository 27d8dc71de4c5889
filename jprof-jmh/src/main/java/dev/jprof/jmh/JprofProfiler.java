package dev.jprof.jmh;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.analysis.HotFunction;
import dev.jprof.analysis.ProfileAnalysis;
import dev.jprof.analysis.Profiles;
import dev.jprof.capture.CaptureException;
import dev.jprof.capture.CaptureResult;
import dev.jprof.capture.ProfileOptions;
import dev.jprof.capture.Profiler;
import dev.jprof.capture.ProfilingSession;
import dev.jprof.format.internal.ProfileArtifacts;
import dev.jprof.format.internal.RunReport;
import dev.jprof.internal.AtomicFiles;
import dev.jprof.internal.Json;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apiguardian.api.API;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.ExternalProfiler;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.profile.ProfilerException;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.results.TextResult;
import org.openjdk.jmh.runner.IterationType;

/**
 * A JMH profiler: {@code -prof dev.jprof.jmh.JprofProfiler[:events=cpu,alloc;dir=...]} (see
 * {@code :help} for every option).
 *
 * <p>In each forked benchmark JVM it captures the <em>measurement</em> iterations only (one capture per
 * iteration; warm-up iterations are never profiled) and writes {@code <kind>.fork-<n>.pb.gz} into
 * {@code <dir>/<benchmark>/<params>/}. In the JVM that runs JMH, after each fork, it merges the per-fork
 * profiles into {@code <kind>.pb.gz} and {@code <kind>.html}, so the merged profile holds every fork's
 * samples, each labelled {@code fork} and {@code iteration}; after the last fork it adds the hot
 * functions to JMH's output as the text result {@code jprof}. After each fork it also writes the benchmark's
 * {@code summary.json} and rebuilds the run report ({@code index.html}, {@code summary.json}) in {@code <dir>}:
 * the same report as the JUnit extension's, listing every benchmark of the run. The host numbers the forks and tells
 * each forked JVM its number ({@code -Djprof.jmh.fork=<n>}); warm-up forks are not profiled.
 *
 * <p>Every iteration, it reports {@value #ALLOC_NORM} (bytes allocated per operation, exact: the JVM's
 * count of bytes allocated by all threads, {@code getTotalThreadAllocatedBytes}, over the iteration,
 * divided by the operations JMH counted) and {@value #OBJECTS_NORM} (objects per operation, counted
 * only with {@code objects=true}, NaN otherwise). A figure that cannot be measured is NaN.
 *
 * <p>Without forking ({@code -f 0}) the benchmark JVM merges its own profiles, labelled fork {@code 0}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class JprofProfiler implements InternalProfiler, ExternalProfiler {

    /** The secondary result with the bytes allocated per operation: {@value}, in B/op. */
    public static final String ALLOC_NORM = "jprof.alloc.norm";
    /** The secondary result with the objects allocated per operation: {@value}, in objects/op. */
    public static final String OBJECTS_NORM = "jprof.alloc.objects.norm";
    /** The text result with the hot functions of the merged profile: {@value}. */
    public static final String HOT = "jprof";
    /** The system property by which the host tells a forked JVM its fork number: {@value}. */
    public static final String FORK_PROPERTY = "jprof.jmh.fork";

    /** The format of the benchmark's {@code summary.json}: {@value}, its {@code "schema"}. */
    public static final String SUMMARY_SCHEMA = RunReport.BENCHMARK_SCHEMA;

    private static final String WARMUP_FORK = "warmup";

    private final ProfilerOptions options;

    // benchmark JVM: the benchmark being measured
    private String forkKey;
    private int warmups;
    private int measurements;
    private long allocatedBefore;
    private ProfilingSession session;
    private ProfilingSession arming;
    private String captureProblem;
    private final Map<ProfileKind, List<Profile>> iterations = new EnumMap<>(ProfileKind.class);

    // host JVM: the benchmark whose forks are being launched
    private String hostKey;
    private int launches;
    private final List<Double> forkAllocNorms = new ArrayList<>();
    private final List<Double> forkObjectNorms = new ArrayList<>();
    private final List<Double> forkScores = new ArrayList<>();

    /** The profiler with the default options: CPU profiles into {@code target/jprof/jmh}. */
    public JprofProfiler() throws ProfilerException {
        this("");
    }

    /**
     * The profiler with {@code initLine}'s options, as JMH passes them.
     *
     * @throws ProfilerException with the help text for {@code help}, or naming an unknown option or bad value
     */
    public JprofProfiler(String initLine) throws ProfilerException {
        try {
            this.options = ProfilerOptions.parse(initLine);
        } catch (ProfilerOptions.Invalid e) {
            throw new ProfilerException(e.getMessage());
        }
    }

    @Override
    public String getDescription() {
        return "jprof: pprof profiles and flame graphs of the measurement iterations of all forks, exact allocation per op";
    }

    // ---------------------------------------------------------------- benchmark JVM (InternalProfiler)

    @Override
    public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) {
        String key = folder(benchmark).toString();
        if (!key.equals(forkKey)) {
            forkKey = key;
            warmups = 0;
            measurements = 0;
            iterations.clear();
            captureProblem = null;
            if (forkNumber() == 0) {
                clearQuietly(dir(benchmark)); // no host to do it without forking
            }
        }
        if (iteration.getType() == IterationType.WARMUP) {
            warmups++;
            if (options.objects() && warmups == iteration.getCount() && profiled()) {
                // Counting every allocation takes effect late in a JVM's first capture (the first measured
                // iteration undercounted by up to 20% in our tests): count through the last warm-up iteration
                // and discard it, so that every measured iteration is counted from its first allocation.
                try {
                    arming = Profiler.start(options.capture(List.of()));
                } catch (CaptureException e) {
                    arming = null; // the measured capture reports the problem
                }
            }
        } else {
            measurements++;
            ProfileOptions capture = options.capture(List.of(benchmark.getBenchmark()));
            if (!capture.kinds().isEmpty() && profiled()) {
                try {
                    session = Profiler.start(capture);
                    if (options.objects()) {
                        // A thread starts counting at its next TLAB refill: a GC retires every TLAB, so that the
                        // iteration is counted from its first allocation.
                        System.gc();
                    }
                } catch (CaptureException e) {
                    session = null;
                    captureProblem = e.getMessage();
                }
            }
        }
        allocatedBefore = allocatedBytes(); // last, so that starting a capture is not counted
    }

    @Override
    public Collection<? extends Result<?>> afterIteration(
            BenchmarkParams benchmark, IterationParams iteration, IterationResult result) {
        long allocatedAfter = allocatedBytes(); // first, so that stopping and converting are not counted
        long ops = result.getMetadata().getAllOps();
        double bytesPerOp = allocatedBefore < 0 || allocatedAfter < 0 || ops <= 0
                ? Double.NaN
                : (double) (allocatedAfter - allocatedBefore) / ops;
        double objectsPerOp = Double.NaN;
        if (arming != null) {
            arming.close();
            arming = null;
        }
        List<Result<?>> results = new ArrayList<>();
        if (session != null) {
            ProfilingSession s = session;
            session = null;
            try {
                CaptureResult captured = s.stop();
                int fork = forkNumber();
                Map<String, String> labels =
                        Map.of(FORK_LABEL, String.valueOf(fork), ITERATION_LABEL, String.valueOf(measurements));
                captured.profiles().forEach((kind, p) -> {
                    if (kind != ProfileKind.ALLOC
                            || options.events().contains(ProfileKind.ALLOC)
                            || options.objects()) {
                        iterations.computeIfAbsent(kind, k -> new ArrayList<>()).add(withLabels(p, labels));
                    }
                });
                Profile alloc = captured.profiles().get(ProfileKind.ALLOC);
                if (options.objects() && alloc != null && captured.engine().startsWith("async-profiler") && ops > 0) {
                    objectsPerOp = (double) alloc.total(alloc.valueIndex("alloc_objects")) / ops;
                }
            } catch (CaptureException e) {
                captureProblem = e.getMessage();
            }
        }
        results.add(new ScalarResult(ALLOC_NORM, bytesPerOp, "B/op", AggregationPolicy.AVG));
        results.add(new ScalarResult(OBJECTS_NORM, objectsPerOp, "objects/op", AggregationPolicy.AVG));
        if (iteration.getType() == IterationType.MEASUREMENT && measurements == iteration.getCount()) {
            results.addAll(finishFork(benchmark));
        }
        return results;
    }

    /** After the last measurement iteration: writes this fork's profiles (and merges them without a host). */
    private List<Result<?>> finishFork(BenchmarkParams benchmark) {
        List<Result<?>> results = new ArrayList<>();
        if (captureProblem != null) {
            results.add(new TextResult("jprof could not profile this fork: " + captureProblem, HOT));
        }
        if (iterations.isEmpty() || !profiled()) {
            return results;
        }
        Map<ProfileKind, Profile> fork = new EnumMap<>(ProfileKind.class);
        iterations.forEach((kind, list) -> fork.put(kind, Profiles.merge(list)));
        iterations.clear();
        Path dir = dir(benchmark);
        try {
            ForkArtifacts.writeFork(dir, forkNumber(), fork);
            if (forkNumber() == 0) {
                results.add(new TextResult(hotText(dir, ForkArtifacts.merge(dir, title(benchmark)), 1), HOT));
            }
        } catch (IOException e) {
            results.add(new TextResult("jprof could not write the profiles of this fork: " + e.getMessage(), HOT));
        }
        return results;
    }

    private boolean profiled() {
        return !WARMUP_FORK.equals(System.getProperty(FORK_PROPERTY));
    }

    /** This JVM's fork number: 1, 2... as the host numbered it; 0 when JMH does not fork. */
    private static int forkNumber() {
        String n = System.getProperty(FORK_PROPERTY);
        if (n == null || n.equals(WARMUP_FORK)) {
            return 0;
        }
        try {
            return Integer.parseInt(n);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * {@code getTotalThreadAllocatedBytes()}, which also counts threads that ended: JDK 21+ (and later
     * JDK 17 updates), not in the Java 17 API, so looked up; {@code null} where missing.
     */
    private static final java.lang.reflect.Method TOTAL_ALLOCATED = totalAllocatedMethod();

    private static java.lang.reflect.Method totalAllocatedMethod() {
        try {
            return com.sun.management.ThreadMXBean.class.getMethod("getTotalThreadAllocatedBytes");
        } catch (NoSuchMethodException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Bytes allocated by all threads so far, or -1 when the JVM cannot tell. Without
     * {@code getTotalThreadAllocatedBytes}, the sum over live threads (threads that ended during the
     * iteration are then missed, as with JMH's GC profiler on such JVMs).
     */
    private static long allocatedBytes() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
                || !threads.isThreadAllocatedMemorySupported()
                || !threads.isThreadAllocatedMemoryEnabled()) {
            return -1;
        }
        if (TOTAL_ALLOCATED != null) {
            try {
                return (Long) TOTAL_ALLOCATED.invoke(threads);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // Supported and enabled was checked above, so this is unexpected. Never fall back to the sum over
                // live threads here: the other reading of the iteration may be a total, and their difference
                // would be meaningless. The iteration reports no bytes/op (NaN) instead of a wrong figure.
                return -1;
            }
        }
        long sum = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            sum += Math.max(0, bytes);
        }
        return sum;
    }

    // ---------------------------------------------------------------- host JVM (ExternalProfiler)

    @Override
    public Collection<String> addJVMInvokeOptions(BenchmarkParams params) {
        return List.of();
    }

    /** Called once per launched JVM, warm-up forks first: numbers the forks. */
    @Override
    public Collection<String> addJVMOptions(BenchmarkParams params) {
        String key = folder(params).toString();
        if (!key.equals(hostKey)) {
            hostKey = key;
            launches = 0;
            forkAllocNorms.clear();
            forkObjectNorms.clear();
            forkScores.clear();
            clearQuietly(dir(params));
        }
        launches++;
        int fork = launches - params.getWarmupForks();
        List<String> jvmOptions = new ArrayList<>();
        jvmOptions.add("-D" + FORK_PROPERTY + "=" + (fork <= 0 ? WARMUP_FORK : fork));
        if (javaMajor(params.getJdkVersion()) >= 22
                && params.getJvmArgs().stream().noneMatch(a -> a.startsWith("--enable-native-access"))) {
            jvmOptions.add("--enable-native-access=ALL-UNNAMED"); // async-profiler's library, without a warning
        }
        return jvmOptions;
    }

    @Override
    public void beforeTrial(BenchmarkParams benchmarkParams) {
        // forks are numbered in addJVMOptions
    }

    /**
     * After each measured fork: merges the per-fork profiles so far, updates the summary. JMH calls this
     * after warm-up forks too ({@code -wf}); their results are discarded, as JMH discards them.
     */
    @Override
    public Collection<? extends Result<?>> afterTrial(BenchmarkResult br, long pid, File stdOut, File stdErr) {
        BenchmarkParams params = br.getParams();
        int fork = launches - params.getWarmupForks();
        if (fork <= 0) {
            return List.of(); // a warm-up fork: neither profiled nor counted
        }
        forkScores.add(br.getPrimaryResult().getScore());
        Result<?> alloc = br.getSecondaryResults().get(ALLOC_NORM);
        forkAllocNorms.add(alloc == null ? Double.NaN : alloc.getScore());
        Result<?> objects = br.getSecondaryResults().get(OBJECTS_NORM);
        forkObjectNorms.add(objects == null ? Double.NaN : objects.getScore());
        Path dir = dir(params);
        List<Result<?>> results = new ArrayList<>();
        try {
            Map<ProfileKind, Profile> merged = ForkArtifacts.merge(dir, title(params));
            writeSummary(params, br.getPrimaryResult().getScoreUnit(), dir, merged);
            if (fork >= params.getForks()) {
                results.add(new TextResult(hotText(dir, merged, forkScores.size()), HOT));
            }
        } catch (IOException | RuntimeException e) {
            results.add(new TextResult("jprof could not merge the profiles in [" + dir + "]: " + e, HOT));
            return results;
        }
        try {
            // the same run report as JUnit's: index.html and summary.json in the profiler's folder, every benchmark
            RunReport.write(options.dir());
        } catch (IOException | RuntimeException e) {
            results.add(new TextResult(
                    "jprof could not write the run report in [" + options.dir().toAbsolutePath() + "]: " + e, HOT));
        }
        return results;
    }

    @Override
    public boolean allowPrintOut() {
        return true;
    }

    @Override
    public boolean allowPrintErr() {
        return true;
    }

    private void writeSummary(BenchmarkParams params, String unit, Path dir, Map<ProfileKind, Profile> merged)
            throws IOException {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("schema", SUMMARY_SCHEMA);
        s.put("benchmark", params.getBenchmark());
        s.put("mode", params.getMode().shortLabel());
        Map<String, Object> p = new LinkedHashMap<>();
        for (String k : params.getParamsKeys()) {
            p.put(k, params.getParam(k));
        }
        s.put("params", p);
        s.put("forks", forkScores.size());
        s.put("score", mean(forkScores));
        s.put("scoreUnit", unit);
        s.put("allocBytesPerOp", mean(forkAllocNorms));
        s.put("allocObjectsPerOp", mean(forkObjectNorms));
        Map<String, Object> profiles = new LinkedHashMap<>();
        for (Map.Entry<ProfileKind, Profile> e : merged.entrySet()) {
            Map<String, Object> files = new LinkedHashMap<>();
            files.put("pprof", ProfileArtifacts.pprofFileName(e.getKey()));
            files.put("flameGraph", ProfileArtifacts.flameGraphFileName(e.getKey()));
            files.put("samples", e.getValue().samples().size());
            profiles.put(e.getKey().id(), files);
        }
        s.put("profiles", profiles);
        s.put("artifacts", ForkArtifacts.artifacts(dir));
        s.put("finishedAt", Instant.now().toString());
        s.put("pid", ProcessHandle.current().pid());
        s.put("run", RunReport.currentRun());
        byte[] json = (Json.write(s) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve(ForkArtifacts.SUMMARY), out -> out.write(json));
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private String hotText(Path dir, Map<ProfileKind, Profile> merged, int forks) {
        StringBuilder b = new StringBuilder("jprof artifacts: ")
                .append(dir.toAbsolutePath())
                .append('\n');
        Profile p = merged.get(ProfileKind.CPU);
        String kind = "cpu";
        if (p == null && !merged.isEmpty()) {
            Map.Entry<ProfileKind, Profile> first = merged.entrySet().iterator().next();
            p = first.getValue();
            kind = first.getKey().id();
        }
        if (p != null && options.top() > 0) {
            b.append("Hot functions (")
                    .append(kind)
                    .append(", self, ")
                    .append(p.samples().size())
                    .append(" samples from ")
                    .append(forks)
                    .append(forks == 1 ? " fork" : " forks")
                    .append("):\n")
                    .append(hotTable(p, options.top()));
        }
        return b.toString();
    }

    /** The label naming the fork a sample comes from: {@code 1}, {@code 2}... ({@code 0} without forking). */
    private static final String FORK_LABEL = "fork";
    /** The label naming the measurement iteration a sample comes from, from {@code 1}. */
    private static final String ITERATION_LABEL = "iteration";

    /** {@code profile} with {@code labels} added to every sample. */
    private static Profile withLabels(Profile profile, Map<String, String> labels) {
        Profile.Builder b = profile.withoutSamples();
        for (dev.jprof.profile.Sample s : profile.samples()) {
            Map<String, String> l = new HashMap<>(s.labels());
            l.putAll(labels);
            b.addSample(s.stack(), s.values(), l);
        }
        return b.build();
    }

    /** The {@code n} hottest functions by flat value, as lines of a table: {@code "  34.1%  java.util.regex.Pattern$Slice.match"}. */
    private static String hotTable(Profile profile, int n) {
        StringBuilder b = new StringBuilder();
        for (HotFunction h : ProfileAnalysis.of(profile).top(n)) {
            b.append(String.format(Locale.ROOT, "  %5.1f%%  %s%n", h.flatPercent(), h.function()));
        }
        return b.toString();
    }

    private Path dir(BenchmarkParams params) {
        return options.dir().resolve(folder(params));
    }

    private static Path folder(BenchmarkParams params) {
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String k : params.getParamsKeys()) {
            ordered.put(k, params.getParam(k));
        }
        return BenchmarkFolders.of(params.getBenchmark(), params.getMode().shortLabel(), ordered);
    }

    private static String title(BenchmarkParams params) {
        return params.getBenchmark()
                + (params.getParamsKeys().isEmpty() ? "" : " " + folder(params).getFileName());
    }

    private static void clearQuietly(Path dir) {
        try {
            ForkArtifacts.clear(dir);
        } catch (IOException e) {
            // best effort: each fork's files are rewritten anyway; only files of forks beyond this run's could remain
        }
    }

    static int javaMajor(String version) {
        if (version == null) {
            return 0;
        }
        String v = version.startsWith("1.") ? version.substring(2) : version;
        int end = 0;
        while (end < v.length() && Character.isDigit(v.charAt(end))) {
            end++;
        }
        return end == 0 ? 0 : Integer.parseInt(v.substring(0, end));
    }
}
