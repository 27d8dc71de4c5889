package dev.jprof.capture.internal;

import dev.jprof.capture.CaptureException;
import dev.jprof.capture.Engine;
import dev.jprof.capture.ProfileOptions;
import java.nio.file.Path;
import java.util.function.Supplier;
import one.profiler.AsyncProfiler;

/**
 * Chooses the capture engine. async-profiler's native library is loaded once per JVM; when it
 * cannot load and the engine is {@link Engine#AUTO}, JFR is used and one warning says why.
 */
public final class Engines {

    private static final System.Logger LOG = System.getLogger("dev.jprof");
    private static final Engines DEFAULT = new Engines(AsyncProfiler::getInstance);

    private final Supplier<AsyncProfiler> loader;
    private AsyncProfiler profiler;
    private Throwable loadFailure;
    private boolean loaded;
    private boolean warned;

    /** {@code loader} loads async-profiler; package-private tests pass one that fails. */
    Engines(Supplier<AsyncProfiler> loader) {
        this.loader = loader;
    }

    /** The JVM-wide instance. */
    public static Engines get() {
        return DEFAULT;
    }

    /**
     * Starts recording what {@code options} asks for, with the engine it chooses, into {@code dir}.
     *
     * @throws CaptureException when the engine is {@link Engine#ASYNC_PROFILER} and it cannot load, or
     *     when recording cannot start
     */
    synchronized Channel open(ProfileOptions options, Path dir) {
        return choose(options.engine()).equals("jfr")
                ? JdkChannel.profiling(options, dir)
                : AsyncProfilerChannel.start(profiler, options, dir);
    }

    /**
     * The engine {@code choice} comes to here: {@code async-profiler} or {@code jfr}.
     *
     * @throws CaptureException when {@code choice} is {@link Engine#ASYNC_PROFILER} and it cannot load
     */
    synchronized String choose(Engine choice) {
        if (choice == Engine.JFR) {
            return "jfr";
        }
        load();
        if (profiler != null) {
            return "async-profiler";
        }
        if (choice == Engine.ASYNC_PROFILER) {
            throw new CaptureException(
                    "jprof.engine=async-profiler, but async-profiler cannot load on " + platform()
                            + ": " + loadFailure
                            + ". Use jprof.engine=auto or jfr, or point -Done.profiler.libraryPath=<path>"
                            + " at a libasyncProfiler built for this platform.",
                    loadFailure);
        }
        if (!warned) {
            warned = true;
            LOG.log(
                    System.Logger.Level.WARNING,
                    "jprof: async-profiler cannot load on " + platform() + " (" + loadFailure
                            + "); profiling with JFR instead. Set jprof.engine=jfr to choose JFR and silence this warning.");
        }
        return "jfr";
    }

    private void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        try {
            profiler = loader.get();
            if (profiler == null) {
                loadFailure = new IllegalStateException("no async-profiler library for this platform");
            }
        } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError, SecurityException...
            loadFailure = t;
        }
    }

    private static String platform() {
        return System.getProperty("os.name") + "/" + System.getProperty("os.arch");
    }
}
