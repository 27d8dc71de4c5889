package dev.jprof.capture.internal;

import dev.jprof.trace.SliceKind;
import dev.jprof.trace.TraceOptions;
import java.time.Duration;
import java.util.Map;
import jdk.jfr.Recording;

/** The JDK events a trace records, per kind of slice: all with threshold 0 and stack traces. */
final class TraceEvents {

    private static final Map<SliceKind, String[]> EVENTS = Map.of(
            SliceKind.BLOCKED, new String[] {"jdk.JavaMonitorEnter"},
            SliceKind.WAITING, new String[] {"jdk.JavaMonitorWait"},
            SliceKind.PARKED, new String[] {"jdk.ThreadPark"},
            SliceKind.SLEEPING, new String[] {"jdk.ThreadSleep"},
            SliceKind.SOCKET_READ, new String[] {"jdk.SocketRead"},
            SliceKind.SOCKET_WRITE, new String[] {"jdk.SocketWrite"},
            SliceKind.FILE_READ, new String[] {"jdk.FileRead"},
            SliceKind.FILE_WRITE, new String[] {"jdk.FileWrite"},
            // JDK 21+; a JDK without the event ignores the setting
            SliceKind.PINNED, new String[] {"jdk.VirtualThreadPinned"},
            SliceKind.GC_PAUSE, new String[] {"jdk.GCPhasePause", "jdk.GarbageCollection"});

    private TraceEvents() {}

    static void enable(Recording r, TraceOptions options) {
        enable(r, options, Duration.ZERO);
        r.enable(TraceWindowEvent.class);
    }

    /** The events of {@code options}' kinds, each recorded when it lasts at least {@code threshold}; no trace windows. */
    static void enable(Recording r, TraceOptions options, Duration threshold) {
        for (SliceKind kind : options.kinds()) {
            if (kind == SliceKind.RUNNING) {
                r.enable("jdk.ExecutionSample").withPeriod(options.samplingInterval());
            }
            for (String event : EVENTS.getOrDefault(kind, new String[0])) {
                r.enable(event)
                        .withThreshold(kind == SliceKind.GC_PAUSE ? Duration.ZERO : threshold)
                        .withStackTrace();
            }
        }
        r.enable("jdk.ThreadStart");
        r.enable("jdk.ThreadEnd");
    }
}
