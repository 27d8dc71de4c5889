package dev.jprof.capture.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.apiguardian.api.API;

/**
 * jprof's one worker thread, which reads recordings and writes artifacts while tests run. Its
 * samples are left out of every profile.
 */
@API(status = INTERNAL, since = "0.1")
public final class Background {

    /** The name of the worker thread; {@link JvmThreads} counts it as the JVM's. */
    public static final String THREAD_NAME = "jprof-worker";

    private static final ScheduledThreadPoolExecutor EXECUTOR = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, THREAD_NAME);
        t.setDaemon(true);
        return t;
    });

    static {
        EXECUTOR.setRemoveOnCancelPolicy(true);
        // started now, not by the first test that closes a window (a trace would count it as the test's thread)
        EXECUTOR.prestartAllCoreThreads();
    }

    private Background() {}

    /** The executor of the worker thread. */
    public static Executor executor() {
        return EXECUTOR;
    }

    static ScheduledThreadPoolExecutor scheduler() {
        return EXECUTOR;
    }
}
