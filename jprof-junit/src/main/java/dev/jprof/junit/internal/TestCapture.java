package dev.jprof.junit.internal;

import dev.jprof.capture.CaptureException;
import dev.jprof.capture.ProfileOptions;
import dev.jprof.capture.internal.Recorder;
import dev.jprof.format.FlameGraph;
import dev.jprof.format.Pprof;
import dev.jprof.format.TraceEventFormat;
import dev.jprof.format.internal.ProfileArtifacts;
import dev.jprof.format.internal.RunReport;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import dev.jprof.trace.TraceOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The capture of one test: a window on the JVM's recording while the test runs, then its artifacts
 * and summary written on jprof's worker thread. The one routine behind every jprof annotation, the
 * injected {@code Jprof} and {@code jprof.profile}.
 */
final class TestCapture {

    static final String TRACE_JFR = "trace.jfr";
    static final String TRACE_JSON = "trace.json";
    static final String BLOCK_PPROF = "block.pb.gz";
    static final String BLOCK_HTML = "block.html";
    static final String IO_PPROF = "io.pb.gz";
    static final String IO_HTML = "io.html";

    private final Settings settings;
    private final TestId test;
    private final boolean trace;
    private final boolean block;
    private final boolean io;
    private final Recorder.Window window;
    private CompletableFuture<Recorder.Result> result;
    /** Open, then ended by the test's own thread ({@link #finish}) or abandoned by another ({@link #abandonIfOpen}): whichever comes first. */
    private final AtomicInteger state = new AtomicInteger(OPEN);

    private static final int OPEN = 0;
    private static final int FINISHED = 1;
    private static final int ABANDONED = 2;

    private TestCapture(
            Settings settings, TestId test, boolean trace, boolean block, boolean io, Recorder.Window window) {
        this.settings = settings;
        this.test = test;
        this.trace = trace;
        this.block = block;
        this.io = io;
        this.window = window;
    }

    /**
     * Clears the test's folder of an earlier run's artifacts and opens its window.
     *
     * @param traceOptions the trace, or {@code null}
     * @param trace whether {@code trace.jfr} and {@code trace.json} are written
     * @param block whether {@code block.pb.gz} and {@code block.html} are written
     * @param io whether {@code io.pb.gz} and {@code io.html} are written
     * @throws CaptureException naming the test when the folder or the recording cannot be prepared
     */
    static TestCapture open(
            Settings settings,
            TestId test,
            ProfileOptions options,
            TraceOptions traceOptions,
            boolean trace,
            boolean block,
            boolean io) {
        try {
            // on the test's thread: a folder that does not exist yet (a first or clean run) has nothing to clear
            if (Files.isDirectory(test.dir())) {
                ProfileArtifacts.clear(test.dir());
                TestSummary.clear(test.dir());
                Comparisons.clear(test.dir());
                for (String name : List.of(TRACE_JFR, TRACE_JSON, BLOCK_PPROF, BLOCK_HTML, IO_PPROF, IO_HTML)) {
                    Files.deleteIfExists(test.dir().resolve(name));
                }
            } else {
                Files.createDirectories(test.dir());
            }
            TraceOptions t = traceOptions == null
                    ? null
                    : traceOptions.withLabel(test.label()).withRootFunctions(options.rootFunctions());
            return new TestCapture(
                    settings, test, trace, block, io, Recorder.get().open(options, t, settings.scope(), test.label()));
        } catch (IOException | RuntimeException e) {
            throw new CaptureException("jprof could not start profiling [" + test.label() + "]: " + e.getMessage(), e);
        }
    }

    /**
     * Called by the thread that ran the test, when the test returned: whether the capture is still
     * its to close and write ({@code false} when it was abandoned because the test did not return in time).
     */
    boolean finish() {
        return state.compareAndSet(OPEN, FINISHED);
    }

    /**
     * Abandons the window if the test has not returned: JUnit gave up on it (a timeout in a separate
     * thread) and its thread may never end. Later windows then no longer wait for it.
     *
     * @return whether it was abandoned
     */
    boolean abandonIfOpen() {
        if (state.compareAndSet(OPEN, ABANDONED)) {
            window.abandon();
            return true;
        }
        return false;
    }

    /** Ends the window; its recording is read a moment later. */
    void close() {
        result = window.close();
    }

    /** Ends the window and waits for its recording to be read: for checks that decide the test's result. */
    Recorder.Result closeAndJoin() {
        Recorder.Result r = window.closeAndJoin();
        result = CompletableFuture.completedFuture(r);
        return r;
    }

    /** Drops the window: the test was captured elsewhere. */
    void abandon() {
        window.abandon();
    }

    /**
     * Waits until {@code written} (from {@link #write}) is done, having the recording read now if it
     * has not been yet: so that a profile that cannot be written fails its own test.
     *
     * @return {@code null}, or a {@link CaptureException} naming the test, its folder and the cause
     */
    CaptureException await(CompletableFuture<Void> written) {
        try {
            if (!written.isDone()) {
                window.join();
            }
            written.join();
            return null;
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof UncheckedIOException u && u.getCause() != null) {
                cause = u.getCause();
            }
            return new CaptureException(
                    "jprof could not write the profiles of [" + test.label() + "] to [" + test.dir() + "]: " + cause,
                    cause);
        }
    }

    /**
     * Writes the artifacts and the summary once the recording is read.
     *
     * @param outcome the test's failure, or {@code null}
     * @param exact the exact bytes of an {@code @AllocationLimit} test, or {@code null}
     * @param testNanos the test's own time (its body as JUnit ran it; in a whole-suite run, from the test's
     *     start to its end), the summary's {@code durationNanos}
     */
    CompletableFuture<Void> write(Throwable outcome, TestSummary.Exact exact, long testNanos) {
        return result.thenAccept(r -> {
            try {
                List<String> artifacts = new ArrayList<>();
                if (r.capture() != null) {
                    for (Path p : ProfileArtifacts.write(r.capture(), test.dir(), test.label())) {
                        artifacts.add(p.getFileName().toString());
                    }
                }
                Map<ProfileKind, Map<String, Object>> diffs =
                        Comparisons.write(settings.compare(), settings.outputDir(), test, r.capture(), artifacts);
                if (r.timeline() != null) {
                    if (trace) {
                        r.traceRecording().writeTo(test.dir().resolve(TRACE_JFR));
                        TraceEventFormat.write(r.timeline(), test.dir().resolve(TRACE_JSON), test.label());
                        artifacts.add(TRACE_JFR);
                        artifacts.add(TRACE_JSON);
                    } else {
                        r.traceRecording().discard();
                    }
                    if (block) {
                        Pprof.write(r.timeline().blockProfile(), test.dir().resolve(BLOCK_PPROF));
                        FlameGraph.write(
                                r.timeline().blockProfile(),
                                test.dir().resolve(BLOCK_HTML),
                                test.label() + " — block (jfr)");
                        artifacts.add(BLOCK_PPROF);
                        artifacts.add(BLOCK_HTML);
                    }
                    if (io) {
                        Profile ioProfile = r.timeline().ioProfile();
                        Pprof.write(ioProfile, test.dir().resolve(IO_PPROF));
                        FlameGraph.write(ioProfile, test.dir().resolve(IO_HTML), test.label() + " — I/O (jfr)");
                        artifacts.add(IO_PPROF);
                        artifacts.add(IO_HTML);
                    }
                }
                // files jprof's other parts wrote in the folder for this test: allocation sites, a thread dump
                for (String known : RunReport.KNOWN_ARTIFACTS) {
                    if (!artifacts.contains(known)
                            && Files.isRegularFile(test.dir().resolve(known))) {
                        artifacts.add(known);
                    }
                }
                TestSummary.write(settings.outputDir(), test, r, artifacts, outcome, exact, testNanos, diffs);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
