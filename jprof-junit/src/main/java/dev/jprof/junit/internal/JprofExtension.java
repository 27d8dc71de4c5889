package dev.jprof.junit.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.jprof.capture.CaptureException;
import dev.jprof.capture.CaptureResult;
import dev.jprof.capture.ProfileOptions;
import dev.jprof.capture.Profiler;
import dev.jprof.capture.ProfilingSession;
import dev.jprof.format.ProfileArtifacts;
import dev.jprof.internal.Units;
import dev.jprof.junit.AllocationLimit;
import dev.jprof.junit.ProfileAlloc;
import dev.jprof.junit.ProfileCpu;
import dev.jprof.junit.ProfileLock;
import dev.jprof.junit.ProfileWall;
import dev.jprof.profile.ProfileKind;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@code @ProfileCpu}, {@code @ProfileWall}, {@code @ProfileAlloc} and
 * {@code @ProfileLock}; users never name it.
 *
 * <p>It intercepts only the invocation of the test method (or dynamic test), so capture covers the
 * test body and nothing of {@code @BeforeEach}, {@code @AfterEach} or JUnit's own machinery
 * outside that call. A failing test keeps its own failure and still gets its artifacts; a capture
 * that cannot start makes an otherwise passing test fail with the cause. Recordings are read and
 * artifacts written on jprof's worker thread while the next test runs; a write that fails then fails
 * the run at its end, naming the test ({@link PendingArtifacts}).
 */
@API(status = INTERNAL, since = "0.1")
public final class JprofExtension implements InvocationInterceptor, ParameterResolver {

    /** The frame of {@link #runCollecting}, which calls the test. */
    private static final String INTERCEPTOR_FRAME = JprofExtension.class.getName() + ".runCollecting";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(JprofExtension.class);

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        profile(invocation, invocationContext, context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        profile(invocation, invocationContext, context);
    }

    @Override
    public void interceptDynamicTest(Invocation<Void> invocation, DynamicTestInvocationContext invocationContext,
            ExtensionContext context) throws Throwable {
        profile(invocation, null, context);
    }

    private static void profile(Invocation<Void> invocation, ReflectiveInvocationContext<Method> reflective,
            ExtensionContext context) throws Throwable {
        Settings settings = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Settings.class, k -> Settings.from(context::getConfigurationParameter), Settings.class);
        Method method = find(context, ExtensionContext::getTestMethod, "test method");
        Class<?> testClass = find(context, ExtensionContext::getTestClass, "test class");
        // @AllocationLimit counts what the invocation allocates, inside any capture, and checks it after
        AllocationLimits limits = AllocationLimits.find(testClass, method, context, reflective);
        if (limits != null) {
            invocation = limits.measuring(invocation);
        }
        ProfileOptions options = settings.enabled() ? resolve(testClass, method, settings.defaults()) : null;
        if (options == null || options.kinds().isEmpty()) {
            invocation.proceed();
            JprofParameters.verify(limits, context, settings, testClass, method);
            return;
        }
        String test = testClass.getName() + " › " + describe(context);
        Path dir = settings.outputDir().resolve(TestFolders.of(testClass, method, context.getUniqueId(), context.getDisplayName()));

        // Closed by JUnit at the end of the run, after PendingArtifacts (stored later, closed earlier):
        // rebuilds the run report once every summary is written.
        context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(RunReportResource.class,
                k -> new RunReportResource(settings.outputDir()), RunReportResource.class);

        ProfilingSession session;
        try {
            ProfileArtifacts.clear(dir);
            TestSummary.clear(dir);
            Files.createDirectories(dir);
            // The framework's frames below the test are the same in every test: stacks start at the
            // test method, or for a dynamic test (a lambda) at this interceptor.
            session = Profiler.start(options.withRootFunctions(List.of(
                    method.getDeclaringClass().getName() + "." + method.getName(), INTERCEPTOR_FRAME)));
        } catch (Exception e) {
            // Run the test anyway: its own failure, if any, wins; otherwise it fails with the cause.
            Throwable failure = runCollecting(invocation);
            throw merge(failure, new CaptureException("jprof could not start profiling [" + test + "]: " + e.getMessage(), e));
        }
        Throwable testFailure = runCollecting(invocation);
        CompletableFuture<CaptureResult> stopped;
        try {
            // Stop now; read the recording and write the artifacts on jprof's worker thread while the
            // next test runs.
            stopped = session.stopAsync();
        } catch (RuntimeException e) {
            throw merge(testFailure, new CaptureException("jprof could not stop profiling [" + test + "]: " + e.getMessage(), e));
        } finally {
            session.close();
        }
        // @Hot and @NotHot decide the test's result, so their test waits for its profiles
        Throwable checkFailure = HotChecks.declared(testClass, method) ? HotChecks.check(testClass, method, stopped) : null;
        Throwable outcome = testFailure != null ? testFailure : checkFailure;
        String testName = describe(context);
        String uniqueId = context.getUniqueId();
        CompletableFuture<Void> written = stopped.thenAccept(result -> {
            write(result, dir, test);
            TestSummary.writeUnchecked(settings.outputDir(), dir, testClass.getName(), testName, uniqueId, result, outcome);
        });
        context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(PendingArtifacts.class, k -> new PendingArtifacts(), PendingArtifacts.class)
                .add(test, dir, written);
        if (testFailure != null) {
            if (checkFailure != null) {
                testFailure.addSuppressed(checkFailure);
            }
            throw testFailure;
        }
        if (checkFailure != null) {
            throw checkFailure;
        }
        JprofParameters.verify(limits, context, settings, testClass, method);
    }

    private static void write(CaptureResult result, Path dir, String test) {
        try {
            ProfileArtifacts.write(result, dir, test);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return JprofParameters.supports(parameterContext);
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Settings settings = extensionContext.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Settings.class,
                k -> Settings.from(extensionContext::getConfigurationParameter), Settings.class);
        return JprofParameters.resolve(extensionContext, settings);
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

    /** Display names from the test method down to this invocation: {@code parse(String) › [1] "a, b"}. */
    static String describe(ExtensionContext context) {
        List<String> names = new ArrayList<>();
        for (ExtensionContext c = context; c.getParent().isPresent() && !(c.getElement().orElse(null) instanceof Class);
                c = c.getParent().get()) {
            names.add(0, c.getDisplayName());
        }
        return String.join(" › ", names);
    }

    /** The test method or class; for a dynamic test, that of the {@code @TestFactory} that made it. */
    static <T> T find(ExtensionContext context, Function<ExtensionContext, Optional<T>> get, String what) {
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            Optional<T> found = get.apply(c.get());
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new ExtensionConfigurationException("jprof found no " + what + " for [" + context.getUniqueId() + "]");
    }

    /**
     * The options for a test: the kinds named on the method, its class (and superclasses), and the
     * classes enclosing a {@code @Nested} class; an option on the method wins over one on a class,
     * an inner class over an outer one.
     */
    static ProfileOptions resolve(Class<?> testClass, Method method, ProfileOptions defaults) {
        List<AnnotatedElement> outerFirst = new ArrayList<>();
        for (Class<?> c = testClass; c != null;
                c = c.isMemberClass() && !Modifier.isStatic(c.getModifiers()) ? c.getEnclosingClass() : null) {
            outerFirst.add(0, c);
        }
        outerFirst.add(method);
        Set<ProfileKind> kinds = EnumSet.noneOf(ProfileKind.class);
        ProfileOptions options = defaults;
        for (AnnotatedElement element : outerFirst) {
            for (KindAnnotation<?> k : KIND_ANNOTATIONS) {
                options = k.applyTo(element, options, kinds);
            }
            kinds.addAll(HotChecks.kinds(element));
        }
        return options.withKinds(kinds);
    }

    /** One {@code @Profile…} annotation: its kind and how its attribute sets an option. */
    private record KindAnnotation<A extends Annotation>(Class<A> type, ProfileKind kind, Function<A, String> attribute,
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
            new KindAnnotation<>(ProfileCpu.class, ProfileKind.CPU, ProfileCpu::interval,
                    (o, v) -> o.withCpuInterval(Units.parseDuration(v, "interval"))),
            new KindAnnotation<>(ProfileWall.class, ProfileKind.WALL, ProfileWall::interval,
                    (o, v) -> o.withWallInterval(Units.parseDuration(v, "interval"))),
            new KindAnnotation<>(ProfileAlloc.class, ProfileKind.ALLOC, ProfileAlloc::interval,
                    (o, v) -> o.withAllocInterval(Units.parseSize(v, "interval"))),
            new KindAnnotation<>(ProfileLock.class, ProfileKind.LOCK, ProfileLock::threshold,
                    (o, v) -> o.withLockThreshold(Units.parseDuration(v, "threshold"))),
            // a limited test also gets the allocation profile of its body, as with @ProfileAlloc
            new KindAnnotation<>(AllocationLimit.class, ProfileKind.ALLOC, a -> "", (o, v) -> o));

    private static String where(Annotation a, AnnotatedElement element) {
        String on = element instanceof Method m ? m.getDeclaringClass().getName() + "." + m.getName() + "()" : ((Class<?>) element).getName();
        return "@" + a.annotationType().getSimpleName() + " on [" + on + "]";
    }
}
