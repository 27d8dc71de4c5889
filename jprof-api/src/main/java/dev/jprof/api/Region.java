package dev.jprof.api;

import dev.jprof.api.spi.Listener;

/**
 * An open region of one thread, made by {@link Jprof#region(String)} or {@link Task#region(String)}:
 * close it on the same thread, innermost first. Closing it again does nothing.
 */
public final class Region implements AutoCloseable {

    /** The region handed out when nothing records: closing it does nothing. */
    private static final Region NONE = new Region(null, null);

    private final Listener listener;
    private final Object handle;
    private boolean closed;

    private Region(Listener listener, Object handle) {
        this.listener = listener;
        this.handle = handle;
    }

    static Region open(String name, Task task) {
        Jprof.requireName(name, "name");
        Listener l = Jprof.listener();
        if (l == null) {
            return NONE;
        }
        return new Region(l, l.regionStarted(Thread.currentThread(), name, task == null ? 0 : task.id()));
    }

    /** Ends the region. */
    @Override
    public void close() {
        if (listener != null && !closed) {
            closed = true;
            listener.regionEnded(handle);
        }
    }
}
