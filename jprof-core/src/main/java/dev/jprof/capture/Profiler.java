package dev.jprof.capture;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;
import static org.apiguardian.api.API.Status.INTERNAL;

import dev.jprof.capture.internal.FrameNames;
import dev.jprof.capture.internal.Recorder;
import dev.jprof.internal.Evidence;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * Captures profiles of a piece of code; no test framework needed.
 *
 * <pre>{@code
 * try (ProfilingSession session = Profiler.start(ProfileOptions.of(ProfileKind.CPU))) {
 *     parser.parse(document);
 *     Profile cpu = session.stop().profile(ProfileKind.CPU);
 * }
 * }</pre>
 *
 * <p>The JVM runs one recording (async-profiler's, or the JDK's Flight Recorder where it cannot load),
 * started by the first session and stopped a moment after the last one ends; each session is a window
 * on it, holding what every thread but the JVM's own did while it was open. Sessions may overlap and
 * nest; a session that needs a kind or an interval the recording lacks restarts it, which leaves a gap
 * of a few milliseconds in sessions open at that moment.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Profiler {

    /** The frame of {@link #capture}, which calls the code profiled. */
    private static final String CAPTURE_FRAME = Profiler.class.getName() + ".capture";

    private Profiler() {}

    /** Code that may throw. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Throwable;
    }

    /**
     * Starts capturing the kinds in {@code options}.
     *
     * @throws CaptureException when the engine cannot start (for example async-profiler forced but
     *     not loadable), naming the cause
     * @throws IllegalArgumentException when {@code options} has no kinds
     */
    public static ProfilingSession start(ProfileOptions options) {
        if (options.kinds().isEmpty()) {
            throw new IllegalArgumentException("Nothing to profile: the options name no profile kind");
        }
        return new ProfilingSession(options, Recorder.get().open(options, null, Recorder.Scope.APPLICATION, "profile"));
    }

    /**
     * Runs {@code code} under a capture and returns its profiles. When {@code code} throws, the
     * capture is discarded and the exception propagates.
     *
     * <p>An assertion on one of the profiles that has too few samples to decide runs {@code code}
     * again, on the calling thread, and adds the samples of those runs, until it decides or the time
     * budget {@code jprof.repeat.budget} (default 5 s) is spent.
     */
    public static CaptureResult profile(ProfileOptions options, ThrowingRunnable code) throws Throwable {
        return profile(options, code, Evidence.budgetFromSystemProperties());
    }

    /**
     * {@link #profile(ProfileOptions, ThrowingRunnable)} with the budget for repeating {@code code}
     * when an assertion cannot decide; for jprof's JUnit extension, which reads it from JUnit's configuration.
     */
    @API(status = INTERNAL, since = "0.1")
    public static CaptureResult profile(ProfileOptions options, ThrowingRunnable code, Duration repeatBudget)
            throws Throwable {
        // stacks start at the code profiled, not at whoever called this (unless the options name other roots)
        List<String> roots = new ArrayList<>(options.rootFunctions());
        roots.add(FrameNames.runFunction(code));
        // a sample between the window's start and the code's call starts here, not at the caller's frames
        roots.add(CAPTURE_FRAME);
        ProfileOptions rooted = options.withRootFunctions(roots);
        CaptureResult result = capture(rooted, code, 0);
        for (Map.Entry<ProfileKind, Profile> e : result.profiles().entrySet()) {
            ProfileKind kind = e.getKey();
            Evidence.register(
                    e.getValue(),
                    nanos -> capture(rooted, code, nanos).profile(kind),
                    repeatBudget,
                    "the profiled code");
        }
        return result;
    }

    /** The profiles of {@code code}, run once and then again until {@code nanos} have passed. */
    private static CaptureResult capture(ProfileOptions options, ThrowingRunnable code, long nanos) throws Throwable {
        try (ProfilingSession session = start(options)) {
            long start = System.nanoTime();
            do {
                code.run();
            } while (System.nanoTime() - start < nanos);
            return session.stop();
        }
    }

    /**
     * A CPU profile of {@code code}, with the intervals and engine of the {@code jprof.*} system
     * properties: {@code Profile cpu = Profiler.cpu(() -> parser.parse(doc));}
     *
     * @throws Exception what {@code code} throws (the capture is then discarded)
     * @throws CaptureException when profiling cannot start or stop
     */
    public static Profile cpu(ThrowingRunnable code) throws Exception {
        return profileOne(ProfileKind.CPU, code);
    }

    /** A wall-clock profile of {@code code}; see {@link #cpu(ThrowingRunnable)}. */
    public static Profile wall(ThrowingRunnable code) throws Exception {
        return profileOne(ProfileKind.WALL, code);
    }

    /** An allocation profile of {@code code}; see {@link #cpu(ThrowingRunnable)}. */
    public static Profile alloc(ThrowingRunnable code) throws Exception {
        return profileOne(ProfileKind.ALLOC, code);
    }

    /** A lock contention profile of {@code code}; see {@link #cpu(ThrowingRunnable)}. */
    public static Profile lock(ThrowingRunnable code) throws Exception {
        return profileOne(ProfileKind.LOCK, code);
    }

    /**
     * The profile of {@code kind} of {@code code}, captured with {@code options} (whose kinds are
     * replaced by {@code kind}).
     *
     * @throws Exception what {@code code} throws (a {@code Throwable} that is neither an exception nor
     *     an error is wrapped in {@link java.lang.reflect.UndeclaredThrowableException})
     */
    public static Profile profile(ProfileKind kind, ProfileOptions options, ThrowingRunnable code) throws Exception {
        return profile(kind, options, code, Evidence.budgetFromSystemProperties());
    }

    /** {@link #profile(ProfileKind, ProfileOptions, ThrowingRunnable)} with the budget for repeating {@code code}; for jprof's JUnit extension. */
    @API(status = INTERNAL, since = "0.1")
    public static Profile profile(
            ProfileKind kind, ProfileOptions options, ThrowingRunnable code, Duration repeatBudget) throws Exception {
        try {
            return profile(options.withKinds(EnumSet.of(kind)), code, repeatBudget)
                    .profile(kind);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UndeclaredThrowableException(t);
        }
    }

    private static Profile profileOne(ProfileKind kind, ThrowingRunnable code) throws Exception {
        return profile(kind, ProfileOptions.fromSystemProperties(), code);
    }
}
