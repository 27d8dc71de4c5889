package dev.jprof.junit.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.jprof.capture.CaptureException;
import dev.jprof.capture.CaptureResult;
import dev.jprof.capture.ProfileOptions;
import dev.jprof.capture.Profiler;
import dev.jprof.capture.ProfilingSession;
import dev.jprof.format.ProfileArtifacts;
import dev.jprof.internal.Units;
import dev.jprof.junit.ProfileAlloc;
import dev.jprof.junit.ProfileCpu;
import dev.jprof.junit.ProfileLock;
import dev.jprof.junit.ProfileWall;
import dev.jprof.profile.ProfileKind;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
 * that fails makes an otherwise passing test fail with the cause.
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

        ProfilingSession session;
        try {
            ProfileArtifacts.clear(dir);
            session = Profiler.start(options);
        } catch (Exception e) {
            // Run the test anyway: its own failure, if any, wins; otherwise it fails with the cause.
            Throwable failure = runCollecting(invocation);
            throw merge(failure, new CaptureException("jprof could not start profiling [" + test + "]: " + e.getMessage(), e));
        }
        Throwable testFailure = runCollecting(invocation);
        Throwable captureFailure = null;
        try {
            // The framework's frames below the test are the same in every test: root stacks at the test
            // method, or for a dynamic test (a lambda) at this interceptor.
            CaptureResult result = session.stop()
                    .rootedAt(INTERCEPTOR_FRAME)
                    .rootedAt(method.getDeclaringClass().getName() + "." + method.getName());
            ProfileArtifacts.write(result, dir, test);
        } catch (Throwable t) {
            captureFailure = new CaptureException("jprof could not write the profiles of [" + test + "] to [" + dir + "]: "
                    + t.getMessage(), t);
        } finally {
            session.close();
        }
        if (testFailure != null || captureFailure != null) {
            throw merge(testFailure, captureFailure);
        }
        JprofParameters.verify(limits, context, settings, testClass, method);
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
    private static Throwable merge(Throwable testFailure, Throwable captureFailure) {
        if (testFailure == null) {
            return captureFailure;
        }
        if (captureFailure != null) {
            testFailure.addSuppressed(captureFailure);
        }
        return testFailure;
    }

    /** Display names from the test method down to this invocation: {@code parse(String) › [1] "a, b"}. */
    private static String describe(ExtensionContext context) {
        List<String> names = new ArrayList<>();
        for (ExtensionContext c = context; c.getParent().isPresent() && !(c.getElement().orElse(null) instanceof Class);
                c = c.getParent().get()) {
            names.add(0, c.getDisplayName());
        }
        return String.join(" › ", names);
    }

    /** The test method or class; for a dynamic test, that of the {@code @TestFactory} that made it. */
    private static <T> T find(ExtensionContext context, Function<ExtensionContext, Optional<T>> get, String what) {
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
            Optional<ProfileCpu> cpu = AnnotationSupport.findAnnotation(element, ProfileCpu.class);
            if (cpu.isPresent()) {
                kinds.add(ProfileKind.CPU);
                if (!cpu.get().interval().isBlank()) {
                    options = options.withCpuInterval(Units.parseDuration(cpu.get().interval(), where(cpu.get(), element)));
                }
            }
            Optional<ProfileWall> wall = AnnotationSupport.findAnnotation(element, ProfileWall.class);
            if (wall.isPresent()) {
                kinds.add(ProfileKind.WALL);
                if (!wall.get().interval().isBlank()) {
                    options = options.withWallInterval(Units.parseDuration(wall.get().interval(), where(wall.get(), element)));
                }
            }
            Optional<ProfileAlloc> alloc = AnnotationSupport.findAnnotation(element, ProfileAlloc.class);
            if (alloc.isPresent()) {
                kinds.add(ProfileKind.ALLOC);
                if (!alloc.get().interval().isBlank()) {
                    options = options.withAllocInterval(Units.parseSize(alloc.get().interval(), where(alloc.get(), element)));
                }
            }
            Optional<ProfileLock> lock = AnnotationSupport.findAnnotation(element, ProfileLock.class);
            if (lock.isPresent()) {
                kinds.add(ProfileKind.LOCK);
                if (!lock.get().threshold().isBlank()) {
                    options = options.withLockThreshold(Units.parseDuration(lock.get().threshold(), where(lock.get(), element)));
                }
            }
        }
        return options.withKinds(kinds);
    }

    private static String where(Annotation a, AnnotatedElement element) {
        String on = element instanceof Method m ? m.getDeclaringClass().getName() + "." + m.getName() + "()" : ((Class<?>) element).getName();
        return "@" + a.annotationType().getSimpleName() + " on [" + on + "]";
    }
}
