package dev.jprof.trace;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/** What a thread was doing during a {@link Slice} of a {@link Timeline}, and the JFR event it comes from. */
@API(status = EXPERIMENTAL, since = "0.1")
public enum SliceKind {
    /** On CPU: consecutive {@code jdk.ExecutionSample}s of the thread, one sampling interval each. */
    RUNNING("running"),
    /** Blocked entering a contended monitor ({@code synchronized}): {@code jdk.JavaMonitorEnter}. */
    BLOCKED("blocked"),
    /** In {@code Object.wait}: {@code jdk.JavaMonitorWait}. */
    WAITING("waiting"),
    /** Parked ({@code LockSupport.park}: locks, latches, queues, futures, conditions): {@code jdk.ThreadPark}. */
    PARKED("parked"),
    /** In {@code Thread.sleep}: {@code jdk.ThreadSleep}. */
    SLEEPING("sleeping"),
    /** Reading a socket: {@code jdk.SocketRead}. */
    SOCKET_READ("socket read"),
    /** Writing a socket: {@code jdk.SocketWrite}. */
    SOCKET_WRITE("socket write"),
    /** Reading a file: {@code jdk.FileRead}. */
    FILE_READ("file read"),
    /** Writing a file: {@code jdk.FileWrite}. */
    FILE_WRITE("file write"),
    /**
     * A virtual thread that blocked while pinned to its carrier (JDK 21+: in a class initializer or a
     * native frame; before JDK 24 also inside {@code synchronized}), so that the carrier could run no
     * other virtual thread: {@code jdk.VirtualThreadPinned}.
     */
    PINNED("pinned"),
    /** A stop-the-world GC pause, of the whole JVM rather than one thread: {@code jdk.GCPhasePause}. */
    GC_PAUSE("GC pause");

    private final String label;

    SliceKind(String label) {
        this.label = label;
    }

    /** The name shown on the timeline: {@code blocked}, {@code socket read}... */
    public String label() {
        return label;
    }

    /**
     * Whether this kind is waiting for another thread, as Go's block profile counts it: monitor enter,
     * {@code Object.wait} and parks; not sleeping, not I/O.
     */
    public boolean isBlocking() {
        return this == BLOCKED || this == WAITING || this == PARKED;
    }

    /** Whether this kind is socket or file I/O. */
    public boolean isIo() {
        return this == SOCKET_READ || this == SOCKET_WRITE || this == FILE_READ || this == FILE_WRITE;
    }
}
