package dev.jprof.api.spi;

/**
 * What records regions, tasks and logs: jprof-core installs one with {@link Hook#install} while its
 * recording runs. Not for application code. Called on the thread that marks; implementations take
 * the time themselves, must be thread-safe, fast, and must not throw.
 */
public interface Listener {

    /**
     * A region opened on {@code thread}.
     *
     * @param taskId its task's id, or 0
     * @return a handle passed back to {@link #regionEnded}
     */
    Object regionStarted(Thread thread, String name, long taskId);

    /** The region of {@code handle} ended, on the thread that opened it. */
    void regionEnded(Object handle);

    /** A task started. */
    void taskStarted(long id, String name);

    /** A task ended. */
    void taskEnded(long id);

    /** {@code thread} logged {@code message}; {@code taskId} is 0 when outside a task. */
    void logged(Thread thread, long taskId, String category, String message);
}
