package dev.jprof.capture.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apiguardian.api.API;

/**
 * jprof's one worker thread, which converts recordings and writes artifacts while the next test
 * runs. Its samples are left out of every profile. At most {@value #QUEUE} tasks wait; beyond that
 * the caller does the work itself, so a burst of short tests cannot pile up recordings.
 */
@API(status = INTERNAL, since = "0.1")
public final class Background {

    /** The name of the worker thread; {@link JfrConverter} drops its samples. */
    public static final String THREAD_NAME = "jprof-worker";

    static final int QUEUE = 4;

    private static final ThreadPoolExecutor EXECUTOR = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE), r -> {
                Thread t = new Thread(r, THREAD_NAME);
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.CallerRunsPolicy());

    static {
        EXECUTOR.allowCoreThreadTimeOut(true);
    }

    private Background() {}

    /** The executor of the worker thread. */
    public static Executor executor() {
        return EXECUTOR;
    }
}
