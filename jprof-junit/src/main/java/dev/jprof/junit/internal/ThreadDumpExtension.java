package dev.jprof.junit.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.jprof.capture.CaptureException;
import dev.jprof.junit.DumpThreads;
import dev.jprof.threads.ThreadDump;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * The extension behind {@link DumpThreads}; users never name it.
 *
 * <p>JUnit's {@code TimeoutExtension} is registered before any user extension, so its interceptor
 * wraps this one: by the time an exception reaches here or an {@code afterTestExecution} callback
 * the thread that was stuck has been interrupted (same-thread mode) and its stack is gone. So when a
 * timeout applies, the interceptor arms a watchdog that dumps the threads shortly before the
 * deadline; {@link #afterTestExecution} (on the thread that runs the test's lifecycle, also in
 * {@code SEPARATE_THREAD} mode, where the interceptor's own thread stays stuck) writes that dump if
 * the test failed, else a dump it takes then.
 */
@API(status = INTERNAL, since = "0.1")
public final class ThreadDumpExtension implements InvocationInterceptor, AfterTestExecutionCallback {

    static final String TEXT = "threads.txt";
    static final String PPROF = "threads.pb.gz";
    static final String WATCHDOG_THREAD = "jprof-thread-dump-watchdog";

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ThreadDumpExtension.class);

    private static final ScheduledThreadPoolExecutor WATCHDOG = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, WATCHDOG_THREAD);
        t.setDaemon(true);
        return t;
    });

    static {
        WATCHDOG.setRemoveOnCancelPolicy(true);
    }

    /** A dump armed for one test invocation; closed (cancelled) with the test's store. */
    static final class Watch implements AutoCloseable {
        final long startNanos = System.nanoTime();
        final Duration timeout;
        final Duration ahead;
        volatile ScheduledFuture<?> scheduled;
        volatile ThreadDump dump;
        volatile long dumpedAtNanos;
        volatile boolean started;

        /** Waits for a dump that began (on a loaded machine it may end after JUnit interrupted the test). */
        void awaitStartedDump() {
            ScheduledFuture<?> s = scheduled;
            if (started && s != null) {
                try {
                    s.get(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (java.util.concurrent.ExecutionException
                        | java.util.concurrent.TimeoutException
                        | java.util.concurrent.CancellationException e) {
                    // no dump from the watchdog: one is taken now instead
                }
            }
        }

        Watch(Duration timeout) {
            this.timeout = timeout;
            this.ahead = lead(timeout);
        }

        void arm() {
            // load the management classes now, so that the dump at the deadline is quick
            java.lang.management.ManagementFactory.getThreadMXBean();
            long delay = Math.max(0, timeout.minus(ahead).toNanos());
            scheduled = WATCHDOG.schedule(
                    () -> {
                        dumpedAtNanos = System.nanoTime();
                        started = true;
                        dump = ThreadDump.take();
                    },
                    delay,
                    TimeUnit.NANOSECONDS);
        }

        @Override
        public void close() {
            ScheduledFuture<?> s = scheduled;
            if (s != null) {
                s.cancel(false);
            }
        }
    }

    /** How long before a timeout the dump is taken: 10% of it, at least 5 ms, at most 250 ms. */
    static Duration lead(Duration timeout) {
        long lead = Math.min(Math.max(timeout.toNanos() / 10, 5_000_000L), 250_000_000L);
        return lead < timeout.toNanos() ? Duration.ofNanos(lead) : Duration.ZERO;
    }

    @Override
    public void interceptTestMethod(
            Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context)
            throws Throwable {
        watch(invocation, context, false);
    }

    @Override
    public void interceptTestTemplateMethod(
            Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context)
            throws Throwable {
        watch(invocation, context, true);
    }

    private static void watch(Invocation<Void> invocation, ExtensionContext context, boolean template)
            throws Throwable {
        Optional<DumpThreads> annotation = annotation(context);
        if (annotation.isPresent() && enabled(context)) {
            Path dir = folder(context);
            Files.deleteIfExists(dir.resolve(TEXT));
            Files.deleteIfExists(dir.resolve(PPROF));
            Optional<Duration> timeout = JUnitTimeouts.of(
                    context, context.getRequiredTestClass(), context.getRequiredTestMethod(), template);
            if (timeout.isPresent()) {
                Watch w = new Watch(timeout.get());
                context.getStore(NAMESPACE).put(Watch.class, w);
                w.arm();
            }
        }
        invocation.proceed();
    }

    @Override
    public void afterTestExecution(ExtensionContext context) throws IOException {
        Optional<DumpThreads> annotation = annotation(context);
        if (annotation.isEmpty() || !enabled(context)) {
            return;
        }
        Watch w = context.getStore(NAMESPACE).remove(Watch.class, Watch.class);
        if (w != null) {
            // wait for a dump that began before cancelling: cancelling first would make get() throw at once
            w.awaitStartedDump();
            w.close();
        }
        Optional<Throwable> failure = context.getExecutionException();
        if (failure.isEmpty() && annotation.get().value() != DumpThreads.When.ALWAYS) {
            return;
        }
        String test = TestId.label(context);
        ThreadDump dump;
        String when;
        if (w != null && w.dump != null) {
            dump = w.dump;
            when = String.format(
                    java.util.Locale.ROOT,
                    "taken %d ms into the test, %d ms before its timeout of %d ms",
                    TimeUnit.NANOSECONDS.toMillis(w.dumpedAtNanos - w.startNanos),
                    Math.max(0, w.timeout.toMillis() - TimeUnit.NANOSECONDS.toMillis(w.dumpedAtNanos - w.startNanos)),
                    w.timeout.toMillis());
        } else {
            dump = ThreadDump.take();
            when = failure.isPresent() ? "taken after the test failed" : "taken after the test passed";
        }
        String heading = "Threads of [" + test + "], " + when
                + failure.map(f -> "\nThe test failed with: " + f).orElse("");
        Path dir = folder(context);
        try {
            Files.createDirectories(dir);
            dump.write(dir.resolve(TEXT), dir.resolve(PPROF), heading);
            // a profiled test's summary is written before this: the report lists the dump from it
            TestSummary.addArtifacts(dir, List.of(TEXT, PPROF));
        } catch (IOException | RuntimeException e) {
            // thrown from a callback: JUnit adds it as suppressed when the test failed already
            throw new CaptureException(
                    "jprof could not write the thread dump of [" + test + "] to [" + dir + "]: " + e.getMessage(), e);
        }
    }

    private static Optional<DumpThreads> annotation(ExtensionContext context) {
        Optional<Method> method = context.getTestMethod();
        Optional<Class<?>> testClass = context.getTestClass();
        if (method.isEmpty() || testClass.isEmpty()) {
            return Optional.empty();
        }
        return TestAnnotations.nearest(testClass.get(), method.get(), DumpThreads.class);
    }

    private static Settings settings(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        Settings.class, k -> Settings.from(context::getConfigurationParameter), Settings.class);
    }

    private static boolean enabled(ExtensionContext context) {
        return settings(context).enabled();
    }

    private static Path folder(ExtensionContext context) {
        return settings(context)
                .outputDir()
                .resolve(TestFolders.of(
                        context.getRequiredTestClass(),
                        context.getRequiredTestMethod(),
                        context.getUniqueId(),
                        context.getDisplayName()));
    }
}
