package dev.jprof.junit.internal;

import dev.jprof.internal.Json;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.PlatformManagedObject;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds the threads a test left running: platform threads alive now that were not alive before it,
 * and (JDK 21+) virtual threads alive now that were created after it began.
 *
 * <p>Platform threads come from {@link Thread#getAllStackTraces()}, which is cheap. Virtual threads
 * are in no such list: the JDK's JSON thread dump ({@code HotSpotDiagnosticMXBean.dumpThreads}, as
 * {@code jcmd Thread.dump_to_file} writes it) lists those the JDK tracks (all of them unless
 * {@code -Djdk.trackAllThreads=false}). Thread ids come from one increasing counter, so an id above
 * the one taken when the test began is a thread created during it; the dump is taken only when the
 * counter moved, which a test that starts no thread does not do.
 */
final class ThreadLeaks {

    /** Thread names the JVM or well-known libraries start on demand and keep for the life of the JVM. */
    static final List<String> BUILT_IN_IGNORED = List.of(
            "ForkJoinPool\\.commonPool-worker-\\d+", // the common pool: parallel streams, CompletableFuture
            "ForkJoinPool-\\d+-delayScheduler",
            "VirtualThread-unblocker",
            "Read-Poller",
            "Write-Poller", // virtual threads' scheduler (JDK 21+)
            "Attach Listener",
            "Signal Dispatcher",
            "process reaper",
            "Common-Cleaner",
            "Notification Thread",
            "JFR .*",
            "Async-profiler.*",
            "jprof-.*",
            "surefire-forkedjvm-.*",
            "RMI .*",
            "JMX .*",
            "GC Daemon",
            "Keep-Alive-Timer",
            "Keep-Alive-SocketCleaner",
            "Java2D Disposer",
            "AWT-.*");

    /** Classes of threads that belong to the JVM whatever their name (virtual threads' carriers). */
    private static final Set<String> JVM_THREAD_CLASSES =
            Set.of("jdk.internal.misc.CarrierThread", "jdk.internal.misc.InnocuousThread");

    /** One thread left running. {@code stack} is its stack now, top first; {@code id} its {@code Thread.getId()}. */
    record Leak(long id, String name, String state, boolean virtual, boolean daemon, List<String> stack) {}

    /** What was alive when a test began. */
    record Before(Set<Long> platform, long nextId) {

        static Before take() {
            Set<Long> ids = new HashSet<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                ids.add(t.getId());
            }
            return new Before(ids, nextThreadId());
        }
    }

    private final List<Pattern> ignored;

    ThreadLeaks(List<String> extraPatterns) {
        List<Pattern> p = new ArrayList<>();
        for (String s : BUILT_IN_IGNORED) {
            p.add(Pattern.compile(s));
        }
        for (String s : extraPatterns) {
            p.add(Pattern.compile(s));
        }
        this.ignored = List.copyOf(p);
    }

    /** The id the next thread created gets (an unstarted thread costs no OS thread). */
    static long nextThreadId() {
        return new Thread(() -> {}).getId();
    }

    boolean ignored(String name) {
        for (Pattern p : ignored) {
            if (p.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }

    /** The threads alive now that the test started, ignored ones left out. */
    List<Leak> find(Before before) throws IOException {
        List<Leak> leaks = new ArrayList<>();
        Thread current = Thread.currentThread();
        for (Map.Entry<Thread, StackTraceElement[]> e :
                Thread.getAllStackTraces().entrySet()) {
            Thread t = e.getKey();
            if (t == current
                    || before.platform().contains(t.getId())
                    || !t.isAlive()
                    || ignored(t.getName())
                    || JVM_THREAD_CLASSES.contains(t.getClass().getName())
                    || isSystemGroup(t)) {
                continue;
            }
            leaks.add(new Leak(
                    t.getId(),
                    t.getName(),
                    t.getState().name(),
                    false,
                    t.isDaemon(),
                    Arrays.stream(e.getValue()).map(ThreadLeaks::frame).toList()));
        }
        long next = nextThreadId();
        if (Runtime.version().feature() >= 21 && next > before.nextId() + 1) {
            for (Leak v : virtualThreads()) {
                if (v.id() >= before.nextId() && v.id() < next && !ignored(v.name())) {
                    leaks.add(v);
                }
            }
        }
        leaks.sort((a, b) -> Long.compare(a.id(), b.id()));
        return leaks;
    }

    /** {@code com.acme.Foo.bar(Foo.java:12)}: as {@code StackTraceElement} prints it, without module or class loader. */
    static String frame(StackTraceElement e) {
        String where = e.isNativeMethod()
                ? "Native Method"
                : e.getFileName() == null
                        ? "Unknown Source"
                        : e.getLineNumber() >= 0 ? e.getFileName() + ":" + e.getLineNumber() : e.getFileName();
        return e.getClassName() + "." + e.getMethodName() + "(" + where + ")";
    }

    private static boolean isSystemGroup(Thread t) {
        ThreadGroup g = t.getThreadGroup();
        return g != null && g.getParent() == null && "system".equals(g.getName());
    }

    /** The virtual threads of the JDK's JSON thread dump (JDK 21+). */
    @SuppressWarnings("unchecked")
    static List<Leak> virtualThreads() throws IOException {
        Path dir = Files.createTempDirectory("jprof-threads");
        Path file = dir.resolve("threads.json");
        try {
            Class<?> bean = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
            Class<?> format = Class.forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
            Object json = format.getField("JSON").get(null);
            Method dump = bean.getMethod("dumpThreads", String.class, format);
            dump.invoke(
                    ManagementFactory.getPlatformMXBean(bean.asSubclass(PlatformManagedObject.class)),
                    file.toString(),
                    json);
            Map<String, Object> root =
                    (Map<String, Object>) ((Map<String, Object>) Json.parse(Files.readString(file))).get("threadDump");
            List<Leak> virtual = new ArrayList<>();
            for (Object c : (List<Object>) root.get("threadContainers")) {
                for (Object o : (List<Object>) ((Map<String, Object>) c).get("threads")) {
                    Map<String, Object> t = (Map<String, Object>) o;
                    if (!Boolean.TRUE.equals(t.get("virtual"))) {
                        continue;
                    }
                    List<String> stack = new ArrayList<>();
                    for (Object f : (List<Object>) t.getOrDefault("stack", List.of())) {
                        String frame = String.valueOf(f);
                        int slash = frame.indexOf('/');
                        stack.add(
                                slash >= 0 && slash < frame.indexOf('(')
                                        ? frame.substring(slash + 1)
                                        : frame); // no module
                    }
                    virtual.add(new Leak(
                            Long.parseLong(String.valueOf(t.get("tid"))),
                            String.valueOf(t.getOrDefault("name", "")),
                            String.valueOf(t.getOrDefault("state", "UNKNOWN")),
                            true,
                            true,
                            stack));
                }
            }
            return virtual;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("cannot read the JDK's thread dump of virtual threads: " + e, e);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }
}
