package dev.jprof.alloc.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.jprof.alloc.AllocationSite;
import dev.jprof.capture.CaptureException;
import dev.jprof.capture.CaptureResult;
import dev.jprof.capture.Engine;
import dev.jprof.capture.ProfileOptions;
import dev.jprof.capture.Profiler;
import dev.jprof.capture.Profiler.ThrowingRunnable;
import dev.jprof.capture.ProfilingSession;
import dev.jprof.capture.internal.JfrConverter;
import dev.jprof.profile.Frame;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import dev.jprof.profile.Sample;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Runs an operation under async-profiler recording every allocation ({@code alloc=1}) and turns the
 * samples of the operation's threads into exact sites, bytes and objects; falls back to JFR's
 * sampled allocation events where async-profiler cannot load.
 */
@API(status = INTERNAL, since = "0.1")
public final class Attribution {

    /** The frame under which the calling thread's samples belong to the operation. */
    static final String RUN_FRAME = Attribution.class.getName() + ".runOps";

    private static final String REARM_FRAME = Attribution.class.getName() + ".rearm";
    private static final int MAX_STACK = 4;

    private Attribution() {}

    /**
     * What a site-finding run found.
     *
     * @param profile the allocation profile of the operation's threads, rooted at the operation
     * @param sites the sites, most bytes first
     * @param bytes bytes the samples add up to (exact when {@code exact})
     * @param objects objects the samples add up to (exact when {@code exact})
     * @param ops the runs covered
     * @param exact async-profiler recorded every allocation; otherwise JFR sampled them
     * @param counts the thread counters of the same runs
     * @param threads the threads whose samples were kept
     * @param freshThread whether the runs were recorded on a fresh thread of their own ({@link #count})
     * @param notFresh why {@link #count} recorded them on the calling thread instead, or {@code null}
     */
    public record Result(
            Profile profile,
            List<AllocationSite> sites,
            long bytes,
            long objects,
            long ops,
            boolean exact,
            ThreadAllocations.Counts counts,
            List<String> threads,
            boolean freshThread,
            String notFresh) {

        /** This result, saying why it was not recorded on a fresh thread. */
        Result withNotFresh(String why) {
            return new Result(profile, sites, bytes, objects, ops, exact, counts, threads, freshThread, why);
        }
    }

    /**
     * Runs {@code ops} (which performs {@code n} operations) under an allocation profile.
     *
     * @throws CaptureException when no profile could be captured, for example because a session is
     *     already running on this thread
     */
    public static Result run(int n, ThrowingRunnable ops) throws Throwable {
        Engine engine = ProfileOptions.fromSystemProperties().engine();
        ProfilingSession session = null;
        boolean exact = false;
        if (engine != Engine.JFR) {
            try {
                session = Profiler.start(ProfileOptions.of(ProfileKind.ALLOC)
                        .withAllocInterval(0)
                        .withEngine(Engine.ASYNC_PROFILER)
                        .withRootFunctions(List.of(RUN_FRAME)));
                exact = true;
            } catch (CaptureException e) {
                if (engine == Engine.ASYNC_PROFILER
                        || !String.valueOf(e.getMessage()).contains("cannot load")) {
                    throw e;
                }
            }
        }
        Set<String> before = ThreadAllocations.liveThreadNames();
        if (session == null) {
            session = Profiler.start(
                    ProfileOptions.of(ProfileKind.ALLOC).withEngine(Engine.JFR).withRootFunctions(List.of(RUN_FRAME)));
        }
        ThreadAllocations.Counts counts;
        CaptureResult captured;
        try {
            if (exact) {
                rearm();
            }
            ThreadAllocations.Window window = ThreadAllocations.open();
            try {
                runOps(ops);
            } finally {
                counts = window.close();
            }
            captured = session.stop();
        } finally {
            session.close();
        }
        String caller = Thread.currentThread().getName();
        Set<String> threads = new LinkedHashSet<>();
        threads.add(caller);
        Profile all = captured.profile(ProfileKind.ALLOC);
        Profile.Builder mine = all.withoutSamples();
        for (Sample s : all.samples()) {
            String thread = s.label(Sample.THREAD_LABEL);
            boolean keep;
            if (caller.equals(thread)) {
                keep = s.stack().stream().anyMatch(f -> f.function().equals(RUN_FRAME))
                        && s.stack().stream().noneMatch(f -> f.function().equals(REARM_FRAME));
            } else {
                keep = counts.threadsCreated() > 0 && thread != null && !before.contains(thread);
                if (keep) {
                    threads.add(thread);
                }
            }
            if (keep) {
                mine.addSample(s.stack(), s.values(), s.labels());
            }
        }
        Profile profile = mine.build();
        long bytes = profile.total(1);
        long objects = profile.total(0);
        return new Result(
                profile, sites(profile, n), bytes, objects, n, exact, counts, List.copyOf(threads), false, null);
    }

    private static final java.util.concurrent.atomic.AtomicInteger COUNTERS =
            new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Counts the objects and sites of {@code ops} (which performs {@code n} operations) as {@link #run}
     * does, at a fraction of its cost: on a fresh thread of its own, whose every recorded allocation is
     * the operation's. Recording an allocation costs in proportion to the depth of its stack, and the
     * calling thread's stack is deep (a JUnit test body sits dozens of frames down), while the fresh thread's
     * starts a few frames above the operation; reading the recording back costs the same way. The
     * result is used only when it is provably whole: the fresh thread's own counter agrees to the byte
     * with what was recorded, the operation started no thread and threw nothing. Otherwise (an operation
     * that starts threads, or behaves differently on another thread) it falls back to {@link #run}.
     *
     * @throws CaptureException when no profile could be captured
     */
    public static Result count(int n, ThrowingRunnable ops) throws Throwable {
        if (ProfileOptions.fromSystemProperties().engine() == Engine.JFR) {
            return run(n, ops); // JFR samples: no exact count to speed up
        }
        String why = null;
        // every try's thread stays parked until the last try is over, so that each new thread is another
        // address in the JVM, which seeds the heap sampler's random steps afresh (see FRESH_ATTEMPTS)
        List<Parked> parked = new ArrayList<>(FRESH_ATTEMPTS);
        try {
            for (int attempt = 1; attempt <= FRESH_ATTEMPTS; attempt++) {
                Fresh fresh = onFreshThread(n, ops, parked);
                if (fresh.result() != null) {
                    return fresh.result();
                }
                why = fresh.why() + (attempt > 1 ? " (try " + attempt + " of " + FRESH_ATTEMPTS + ")" : "");
                if (!fresh.again()) {
                    break;
                }
            }
        } finally {
            for (Parked p : parked) {
                p.counter().release(p.thread());
            }
            for (Parked p : parked) {
                p.thread().join();
            }
        }
        Result r = run(n, ops);
        return why == null ? r : r.withNotFresh(why);
    }

    /** A fresh-thread count's thread, parked until {@link #count} releases it. */
    private record Parked(FreshCounter counter, Thread thread) {}

    /**
     * How often the fresh-thread count is tried when another thread started meanwhile or the recording
     * missed a byte. A thread started anywhere in the JVM (a pool of another test, a timer) cannot be told
     * from one the operation started. And "every allocation" is HotSpot's heap sampling at a mean interval
     * of 1 byte (async-profiler's {@code alloc=1}; an interval of 0 cannot be asked for): its random steps
     * are 1 to about 19 bytes, so a step of 16 bytes or more, a few times in ten million, passes over a
     * 16-byte object without a sample. Its random numbers are seeded with the address of the last thread
     * created, so a new thread at the address of the one before repeats the very same miss; each try's
     * thread therefore stays alive until the tries are over. An operation that starts threads itself, or
     * allocates differently on another thread, falls back after these tries, each far cheaper than
     * {@link #run}.
     */
    private static final int FRESH_ATTEMPTS = 3;

    /** A fresh-thread count: its result, or {@code null}, whether trying again may give one, and why not. */
    private record Fresh(Result result, boolean again, String why) {}

    /** The fresh-thread count; its result is {@code null} when it cannot be trusted. */
    private static Fresh onFreshThread(int n, ThrowingRunnable ops, List<Parked> parked) throws Throwable {
        ProfilingSession session;
        try {
            session = Profiler.start(ProfileOptions.of(ProfileKind.ALLOC)
                    .withAllocInterval(0)
                    .withEngine(Engine.ASYNC_PROFILER)
                    .withRootFunctions(List.of(RUN_FRAME)));
        } catch (CaptureException e) {
            return new Fresh(null, false, null); // run() decides between failing and JFR's samples
        }
        FreshCounter counter = new FreshCounter(ops);
        // created after the recording started, so that its first allocation already takes the interval of
        // every allocation (an older thread keeps a sample point set by the previous interval until it passes it)
        Thread thread = new Thread(null, counter, "jprof-objects-" + COUNTERS.incrementAndGet(), 0, false);
        long startedBefore = ThreadAllocations.startedThreads();
        long[] liveBefore = ThreadAllocations.liveThreadIds();
        CaptureResult captured;
        try {
            thread.start();
            // the thread parks until count releases it, after the recording has stopped: its exit is not in
            // the profile
            parked.add(new Parked(counter, thread));
            counter.awaitDone();
            captured = session.stop();
        } finally {
            session.close();
        }
        long started = ThreadAllocations.startedThreads() - startedBefore;
        if (counter.failure != null) {
            return new Fresh(null, false, "the operation threw " + counter.failure);
        }
        if (started != 1) {
            // a thread started meanwhile, perhaps not the operation's: named when still running, to tell which
            return new Fresh(null, true, startedMeanwhile(started - 1, liveBefore, thread.getId()));
        }
        String name = thread.getName();
        Profile all = captured.profile(ProfileKind.ALLOC);
        Profile.Builder mine = all.withoutSamples();
        for (Sample s : all.samples()) {
            if (name.equals(s.label(Sample.THREAD_LABEL))) {
                mine.addSample(s.stack(), s.values(), s.labels());
            }
        }
        Profile profile = mine.build();
        long bytes = profile.total(1);
        if (bytes != counter.bytes) {
            // something was not recorded, or recorded twice: not exact. The heap sampler stepped over an
            // object (see FRESH_ATTEMPTS), or async-profiler dropped a sample because its recording locks
            // were all held (a loaded machine preempts their holders): try again on another thread
            return new Fresh(
                    null, true, "the recording held " + bytes + " B of the fresh thread's " + counter.bytes + " B");
        }
        ThreadAllocations.Counts counts = new ThreadAllocations.Counts(counter.bytes, 0, 0, 0, List.of(name), null);
        return new Fresh(
                new Result(
                        profile,
                        sites(profile, n),
                        bytes,
                        profile.total(0),
                        n,
                        true,
                        counts,
                        List.of(Thread.currentThread().getName()),
                        true,
                        null),
                false,
                null);
    }

    /** "another thread started meanwhile: [a, b]" for {@code others} threads, those still running named. */
    private static String startedMeanwhile(long others, long[] liveBefore, long fresh) {
        java.util.Set<Long> before = new java.util.HashSet<>();
        for (long id : liveBefore) {
            before.add(id);
        }
        List<Long> newIds = new java.util.ArrayList<>();
        for (long id : ThreadAllocations.liveThreadIds()) {
            if (id != fresh && !before.contains(id)) {
                newIds.add(id);
            }
        }
        List<String> names = ThreadAllocations.threadNames(
                newIds.stream().mapToLong(Long::longValue).toArray());
        long ended = Math.max(0, others - names.size());
        return (others == 1 ? "another thread" : others + " other threads") + " started meanwhile"
                + (names.isEmpty() ? "" : ", still running: " + names)
                + (ended == 0 ? "" : names.isEmpty() ? " and ended" : ", " + ended + " ended");
    }

    /**
     * The fresh thread's work: between reading its allocation counter before and after, only the
     * operation runs; waiting allocates nothing (no queue node: a volatile flag and park).
     */
    private static final class FreshCounter implements Runnable {
        private final ThrowingRunnable ops;
        private volatile boolean done;
        private volatile boolean released;
        private volatile Thread waiter;
        volatile long bytes;
        volatile Throwable failure;

        FreshCounter(ThrowingRunnable ops) {
            this.ops = ops;
        }

        @Override
        public void run() {
            long before = ThreadAllocations.currentThreadBytes();
            try {
                runOps(ops);
            } catch (Throwable t) {
                failure = t;
            }
            bytes = ThreadAllocations.currentThreadBytes() - before;
            done = true;
            Thread w = waiter;
            if (w != null) {
                java.util.concurrent.locks.LockSupport.unpark(w);
            }
            while (!released) {
                java.util.concurrent.locks.LockSupport.park(); // allocates nothing
            }
        }

        void awaitDone() {
            waiter = Thread.currentThread();
            while (!done) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }

        void release(Thread t) {
            released = true;
            java.util.concurrent.locks.LockSupport.unpark(t);
        }
    }

    private static void runOps(ThrowingRunnable ops) throws Throwable {
        ops.run();
    }

    static volatile Object sink;

    /**
     * On JDK 17 a thread takes a new sampling interval only at its next sample point, which an earlier
     * session with a larger interval may have put megabytes ahead: allocating past it makes every
     * later allocation a sample.
     */
    private static void rearm() {
        for (int i = 0; i < 128; i++) {
            sink = new byte[128 * 1024];
        }
        sink = null;
    }

    /** Groups samples by allocated type and short stack, most bytes first. */
    public static List<AllocationSite> sites(Profile profile, long ops) {
        record Key(String type, List<Frame> stack) {}
        Map<Key, long[]> sums = new LinkedHashMap<>();
        for (Sample s : profile.samples()) {
            String type = s.label(JfrConverter.CLASS_LABEL);
            Key key = new Key(type == null ? "?" : type, shortStack(s.stack()));
            long[] sum = sums.computeIfAbsent(key, k -> new long[2]);
            sum[0] += s.value(0);
            sum[1] += s.value(1);
        }
        List<AllocationSite> sites = new ArrayList<>();
        sums.forEach((k, v) -> sites.add(new AllocationSite(k.type, k.stack, v[1], v[0], ops)));
        sites.sort(Comparator.comparingLong(AllocationSite::bytes)
                .reversed()
                .thenComparing(Comparator.comparingLong(AllocationSite::objects).reversed())
                .thenComparing(AllocationSite::type)
                .thenComparing(site -> site.stack().toString()));
        return sites;
    }

    /**
     * The frames a reader needs, leaf first: JDK frames (once each, at most three) down to the first
     * frame outside the JDK, which keeps its line; the others lose theirs so that sites group.
     */
    static List<Frame> shortStack(List<Frame> stack) {
        List<Frame> jdk = new ArrayList<>();
        Frame user = null;
        for (Frame f : stack) {
            if (f.function().equals(RUN_FRAME)) {
                break;
            }
            if (isJdk(f.function())) {
                if (jdk.isEmpty() || !jdk.get(jdk.size() - 1).function().equals(f.function())) {
                    jdk.add(Frame.of(f.function()));
                }
            } else {
                user = f;
                break;
            }
        }
        List<Frame> out = new ArrayList<>();
        if (jdk.size() > MAX_STACK - 1) {
            out.add(jdk.get(0));
            out.addAll(jdk.subList(jdk.size() - (MAX_STACK - 2), jdk.size()));
        } else {
            out.addAll(jdk);
        }
        if (user != null) {
            out.add(user);
        }
        return out;
    }

    static boolean isJdk(String function) {
        return function.startsWith("java.")
                || function.startsWith("javax.")
                || function.startsWith("jdk.")
                || function.startsWith("sun.")
                || function.startsWith("com.sun.");
    }
}
