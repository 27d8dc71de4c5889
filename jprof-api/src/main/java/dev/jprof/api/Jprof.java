package dev.jprof.api;

import dev.jprof.api.spi.Hook;
import dev.jprof.api.spi.Listener;
import java.util.Objects;

/**
 * Marks what code is doing, for jprof's traces and profiles: Go's {@code runtime/trace}
 * ({@code WithRegion}, {@code NewTask}, {@code Log}) for the JVM.
 *
 * <pre>{@code
 * Order order = Jprof.region("parse", () -> parser.parse(bytes));   // a region around a call
 * try (Region r = Jprof.region("price")) {                          // or around a block
 *     pricing.price(order);
 * }
 * Task request = Jprof.task("request " + id);                       // regions on several threads, linked
 * executor.submit(() -> request.region("store", () -> store.save(order)));
 * Jprof.log("cache", "miss " + key);                                // an instant event
 * }</pre>
 *
 * <p>While jprof records (a test with {@code @Trace}, {@code @ProfileCpu}..., a {@code Profiler} or
 * {@code Tracer} session, {@code jprof.profile}), a region is a slice on its thread's track in
 * {@code trace.json}, regions of one {@link Task} are linked by flow arrows, logs are instant events, and
 * every profile sample taken inside a region carries the label {@code region} = the innermost region's
 * name ({@code go tool pprof -tagfocus region=parse cpu.pb.gz}).
 *
 * <p>When nothing records, a region costs one volatile read: this module has no dependencies and is
 * safe to add to main code at compile scope. Regions are per thread and must be closed on the thread
 * that opened them, innermost first (try-with-resources does both).
 */
public final class Jprof {

    private Jprof() {}

    /** Code run in a region; throws what it throws. */
    @FunctionalInterface
    public interface Body<E extends Throwable> {
        void run() throws E;
    }

    /** Code run in a region that returns a value; throws what it throws. */
    @FunctionalInterface
    public interface ValueBody<T, E extends Throwable> {
        T get() throws E;
    }

    /**
     * Opens a region named {@code name} on the calling thread, closed by {@link Region#close()}:
     * {@code try (Region r = Jprof.region("parse")) { ... }}.
     *
     * @throws NullPointerException when {@code name} is null
     */
    public static Region region(String name) {
        return Region.open(name, null);
    }

    /** Runs {@code body} in a region named {@code name}; see {@link #region(String)}. */
    @SuppressWarnings("try") // the region is closed, never read
    public static <E extends Throwable> void region(String name, Body<E> body) throws E {
        try (Region ignored = region(name)) {
            body.run();
        }
    }

    /** Runs {@code body} in a region named {@code name} and returns its value; see {@link #region(String)}. */
    @SuppressWarnings("try") // the region is closed, never read
    public static <T, E extends Throwable> T region(String name, ValueBody<T, E> body) throws E {
        try (Region ignored = region(name)) {
            return body.get();
        }
    }

    /**
     * Starts a task: a piece of work, such as one request, whose regions may run on several threads
     * ({@link Task#region}). Close it when the work is done.
     *
     * @throws NullPointerException when {@code name} is null
     */
    public static Task task(String name) {
        return Task.start(name);
    }

    /**
     * Logs {@code message} in {@code category} as an instant event on the calling thread's track, as
     * Go's {@code trace.Log}.
     *
     * @throws NullPointerException when either is null
     */
    public static void log(String category, String message) {
        Task.logIn(null, category, message);
    }

    /** Whether jprof is recording regions now: to skip work done only to name a region or build a message. */
    public static boolean isRecording() {
        return Hook.current() != null;
    }

    static Listener listener() {
        return Hook.current();
    }

    static String requireName(String name, String what) {
        return Objects.requireNonNull(name, what);
    }
}
