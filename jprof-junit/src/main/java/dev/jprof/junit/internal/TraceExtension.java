package dev.jprof.junit.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.jprof.capture.CaptureException;
import dev.jprof.format.FlameGraph;
import dev.jprof.format.Pprof;
import dev.jprof.format.TraceEventFormat;
import dev.jprof.internal.Units;
import dev.jprof.junit.ProfileBlock;
import dev.jprof.junit.Trace;
import dev.jprof.trace.SliceKind;
import dev.jprof.trace.Timeline;
import dev.jprof.trace.TraceOptions;
import dev.jprof.trace.TraceSession;
import dev.jprof.trace.Tracer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link Trace} and {@link ProfileBlock}; users never name it. One JDK Flight
 * Recorder recording around the test method serves both: {@code trace.jfr} and {@code trace.json}
 * for {@code @Trace}, {@code block.pb.gz} and {@code block.html} for {@code @ProfileBlock}. As in
 * {@link JprofExtension}, the recording is read and the artifacts written on jprof's worker thread,
 * a failing test keeps its failure, and a trace that cannot start fails an otherwise passing test.
 */
@API(status = INTERNAL, since = "0.1")
public final class TraceExtension implements InvocationInterceptor {

    static final String TRACE_JFR = "trace.jfr";
    static final String TRACE_JSON = "trace.json";
    static final String BLOCK_PPROF = "block.pb.gz";
    static final String BLOCK_HTML = "block.html";

    /** The frame of {@link #runCollecting}, which calls the test. */
    private static final String INTERCEPTOR_FRAME = TraceExtension.class.getName() + ".runCollecting";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TraceExtension.class);

    private record Config(Settings settings, TraceOptions defaults) {}

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        trace(invocation, context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        trace(invocation, context);
    }

    @Override
    public void interceptDynamicTest(Invocation<Void> invocation, DynamicTestInvocationContext invocationContext,
            ExtensionContext context) throws Throwable {
        trace(invocation, context);
    }

    private static void trace(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
        Config config = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Config.class, k -> {
            Settings settings = Settings.from(context::getConfigurationParameter);
            try {
                return new Config(settings, TraceOptions.defaults(key ->
                        context.getConfigurationParameter(key).map(String::trim).filter(s -> !s.isEmpty())));
            } catch (IllegalArgumentException e) {
                throw new ExtensionConfigurationException(e.getMessage(), e);
            }
        }, Config.class);
        Method method = JprofExtension.find(context, ExtensionContext::getTestMethod, "test method");
        Class<?> testClass = JprofExtension.find(context, ExtensionContext::getTestClass, "test class");
        Optional<Trace> trace = nearest(testClass, method, Trace.class);
        boolean block = nearest(testClass, method, ProfileBlock.class).isPresent();
        if (!config.settings().enabled() || (trace.isEmpty() && !block)) {
            invocation.proceed();
            return;
        }
        TraceOptions options = config.defaults();
        if (trace.isPresent()) {
            String interval = trace.get().interval();
            if (!interval.isBlank()) {
                try {
                    options = options.withSamplingInterval(Units.parseDuration(interval, "interval"));
                } catch (IllegalArgumentException e) {
                    throw new ExtensionConfigurationException("@Trace on [" + testClass.getName() + "." + method.getName()
                            + "()]: " + e.getMessage(), e);
                }
            }
        } else {
            options = options.withKinds(EnumSet.of(SliceKind.BLOCKED, SliceKind.WAITING, SliceKind.PARKED));
        }
        String test = testClass.getName() + " › " + JprofExtension.describe(context);
        options = options.withLabel(test).withRootFunctions(List.of(
                method.getDeclaringClass().getName() + "." + method.getName(), INTERCEPTOR_FRAME));
        Path dir = config.settings().outputDir().resolve(TestFolders.of(testClass, method, context.getUniqueId(), context.getDisplayName()));

        TraceSession session;
        try {
            for (String name : List.of(TRACE_JFR, TRACE_JSON, BLOCK_PPROF, BLOCK_HTML)) {
                Files.deleteIfExists(dir.resolve(name));
            }
            Files.createDirectories(dir);
            session = Tracer.start(options);
        } catch (Exception e) {
            Throwable failure = runCollecting(invocation);
            throw JprofExtension.merge(failure, new CaptureException("jprof could not start tracing [" + test + "]: " + e.getMessage(), e));
        }
        Throwable testFailure = runCollecting(invocation);
        boolean traced = trace.isPresent();
        CompletableFuture<Void> written;
        try {
            written = session.stopAsync(traced ? dir.resolve(TRACE_JFR) : null)
                    .thenAccept(timeline -> write(timeline, dir, test, traced, block));
        } catch (RuntimeException e) {
            session.close();
            throw JprofExtension.merge(testFailure, new CaptureException("jprof could not stop tracing [" + test + "]: " + e.getMessage(), e));
        }
        context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(PendingArtifacts.class, k -> new PendingArtifacts(), PendingArtifacts.class)
                .add(test, dir, written);
        if (testFailure != null) {
            throw testFailure;
        }
    }

    private static void write(Timeline timeline, Path dir, String test, boolean trace, boolean block) {
        try {
            if (trace) {
                TraceEventFormat.write(timeline, dir.resolve(TRACE_JSON), test);
            }
            if (block) {
                Pprof.write(timeline.blockProfile(), dir.resolve(BLOCK_PPROF));
                FlameGraph.write(timeline.blockProfile(), dir.resolve(BLOCK_HTML), test + " — block (jfr)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Throwable runCollecting(Invocation<Void> invocation) {
        try {
            invocation.proceed();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    /** The annotation on the method, else on its class, else on the classes enclosing a {@code @Nested} class. */
    static <A extends Annotation> Optional<A> nearest(Class<?> testClass, Method method, Class<A> type) {
        List<AnnotatedElement> innerFirst = new ArrayList<>();
        innerFirst.add(method);
        for (Class<?> c = testClass; c != null;
                c = c.isMemberClass() && !Modifier.isStatic(c.getModifiers()) ? c.getEnclosingClass() : null) {
            innerFirst.add(c);
        }
        for (AnnotatedElement e : innerFirst) {
            Optional<A> a = AnnotationSupport.findAnnotation(e, type);
            if (a.isPresent()) {
                return a;
            }
        }
        return Optional.empty();
    }
}
