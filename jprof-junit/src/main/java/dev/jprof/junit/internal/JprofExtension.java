package dev.jprof.junit.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.jprof.capture.CaptureException;
import dev.jprof.capture.CaptureResult;
import dev.jprof.capture.ProfileOptions;
import dev.jprof.internal.Evidence;
import dev.jprof.internal.Units;
import dev.jprof.junit.ProfileAlloc;
import dev.jprof.junit.ProfileBlock;
import dev.jprof.junit.ProfileCpu;
import dev.jprof.junit.ProfileIO;
import dev.jprof.junit.ProfileLock;
import dev.jprof.junit.ProfileWall;
import dev.jprof.junit.Trace;
import dev.jprof.profile.ProfileKind;
import dev.jprof.trace.SliceKind;
import dev.jprof.trace.TraceOptions;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind every jprof annotation that captures ({@code @ProfileCpu}, {@code @ProfileWall},
 * {@code @ProfileAlloc}, {@code @ProfileLock}, {@code @ProfileBlock}, {@code @ProfileIO}, {@code @Trace}, {@code @Hot},
 * {@code @NotHot}, {@code @AllocationLimit}) and of the injected {@code Jprof}; users never name it.
 *
 * <p>It intercepts only the invocation of the test method (or dynamic test): the test's window on
 * the JVM's one recording covers the test body and nothing of {@code @BeforeEach}, {@code @AfterEach}
 * or JUnit's own machinery outside that call. A failing test keeps its own failure and still gets its
 * artifacts; a capture that cannot start makes an otherwise passing test fail with the cause. The
 * recording is read and the artifacts written on jprof's worker thread while the next test runs; when
 * a write can be expected to fail (a nearly full disk) the test waits for them, so that a write that
 * fails fails that test, naming it and the folder ({@link ArtifactWrites}). A test that JUnit
 * stops waiting for (a timeout in a separate thread) has its capture abandoned, so later tests go on.
 */
@API(status = INTERNAL, since = "0.1")
public final class JprofExtension implements InvocationInterceptor, ParameterResolver, AfterTestExecutionCallback {

    /** The frame of {@link #runCollecting}, which calls the test. */
    private static final String INTERCEPTOR_FRAME = JprofExtension.class.getName() + ".runCollecting";
    /** The frame of {@link #profile}: samples in it, between the window's start and the test's call, are jprof's. */
    private static final String PROFILE_FRAME = JprofExtension.class.getName() + ".profile";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(JprofExtension.class);

    @Override
    public void interceptTestMethod(
            Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context)
            throws Throwable {
        profile(invocation, invocationContext, context);
    }

    @Override
    public void interceptTestTemplateMethod(
            Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context)
            throws Throwable {
        profile(invocation, invocationContext, context);
    }

    @Override
    public void interceptDynamicTest(
            Invocation<Void> invocation, DynamicTestInvocationContext invocationContext, ExtensionContext context)
            throws Throwable {
        profile(invocation, null, context);
    }

    /** The run's settings, read once and kept in the root store. */
    static Settings settings(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        Settings.class, k -> Settings.from(context::getConfigurationParameter), Settings.class);
    }

    private static void profile(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> reflective, ExtensionContext context)
            throws Throwable {
        Settings settings = settings(context);
        TestId test = TestId.of(context, settings.outputDir());
        // @AllocationLimit counts what the invocation allocates, inside any capture, and checks it after
        AllocationLimits limits = AllocationLimits.find(test.testClass(), test.method(), context, reflective);
        if (limits != null) {
            invocation = limits.measuring(invocation);
        }
        ProfileOptions options = settings.enabled() ? resolve(test.testClass(), test.method(), settings) : null;
        Optional<Trace> trace = settings.enabled()
                ? TestAnnotations.nearest(test.testClass(), test.method(), Trace.class)
                : Optional.empty();
        boolean block = settings.enabled()
                && TestAnnotations.nearest(test.testClass(), test.method(), ProfileBlock.class)
                        .isPresent();
        boolean io = settings.enabled()
                && TestAnnotations.nearest(test.testClass(), test.method(), ProfileIO.class)
                        .isPresent();
        TraceOptions traceOptions = traceOptions(settings, test, trace, block, io);
        // a test with only @AllocationLimit records nothing: its window times it, and its summary holds the exact bytes
        if (options == null || (options.kinds().isEmpty() && traceOptions == null && limits == null)) {
            invocation.proceed();
            Throwable failure = JprofParameters.verify(limits, context, settings, test);
            if (failure != null) {
                throw failure;
            }
            return;
        }
        WholeSuite.handledByExtension(test.uniqueId());
        boolean hotChecks = HotChecks.declared(test.testClass(), test.method());
        Duration repeatBudget =
                hotChecks ? repeatBudget(context) : Duration.ZERO; // a bad value fails before the capture opens
        // Closed by JUnit at the end of the run: rebuilds the run report once every summary is written.
        context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        RunReportResource.class,
                        k -> new RunReportResource(settings.outputDir()),
                        RunReportResource.class);

        TestCapture capture;
        // The framework's frames below the test are the same in every test: stacks start at the
        // test method, or for a dynamic test (a lambda) at this interceptor.
        ProfileOptions rooted =
                options.withRootFunctions(List.of(test.rootFunction(), INTERCEPTOR_FRAME, PROFILE_FRAME));
        try {
            capture = TestCapture.open(
                    settings,
                    test,
                    rooted,
                    traceOptions,
                    trace.isPresent() || settings.suiteTraces(),
                    block || settings.suiteBlock(),
                    io || settings.suiteIo());
        } catch (CaptureException e) {
            // Run the test anyway: its own failure, if any, wins; otherwise it fails with the cause.
            throw merge(runCollecting(invocation), e);
        }
        // the test's thread and JUnit's (after a timeout in a separate thread) race to end the capture
        context.getStore(NAMESPACE).put(TestCapture.class, capture);
        long bodyStart = System.nanoTime();
        Throwable testFailure = runCollecting(invocation);
        // the test's own time: the body as JUnit ran it (the counted run, without @AllocationLimit's warm-up runs)
        long bodyNanos = limits != null && limits.bodyNanos() >= 0 ? limits.bodyNanos() : System.nanoTime() - bodyStart;
        if (!capture.finish()) {
            // JUnit gave up on this test and its capture was abandoned (afterTestExecution): nothing to write
            if (testFailure != null) {
                throw testFailure;
            }
            return;
        }
        context.getStore(NAMESPACE).remove(TestCapture.class);
        // @Hot and @NotHot decide the test's result, so their test waits for its profiles
        Throwable checkFailure = null;
        if (hotChecks) {
            try {
                CaptureResult captured = capture.closeAndJoin().capture();
                TestBody body = testFailure == null ? TestBody.of(reflective) : null;
                if (body != null) {
                    // an undecided check runs the body again for more samples, within the budget
                    HotChecks.repeatable(captured, body, rooted, settings.scope(), test.label(), repeatBudget);
                }
                checkFailure = HotChecks.check(
                        test.testClass(),
                        test.method(),
                        captured,
                        kind -> Comparisons.before(settings.compare(), settings.outputDir(), test.dir(), kind) == null
                                ? null
                                : test.dir().resolve(Comparisons.diffFileName(kind)));
            } catch (RuntimeException e) {
                checkFailure = new CaptureException(
                        "jprof could not read the profiles that @Hot/@NotHot check on [" + test.label() + "]: "
                                + e.getMessage(),
                        e);
            }
        } else {
            capture.close();
        }
        Throwable limitFailure = testFailure == null && checkFailure == null
                ? JprofParameters.verify(limits, context, settings, test)
                : null;
        Throwable outcome = testFailure != null ? testFailure : checkFailure != null ? checkFailure : limitFailure;
        CompletableFuture<Void> written =
                ArtifactWrites.watch(capture.write(outcome, limits == null ? null : limits.exact(), bodyNanos));
        CaptureException writeFailure = null;
        if (ArtifactWrites.mustWait(settings.outputDir())) {
            // a write can be expected to fail (little disk left, or one failed already): the test waits
            // for its artifacts, so that one that cannot be written fails this test (never hiding the
            // test's own failure, which stays first)
            writeFailure = capture.await(written);
        } else {
            // written on the worker while the next test runs; closed before the run report (stored later)
            context.getRoot()
                    .getStore(NAMESPACE)
                    .getOrComputeIfAbsent(PendingArtifacts.class, k -> new PendingArtifacts(), PendingArtifacts.class)
                    .add(test.label(), test.dir(), written);
        }
        if (testFailure != null && checkFailure != null) {
            testFailure.addSuppressed(checkFailure);
        }
        if (outcome != null) {
            if (writeFailure != null) {
                outcome.addSuppressed(writeFailure);
            }
            throw outcome;
        }
        if (writeFailure != null) {
            throw writeFailure;
        }
    }

    /**
     * After a test whose invocation JUnit stopped waiting for ({@code @Timeout(threadMode = SEPARATE_THREAD)}:
     * the test's thread may never return), abandons its capture so that later tests' profiles do not
     * wait for it, and says so in the test's failure.
     */
    @Override
    public void afterTestExecution(ExtensionContext context) {
        TestCapture capture = context.getStore(NAMESPACE).remove(TestCapture.class, TestCapture.class);
        if (capture != null && capture.abandonIfOpen()) {
            throw new CaptureException(
                    "jprof abandoned the profile of ["
                            + TestId.of(context, settings(context).outputDir()).label()
                            + "]: the test had not returned when JUnit ended it (a timeout in a separate thread); nothing is written for it");
        }
    }

    /** How long an undecided {@code @Hot}/{@code @NotHot} may run the test again: {@value Evidence#BUDGET}. */
    static Duration repeatBudget(ExtensionContext context) {
        try {
            return Evidence.budget(context::getConfigurationParameter);
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException(e.getMessage(), e);
        }
    }

    /** The trace a test asks for with {@code @Trace}, {@code @ProfileBlock}, {@code @ProfileIO} or {@code jprof.profile}, or {@code null}. */
    private static TraceOptions traceOptions(
            Settings settings, TestId test, Optional<Trace> trace, boolean block, boolean io) {
        TraceOptions options = settings.traceDefaults();
        if (trace.isPresent()) {
            String interval = trace.get().interval();
            if (!interval.isBlank()) {
                try {
                    options = options.withSamplingInterval(Units.parseDuration(interval, "interval"));
                } catch (IllegalArgumentException e) {
                    throw new ExtensionConfigurationException(
                            "@Trace on [" + test.testClass().getName() + "."
                                    + test.method().getName() + "()]: " + e.getMessage(),
                            e);
                }
            }
            return options;
        }
        if (block || io) {
            EnumSet<SliceKind> kinds = EnumSet.noneOf(SliceKind.class);
            if (block) {
                kinds.addAll(Settings.BLOCK_SLICES);
            }
            if (io) {
                kinds.addAll(Settings.IO_SLICES);
            }
            TraceOptions suite = settings.suiteTrace();
            if (suite != null) {
                kinds.addAll(suite.kinds()); // whole-suite trace kinds stay
            }
            return options.withKinds(kinds);
        }
        return settings.enabled() ? settings.suiteTrace() : null;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return JprofParameters.supports(parameterContext);
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return JprofParameters.resolve(extensionContext, settings(extensionContext));
    }

    private static Throwable runCollecting(Invocation<Void> invocation) {
        try {
            invocation.proceed();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    /** The test's own failure, carrying the capture failure as suppressed; or the capture failure alone. */
    static Throwable merge(Throwable testFailure, Throwable captureFailure) {
        if (testFailure == null) {
            return captureFailure;
        }
        if (captureFailure != null) {
            testFailure.addSuppressed(captureFailure);
        }
        return testFailure;
    }

    /**
     * The options for a test: the kinds of {@code jprof.profile}, and those named on the method, its
     * class (and superclasses), and the classes enclosing a {@code @Nested} class; an option on the method wins over one on a class,
     * an inner class over an outer one.
     */
    static ProfileOptions resolve(Class<?> testClass, Method method, Settings settings) {
        Set<ProfileKind> kinds = EnumSet.copyOf(
                settings.suiteKinds().isEmpty() ? EnumSet.noneOf(ProfileKind.class) : settings.suiteKinds());
        ProfileOptions options = settings.defaults();
        for (AnnotatedElement element : TestAnnotations.outerFirst(testClass, method)) {
            for (KindAnnotation<?> k : KIND_ANNOTATIONS) {
                options = k.applyTo(element, options, kinds);
            }
            kinds.addAll(HotChecks.kinds(element));
        }
        return options.withKinds(kinds);
    }

    /** One {@code @Profile…} annotation: its kind and how its attribute sets an option. */
    private record KindAnnotation<A extends Annotation>(
            Class<A> type,
            ProfileKind kind,
            Function<A, String> attribute,
            BiFunction<ProfileOptions, String, ProfileOptions> option) {

        ProfileOptions applyTo(AnnotatedElement element, ProfileOptions options, Set<ProfileKind> kinds) {
            Optional<A> a = AnnotationSupport.findAnnotation(element, type);
            if (a.isEmpty()) {
                return options;
            }
            kinds.add(kind);
            String value = attribute.apply(a.get());
            if (value.isBlank()) {
                return options;
            }
            try {
                return option.apply(options, value);
            } catch (IllegalArgumentException e) {
                throw new ExtensionConfigurationException(where(a.get(), element) + ": " + e.getMessage(), e);
            }
        }
    }

    private static final List<KindAnnotation<?>> KIND_ANNOTATIONS = List.of(
            new KindAnnotation<>(
                    ProfileCpu.class,
                    ProfileKind.CPU,
                    ProfileCpu::interval,
                    (o, v) -> o.withCpuInterval(Units.parseDuration(v, "interval"))),
            new KindAnnotation<>(
                    ProfileWall.class,
                    ProfileKind.WALL,
                    ProfileWall::interval,
                    (o, v) -> o.withWallInterval(Units.parseDuration(v, "interval"))),
            new KindAnnotation<>(
                    ProfileAlloc.class,
                    ProfileKind.ALLOC,
                    ProfileAlloc::interval,
                    (o, v) -> o.withAllocInterval(Units.parseSize(v, "interval"))),
            new KindAnnotation<>(
                    ProfileLock.class,
                    ProfileKind.LOCK,
                    ProfileLock::threshold,
                    (o, v) -> o.withLockThreshold(Units.parseDuration(v, "threshold"))));

    private static String where(Annotation a, AnnotatedElement element) {
        return "@" + a.annotationType().getSimpleName() + " on [" + TestId.where(element) + "]";
    }
}
