package dev.jprof.junit.internal;

import dev.jprof.alloc.AllocationOptions;
import dev.jprof.alloc.AllocationReport;
import dev.jprof.alloc.internal.AllocationReports;
import dev.jprof.alloc.internal.Attribution;
import dev.jprof.alloc.internal.ThreadAllocations;
import dev.jprof.assertj.internal.AllocationMessages;
import dev.jprof.capture.CaptureException;
import dev.jprof.format.internal.ProfileArtifacts;
import dev.jprof.internal.Figures;
import dev.jprof.junit.AllocationLimit;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor.Invocation;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.ReflectionSupport;
import org.opentest4j.AssertionFailedError;

/**
 * {@link AllocationLimit} for one test invocation: counts what the test method's invocation
 * allocates, then checks the limit and the baseline.
 *
 * <p>Counting covers the call of the test method on the test thread (and the threads the test starts).
 * When jprof's interceptor is the innermost one, jprof makes that call itself through a method handle
 * and skips JUnit's, so that nothing else runs while counting. Otherwise counting starts right before
 * {@code invocation.proceed()} and stops right after it, and two things JUnit does inside that call
 * are not the test's: creating the method's reflective accessor on its first call (JDK 18+ spins method handles
 * there; on JDK 17 it generates one after 15 calls), which is done before counting starts by calling
 * the method on a {@code null} receiver (the call fails before the body runs); and JUnit's own path to {@code Method.invoke}, whose allocation is
 * measured at run time, right before and after the test, by calling an empty method through the same
 * {@link ReflectionSupport#invokeMethod} and subtracted (the smaller of the two readings, so that
 * nothing of the test is ever subtracted).
 */
final class AllocationLimits {

    private static final System.Logger LOG = System.getLogger("dev.jprof");
    /** Find sites by running a failing test again: {@value}, default {@code true}. */
    static final String SITES = "jprof.alloc.sites";

    private static final Method EMPTY = emptyMethod();
    private static final Calibration TARGET = new Calibration();
    private static final Object[] NO_ARGS = {};

    static {
        try {
            for (int i = 0; i < 3; i++) {
                call(directHandle(EMPTY), TARGET, NO_ARGS); // links the call site
            }
        } catch (Throwable e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    /** Methods whose reflective accessor is final: prepared once. */
    private static final java.util.Set<Method> PREPARED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /**
     * Calls that make the accessor final: JDK 18+ creates it on the first call; JDK 17 calls through
     * JNI {@code sun.reflect.inflationThreshold} times (default 15) and then generates a class.
     */
    private static final int PREPARING_CALLS =
            Runtime.version().feature() >= 18 ? 1 : Integer.getInteger("sun.reflect.inflationThreshold", 15) + 2;

    private final AllocationLimit limit;
    private final Class<?> testClass;
    private final Method method;
    private final ExtensionContext context;
    private final ReflectiveInvocationContext<Method> reflective;
    private ThreadAllocations.Counts counts;
    /** How long the counted run of the body took (warm-up runs left out), or -1 before it ran. */
    private volatile long bodyNanos = -1;

    private AllocationLimits(
            AllocationLimit limit,
            Class<?> testClass,
            Method method,
            ExtensionContext context,
            ReflectiveInvocationContext<Method> reflective) {
        this.limit = limit;
        this.testClass = testClass;
        this.method = method;
        this.context = context;
        this.reflective = reflective;
    }

    /**
     * How long the counted run of the test body took, without the {@link AllocationLimit#warmup()} runs
     * before it: the test's own time; -1 when it has not run.
     */
    long bodyNanos() {
        return bodyNanos;
    }

    /** The exact bytes the test's body allocated, for its summary; {@code null} when it did not run. */
    TestSummary.Exact exact() {
        ThreadAllocations.Counts c = counts;
        return c == null ? null : new TestSummary.Exact(c.bytes());
    }

    /** The limits of a test, or {@code null} when it has none; the method's annotation wins over its classes'. */
    static AllocationLimits find(
            Class<?> testClass,
            Method method,
            ExtensionContext context,
            ReflectiveInvocationContext<Method> reflective) {
        Optional<AllocationLimit> found = TestAnnotations.nearest(testClass, method, AllocationLimit.class);
        if (found.isEmpty()) {
            return null;
        }
        AllocationLimit l = found.get();
        if (l.bytes() < AllocationLimit.NONE || l.objects() < AllocationLimit.NONE) {
            throw new ExtensionConfigurationException("@AllocationLimit on [" + where(method)
                    + "]: bytes and objects must be" + " >= 0, or AllocationLimit.NONE");
        }
        if (l.warmup() < 0) {
            throw new ExtensionConfigurationException(
                    "@AllocationLimit on [" + where(method) + "]: warmup must be >= 0, was " + l.warmup());
        }
        if (l.warmup() > 0 && reflective == null) {
            throw new ExtensionConfigurationException("@AllocationLimit on [" + where(method) + "]: warmup = "
                    + l.warmup() + " needs a test method to run again, and a dynamic test cannot be run again");
        }
        if (l.bytes() == AllocationLimit.NONE && l.objects() == AllocationLimit.NONE && !l.baseline()) {
            throw new ExtensionConfigurationException("@AllocationLimit on [" + where(method) + "] sets no limit:"
                    + " give bytes, objects or baseline = true");
        }
        return new AllocationLimits(l, testClass, method, context, reflective);
    }

    private static String where(AnnotatedElement e) {
        return TestId.where(e);
    }

    /**
     * {@code invocation}, counting what it allocates. When jprof's interceptor is the innermost (the
     * usual case: an annotation on the test method registers it last), the test method is called
     * directly through a fresh method handle and JUnit's own call is {@linkplain Invocation#skip()
     * skipped}: nothing but the body runs while counting. Otherwise JUnit's call runs, and its
     * reflective path is calibrated out.
     */
    Invocation<Void> measuring(Invocation<Void> invocation) {
        return () -> {
            warmUp();
            MethodHandle direct = innermost(invocation) ? directHandle(reflective.getExecutable()) : null;
            if (direct != null) {
                Object target = reflective.getTarget().orElse(null);
                Object[] args = reflective.getArguments().toArray();
                invocation.skip();
                ThreadAllocations.Window window = ThreadAllocations.open();
                long start = System.nanoTime();
                try {
                    call(direct, target, args);
                } finally {
                    bodyNanos = System.nanoTime() - start;
                    counts = window.close();
                }
                return null;
            }
            boolean reflectiveCall = reflective != null;
            if (reflectiveCall) {
                prepareAccessor();
            }
            long before = reflectiveCall ? calibrate() : 0;
            ThreadAllocations.Window window = ThreadAllocations.open();
            long start = System.nanoTime();
            try {
                return invocation.proceed();
            } finally {
                bodyNanos = System.nanoTime() - start;
                ThreadAllocations.Counts raw = window.close();
                long machinery = reflectiveCall ? Math.min(before, calibrate()) : 0;
                counts = new ThreadAllocations.Counts(
                        Math.max(0, raw.callerBytes() - machinery),
                        raw.childBytes(),
                        raw.threadsCreated(),
                        raw.threadsStarted(),
                        raw.threads(),
                        raw.problem());
            }
        };
    }

    /**
     * Runs the test method {@link AllocationLimit#warmup()} times before the counted run, on the same
     * instance with the same arguments (no {@code @BeforeEach} in between), so that one-time work (class
     * initialization, a lambda linked on its first execution, a cache filled) is done before counting.
     * A handle of its own: the counted call's handle has never been called (see {@link #directHandle}).
     */
    private void warmUp() throws Throwable {
        if (limit.warmup() == 0) {
            return;
        }
        Method m = reflective.getExecutable();
        Object target = reflective.getTarget().orElse(null);
        Object[] args = reflective.getArguments().toArray();
        MethodHandle handle = Modifier.isStatic(m.getModifiers()) ? null : directHandle(m);
        for (int i = 0; i < limit.warmup(); i++) {
            if (handle != null) {
                call(handle, target, args);
            } else {
                try {
                    m.setAccessible(true);
                    m.invoke(target, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        }
    }

    /** Whether {@code invocation} calls the test method itself, with no other interceptor inside. */
    private boolean innermost(Invocation<Void> invocation) {
        if (reflective == null || Modifier.isStatic(reflective.getExecutable().getModifiers())) {
            return false;
        }
        try {
            java.lang.reflect.Field delegate = invocation.getClass().getDeclaredField("delegate");
            delegate.setAccessible(true);
            return delegate.get(invocation) == reflective;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false; // another JUnit version: call through JUnit, calibrated
        }
    }

    /**
     * A new handle calling {@code m} as {@code (Object target, Object[] args) -> Object}: new for each
     * call, so that the JDK never customizes it (which it does after 127 calls of one handle,
     * allocating) while counting.
     *
     * @return the handle, or {@code null} when {@code m} is not accessible to jprof (its package is in a named
     *     module that does not open it to jprof): the caller then calls it through JUnit, whose reflective path
     *     is calibrated out; any other failure propagates
     */
    static MethodHandle directHandle(Method m) {
        try {
            m.setAccessible(true);
            return MethodHandles.lookup()
                    .unreflect(m)
                    .asSpreader(Object[].class, m.getParameterCount())
                    .asType(MethodType.methodType(Object.class, Object.class, Object[].class));
        } catch (IllegalAccessException | java.lang.reflect.InaccessibleObjectException e) {
            LOG.log(
                    System.Logger.Level.DEBUG,
                    () -> "jprof: [" + where(m) + "] is called through JUnit, not directly: " + e);
            return null;
        }
    }

    /** The one call site of direct calls, linked when this class initializes. */
    static void call(MethodHandle handle, Object target, Object[] args) throws Throwable {
        Object ignored = (Object) handle.invokeExact(target, args);
    }

    /** Creates the reflective accessor of the test method without running its body. */
    private void prepareAccessor() {
        if (Modifier.isStatic(method.getModifiers())) {
            return;
        }
        Method m = reflective.getExecutable();
        if (PREPARED.contains(m)) {
            return;
        }
        Object[] args = reflective.getArguments().toArray();
        try {
            m.setAccessible(true);
        } catch (RuntimeException e) {
            return; // JUnit will fail to call it too
        }
        for (int i = 0; i < PREPARING_CALLS; i++) {
            try {
                m.invoke(null, args);
            } catch (InvocationTargetException | IllegalAccessException | RuntimeException expected) {
                // the null receiver is refused once the accessor exists, before the body runs
            }
        }
        PREPARED.add(m);
    }

    /** Bytes JUnit's path to {@code Method.invoke} allocates around an empty method, right now. */
    private static long calibrate() {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long start = ThreadAllocations.currentThreadBytes();
            ReflectionSupport.invokeMethod(EMPTY, TARGET, NO_ARGS);
            min = Math.min(min, ThreadAllocations.currentThreadBytes() - start);
        }
        return min;
    }

    /** The test's name in messages: {@code ParserTest.parse()}, with the invocation for templates. */
    String name() {
        return TestId.shortName(testClass, method, context.getUniqueId(), context.getDisplayName());
    }

    /** The test's key in the baseline file: {@code com.acme.ParserTest#parse(String)[2]}. */
    String baselineKey() {
        return TestId.baselineKey(testClass, method, context.getUniqueId());
    }

    /**
     * Checks the counted figure; called only when the test itself passed.
     *
     * @return the failure, or {@code null}
     */
    Throwable verify(Path dir, Baselines.Config baselineConfig, Baselines baselines, boolean sitesEnabled)
            throws Throwable {
        if (counts == null) {
            return null; // the test method did not run
        }
        AllocationOptions options = AllocationOptions.runs(1).withWarmup(0).withName(name());
        AllocationReport quick = AllocationReports.report(options, counts, 1, null);
        Double baseline = limit.baseline() ? baselines.get(baselineKey()).orElse(null) : null;
        boolean overBytes = limit.bytes() != AllocationLimit.NONE && quick.totalBytes() > limit.bytes();
        boolean needObjects = limit.objects() != AllocationLimit.NONE && !quick.objectsCounted();
        boolean overBaseline =
                baseline != null && !baselineConfig.update() && quick.bytesPerOp() > baselineConfig.allowed(baseline);
        boolean needSites = overBytes || needObjects || overBaseline || !quick.exact();
        AllocationReport report = quick;
        if (needSites) {
            AllocationReports.SiteFinder finder = sitesEnabled && reflective != null ? this::runAgain : null;
            report = AllocationReports.report(
                    options.withObjects(true),
                    counts,
                    1,
                    finder != null
                            ? finder
                            : n -> {
                                throw new CaptureException(
                                        reflective == null
                                                ? "a dynamic test cannot be run again to find them"
                                                : "running a test again is off (" + SITES + "=false)");
                            });
            if (report.profile() != null) {
                ProfileArtifacts.write(
                        report.profile(),
                        dir,
                        ProfileArtifacts.ALLOC_SITES,
                        testClass.getName() + TestId.SEPARATOR + name()
                                + " — allocation sites (the test run again, every allocation recorded)");
            }
        }
        if (!report.exact() && report.notes().stream().anyMatch(n -> n.contains("ended before"))) {
            return new AssertionFailedError("jprof cannot check the allocation limit of " + report.name()
                    + ": only part of its allocation was counted (" + report.totalBytes() + " B)"
                    + AllocationMessages.details(report));
        }
        if (limit.bytes() != AllocationLimit.NONE && report.totalBytes() > limit.bytes()) {
            return new AssertionFailedError(
                    AllocationMessages.shouldAllocateAtMostBytes(report, (double) limit.bytes())
                            .create(),
                    limit.bytes() + " B/op",
                    Figures.perOp(report.totalBytes(), report.ops()) + " B/op");
        }
        if (limit.objects() != AllocationLimit.NONE) {
            if (!report.objectsCounted()) {
                return new AssertionFailedError(AllocationMessages.objectsNotCounted(report));
            }
            if (report.objectsPerOp() > limit.objects()) {
                return new AssertionFailedError(
                        AllocationMessages.shouldAllocateAtMostObjects(report, (double) limit.objects())
                                .create(),
                        limit.objects() + " objects/op",
                        Figures.perOp(report.objectsPerOp()) + " objects/op");
            }
        }
        if (limit.baseline()) {
            return checkBaseline(report, baseline, baselineConfig, baselines);
        }
        return null;
    }

    private Throwable checkBaseline(
            AllocationReport report, Double baseline, Baselines.Config config, Baselines baselines)
            throws java.io.IOException {
        String key = baselineKey();
        double measured = report.bytesPerOp();
        if (config.update() || (baseline == null && config.missing() == Baselines.Missing.RECORD)) {
            if (baseline == null || baseline != measured) {
                baselines.put(key, measured);
                publish("recorded " + Figures.perOp(measured) + " B/op in [" + baselines.file() + "]"
                        + (baseline == null ? "" : ", was " + Figures.perOp(baseline) + " B/op"));
            }
            return null;
        }
        if (baseline == null) {
            if (config.missing() == Baselines.Missing.PASS) {
                publish("no baseline entry [" + key + "] in [" + baselines.file() + "]; measured " + report.figures());
                return null;
            }
            return new AssertionFailedError(
                    "No allocation baseline for " + report.name() + " (entry [" + key + "]) in ["
                            + baselines.file() + "]; it allocated " + report.figures() + ".\nRecord it with -D"
                            + Baselines.UPDATE
                            + "=true (or set " + Baselines.MISSING + "=record) and commit the file.");
        }
        double allowed = config.allowed(baseline);
        if (measured > allowed) {
            return new AssertionFailedError(
                    AllocationMessages.shouldNotExceedBaseline(
                                    report,
                                    baseline,
                                    allowed,
                                    "Baseline: [" + baselines.file() + "], entry [" + key
                                            + "]. If the new figure is intended, update it with -D" + Baselines.UPDATE
                                            + "=true and commit the file.")
                            .create(),
                    Figures.perOp(baseline) + " B/op",
                    Figures.perOp(measured) + " B/op");
        }
        if (measured < baseline) {
            publish(report.name() + " allocated " + Figures.perOp(measured) + " B/op, less than its baseline of "
                    + Figures.perOp(baseline) + " B/op: lower the baseline with -D" + Baselines.UPDATE + "=true");
        }
        return null;
    }

    private void publish(String message) {
        context.publishReportEntry("jprof.baseline", message);
        LOG.log(System.Logger.Level.INFO, "jprof: " + message);
    }

    /** Runs the test method {@code n} more times on the same instance with the same arguments, under a profiler. */
    private Attribution.Result runAgain(int n) throws Throwable {
        TestBody body = TestBody.of(reflective);
        try {
            return Attribution.count(n, () -> {
                for (int i = 0; i < n; i++) {
                    body.run();
                }
            });
        } catch (CaptureException e) {
            throw e;
        } catch (Throwable t) {
            throw new CaptureException("running the test again threw " + t, t);
        }
    }

    private static Method emptyMethod() {
        try {
            return Calibration.class.getDeclaredMethod("empty");
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The target of the calibration calls. */
    static final class Calibration {
        void empty() {
            // deliberately empty
        }
    }
}
