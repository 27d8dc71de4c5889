package dev.jprof.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.alloc.AllocationOptions;
import dev.jprof.alloc.AllocationReport;
import dev.jprof.api.Region;
import dev.jprof.api.Task;
import dev.jprof.capture.Profiler.ThrowingRunnable;
import dev.jprof.profile.Profile;
import org.apiguardian.api.API;

/**
 * jprof inside a test: declare a parameter of this type in a test method (or a lifecycle method) of
 * a class or method that uses any jprof annotation, or {@link WithJprof @WithJprof}.
 *
 * <pre>{@code
 * @Test
 * @WithJprof
 * void routingDoesNotAllocate(Jprof jprof) throws Exception {
 *     assertThat(jprof.allocations(() -> router.route(request), 10_000)).bytesPerOp().isZero();
 * }
 * }</pre>
 *
 * <p>It also profiles a piece of code and returns the profile, for jprof's assertions:
 *
 * <pre>{@code
 * Profile cpu = jprof.cpu(() -> router.routeAll(requests));
 * assertThat(cpu).hotFunctions(5).noneMatch("java\\.util\\.regex");
 * }</pre>
 *
 * Profiles use the run's configuration ({@code jprof.cpu.interval}, {@code jprof.engine}...). One
 * capture runs at a time in a JVM, so the profiling methods cannot be called from a test that an
 * annotation such as {@code @ProfileCpu} already profiles: they then throw
 * {@link IllegalStateException}.
 *
 * <p>With JUnit's extension auto-detection ({@code junit.jupiter.extensions.autodetection.enabled=true})
 * no annotation is needed at all.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface Jprof {

    /**
     * The bytes {@code op} allocates per run, like Go's {@code testing.AllocsPerRun}: 1,000 warm-up runs,
     * then 1,000 counted runs; objects are counted only when asked for with
     * {@link #allocations(AllocationOptions, ThrowingRunnable)} and {@code AllocationOptions.withObjects(true)}.
     */
    AllocationReport allocations(ThrowingRunnable op) throws Exception;

    /** The bytes {@code op} allocates per run over {@code runs} runs, after as many warm-up runs; objects are not counted. */
    AllocationReport allocations(ThrowingRunnable op, int runs) throws Exception;

    /**
     * What {@code op} allocates per run, measured as {@code dev.jprof.alloc.Allocations#measure}
     * does (bytes, and objects and sites when {@code options} asks for them); the report is named after
     * the test unless {@code options} names it, and the allocation profile of the object-counting run, if any, is written to the test's folder as {@code alloc.pb.gz}.
     * An exception thrown by {@code op} propagates.
     */
    AllocationReport allocations(AllocationOptions options, ThrowingRunnable op) throws Exception;

    /**
     * A CPU profile of {@code code}; its stacks start at {@code code}. An assertion on it that has too
     * few samples to decide runs {@code code} again and adds those samples, within
     * {@code jprof.repeat.budget} (default 5 s).
     *
     * @throws Exception what {@code code} throws
     * @throws dev.jprof.capture.CaptureException when profiling fails
     * @throws IllegalStateException when an annotation already profiles the test
     */
    Profile cpu(ThrowingRunnable code) throws Exception;

    /** A wall-clock profile of {@code code}; see {@link #cpu}. */
    Profile wall(ThrowingRunnable code) throws Exception;

    /** An allocation profile of {@code code} (sampled, see {@code jprof.alloc.interval}); see {@link #cpu}. */
    Profile alloc(ThrowingRunnable code) throws Exception;

    /** A lock contention profile of {@code code}; see {@link #cpu}. */
    Profile lock(ThrowingRunnable code) throws Exception;

    /**
     * Runs {@code body} in a region named {@code name}, as {@link dev.jprof.api.Jprof#region(String, dev.jprof.api.Jprof.Body)}
     * (which main code calls): a slice in {@code trace.json}, a {@code region} label on the samples taken in it.
     */
    default <E extends Throwable> void region(String name, dev.jprof.api.Jprof.Body<E> body) throws E {
        dev.jprof.api.Jprof.region(name, body);
    }

    /** Runs {@code body} in a region named {@code name} and returns its value; see {@link #region(String, dev.jprof.api.Jprof.Body)}. */
    default <T, E extends Throwable> T region(String name, dev.jprof.api.Jprof.ValueBody<T, E> body) throws E {
        return dev.jprof.api.Jprof.region(name, body);
    }

    /** Opens a region for try-with-resources, as {@link dev.jprof.api.Jprof#region(String)}. */
    default Region region(String name) {
        return dev.jprof.api.Jprof.region(name);
    }

    /** Starts a task whose regions may run on several threads, as {@link dev.jprof.api.Jprof#task(String)}. */
    default Task task(String name) {
        return dev.jprof.api.Jprof.task(name);
    }

    /** Logs {@code message} as an instant event, as {@link dev.jprof.api.Jprof#log(String, String)}. */
    default void log(String category, String message) {
        dev.jprof.api.Jprof.log(category, message);
    }
}
