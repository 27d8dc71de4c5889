package dev.jprof.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.capture.Profiler.ThrowingRunnable;
import dev.jprof.profile.Profile;
import org.apiguardian.api.API;

/**
 * jprof in a test: a parameter of a test method (or lifecycle method) in a class that uses any jprof
 * annotation, or {@link WithJprof}.
 *
 * <pre>{@code
 * @Test @WithJprof
 * void routingIsNotDominatedByRegex(Jprof jprof) throws Exception {
 *     Profile cpu = jprof.cpu(() -> router.routeAll(requests));
 *     assertThat(cpu).hotFunctions(5).noneMatch("java\\.util\\.regex");
 * }
 * }</pre>
 *
 * <p>Profiles use the run's configuration ({@code jprof.cpu.interval}, {@code jprof.engine}, …).
 * One capture runs at a time in a JVM, so these methods cannot be called from a test that an
 * annotation such as {@code @ProfileCpu} already profiles: they then throw
 * {@link IllegalStateException}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface Jprof {

    /**
     * A CPU profile of {@code code}.
     *
     * @throws Exception what {@code code} throws
     * @throws dev.jprof.capture.CaptureException when profiling fails
     */
    Profile cpu(ThrowingRunnable code) throws Exception;

    /** A wall-clock profile of {@code code}; see {@link #cpu}. */
    Profile wall(ThrowingRunnable code) throws Exception;

    /** An allocation profile of {@code code} (sampled; see {@code jprof.alloc.interval}); see {@link #cpu}. */
    Profile alloc(ThrowingRunnable code) throws Exception;

    /** A lock contention profile of {@code code}; see {@link #cpu}. */
    Profile lock(ThrowingRunnable code) throws Exception;
}
