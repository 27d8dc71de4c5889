package dev.jprof.api;

import dev.jprof.api.spi.Listener;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A piece of work, such as one request, whose regions may run on several threads, as Go's
 * {@code trace.NewTask}: hand the task to the threads that work on it and open regions with
 * {@link #region}. In {@code trace.json} its regions are linked by flow arrows, in order of their
 * start, and their slices say the task's name. Made by {@link Jprof#task(String)}; close it when the
 * work is done.
 */
public final class Task implements AutoCloseable {

    private static final AtomicLong IDS = new AtomicLong();

    private final long id;
    private final String name;
    private final Listener listener;
    private volatile boolean closed;

    private Task(long id, String name, Listener listener) {
        this.id = id;
        this.name = name;
        this.listener = listener;
    }

    static Task start(String name) {
        Jprof.requireName(name, "name");
        Listener l = Jprof.listener();
        Task t = new Task(IDS.incrementAndGet(), name, l);
        if (l != null) {
            l.taskStarted(t.id, name);
        }
        return t;
    }

    /** The task's id, unique in the JVM, from 1. */
    public long id() {
        return id;
    }

    public String name() {
        return name;
    }

    /** Opens a region of this task on the calling thread; see {@link Jprof#region(String)}. */
    public Region region(String name) {
        return Region.open(name, this);
    }

    /** Runs {@code body} in a region of this task; see {@link Jprof#region(String, Jprof.Body)}. */
    @SuppressWarnings("try") // the region is closed, never read
    public <E extends Throwable> void region(String name, Jprof.Body<E> body) throws E {
        try (Region ignored = region(name)) {
            body.run();
        }
    }

    /** Runs {@code body} in a region of this task and returns its value. */
    @SuppressWarnings("try") // the region is closed, never read
    public <T, E extends Throwable> T region(String name, Jprof.ValueBody<T, E> body) throws E {
        try (Region ignored = region(name)) {
            return body.get();
        }
    }

    /** Logs {@code message} as {@link Jprof#log}, as part of this task. */
    public void log(String category, String message) {
        logIn(this, category, message);
    }

    /** Logs {@code message} as part of {@code task}, or of no task when it is {@code null}. */
    static void logIn(Task task, String category, String message) {
        Jprof.requireName(category, "category");
        Jprof.requireName(message, "message");
        Listener l = Jprof.listener();
        if (l != null) {
            l.logged(Thread.currentThread(), task == null ? 0 : task.id, category, message);
        }
    }

    /** Ends the task. Closing it again does nothing. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (listener != null) {
                listener.taskEnded(id);
            }
        }
    }

    @Override
    public String toString() {
        return "Task " + id + " [" + name + "]";
    }
}
