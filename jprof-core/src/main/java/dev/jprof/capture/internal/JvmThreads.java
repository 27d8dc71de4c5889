package dev.jprof.capture.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * Threads that belong to the JVM, the test runner or jprof rather than to the code under test: the
 * JIT compilers, the garbage collectors, the VM thread and its helpers, Flight Recorder's and
 * async-profiler's own threads, Surefire's channel threads and jprof's worker. Their samples are
 * left out of a test's profile (they count as its {@code jvm} share) unless {@code jprof.threads=all}.
 */
@API(status = INTERNAL, since = "0.1")
public final class JvmThreads {

    private static final Pattern JVM = Pattern.compile(String.join(
            "|",
            List.of(
                    "C[12] CompilerThread\\d*",
                    "Sweeper thread",
                    "VM Thread",
                    "VM Periodic Task Thread",
                    "GC Thread#\\d+",
                    "G1 .*",
                    "ZWorker#?\\d*",
                    "Z .*",
                    "Shenandoah.*",
                    "Conc#?\\d*.*",
                    "ParGC.*",
                    "Reference Handler",
                    "Finalizer",
                    "Signal Dispatcher",
                    "Service Thread",
                    "Monitor Deflation Thread",
                    "Common-Cleaner",
                    "Notification Thread",
                    "Attach Listener",
                    "process reaper",
                    "DestroyJavaVM",
                    "JFR .*",
                    "Async-profiler .*",
                    "surefire-forkedjvm-.*",
                    "jprof-worker",
                    "jprof-thread-dump-watchdog")));

    /** Names already matched: a recording has few threads and many events of each. */
    private static final Map<String, Boolean> KNOWN = new ConcurrentHashMap<>();

    private static final int MAX_KNOWN = 10_000;

    private JvmThreads() {}

    /**
     * Whether the thread named {@code name} is the JVM's, as a profile's {@code thread} label names it (a thread with no
     * name is not known to be).
     */
    public static boolean isJvm(String name) {
        return name != null && !name.isEmpty() && isJvm(name, 1);
    }

    /** Whether the thread named {@code name}, with Java id {@code javaId} (0 for a native thread), is the JVM's. */
    static boolean isJvm(String name, long javaId) {
        if (javaId <= 0 || name == null || name.isEmpty()) {
            return true;
        }
        Boolean known = KNOWN.get(name);
        if (known == null) {
            known = JVM.matcher(name).matches();
            if (KNOWN.size() < MAX_KNOWN) {
                KNOWN.put(name, known);
            }
        }
        return known;
    }
}
