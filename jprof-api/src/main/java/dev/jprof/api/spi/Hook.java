package dev.jprof.api.spi;

import java.util.Objects;

/**
 * The one {@link Listener} of the JVM, or none: a static volatile field, so that a region costs one
 * volatile read when nothing records. jprof-core installs its listener while its recording runs.
 */
public final class Hook {

    private static volatile Listener current;

    private Hook() {}

    /** The listener, or {@code null} when nothing records. */
    public static Listener current() {
        return current;
    }

    /** Makes {@code listener} receive every region, task and log from now on. */
    public static synchronized void install(Listener listener) {
        current = Objects.requireNonNull(listener, "listener");
    }

    /** Stops {@code listener} receiving, if it is the installed one. */
    public static synchronized void uninstall(Listener listener) {
        if (current == listener) {
            current = null;
        }
    }
}
