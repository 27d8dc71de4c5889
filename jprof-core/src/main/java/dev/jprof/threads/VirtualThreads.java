package dev.jprof.threads;

import dev.jprof.internal.Json;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.PlatformManagedObject;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The virtual threads of the JVM (JDK 21+), which {@code ThreadMXBean} does not list: read from the
 * JDK's own thread dump ({@code HotSpotDiagnosticMXBean.dumpThreads}, JSON format), called by
 * reflection so that jprof still runs on JDK 17, where there are none. It lists the virtual threads
 * the JDK tracks: those of executors and structured scopes, and with {@code jdk.trackAllThreads}
 * (default {@code true}) those started directly.
 */
final class VirtualThreads {

    /** {@code HotSpotDiagnosticMXBean.dumpThreads}, its bean and {@code ThreadDumpFormat.JSON}; {@code null} before JDK 21. */
    private static final Object[] DUMP = lookUp();

    private VirtualThreads() {}

    /** Looked up once: a dump that must be quick (shortly before a test's timeout) pays nothing for it. */
    private static Object[] lookUp() {
        try {
            Class<?> diagnostics = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
            Class<?> format = Class.forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
            @SuppressWarnings({"unchecked", "rawtypes"})
            Object json = Enum.valueOf((Class) format, "JSON");
            return new Object[] {
                diagnostics.getMethod("dumpThreads", String.class, format),
                ManagementFactory.getPlatformMXBean(diagnostics.asSubclass(PlatformManagedObject.class)),
                json
            };
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // JDK 17-20: no virtual threads
        }
    }

    /**
     * The virtual threads alive now: the threads of the JDK's dump whose id is not one of {@code platformIds}.
     *
     * @return empty on a JDK without virtual threads
     * @throws IllegalStateException naming the cause when the JDK has them but the dump fails
     */
    @SuppressWarnings("unchecked")
    static List<ThreadDump.VirtualThread> dump(Set<Long> platformIds) {
        if (DUMP == null) {
            return List.of();
        }
        Method dumpThreads = (Method) DUMP[0];
        Object bean = DUMP[1];
        Object json = DUMP[2];
        Path file = null;
        try {
            Path dir = Files.createTempDirectory("jprof-threads");
            file = dir.resolve("threads.json"); // the JDK refuses to overwrite a file
            dumpThreads.invoke(bean, file.toAbsolutePath().toString(), json);
            Map<String, Object> root = (Map<String, Object>) Json.parse(Files.readString(file));
            return parse((Map<String, Object>) root.get("threadDump"), platformIds);
        } catch (IOException | IllegalAccessException | RuntimeException e) {
            throw new IllegalStateException("Cannot dump the virtual threads: " + e, e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Cannot dump the virtual threads: " + e.getCause(), e.getCause());
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                    Files.deleteIfExists(file.getParent());
                } catch (IOException ignored) {
                    // a temporary file
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    static List<ThreadDump.VirtualThread> parse(Map<String, Object> dump, Set<Long> platformIds) {
        List<ThreadDump.VirtualThread> virtual = new ArrayList<>();
        for (Object c : (List<Object>) dump.getOrDefault("threadContainers", List.of())) {
            Map<String, Object> container = (Map<String, Object>) c;
            for (Object t : (List<Object>) container.getOrDefault("threads", List.of())) {
                Map<String, Object> thread = (Map<String, Object>) t;
                long id = Long.parseLong(String.valueOf(thread.get("tid")));
                // JDK 25 says whether a thread is virtual; JDK 21 does not, and a thread the MXBean did not list is
                boolean isVirtual = thread.containsKey("virtual")
                        ? Boolean.TRUE.equals(thread.get("virtual"))
                        : !platformIds.contains(id);
                if (!isVirtual) {
                    continue;
                }
                List<StackTraceElement> stack = new ArrayList<>();
                for (Object f : (List<Object>) thread.getOrDefault("stack", List.of())) {
                    stack.add(frame(String.valueOf(f)));
                }
                Object state = thread.get("state");
                virtual.add(new ThreadDump.VirtualThread(
                        id,
                        String.valueOf(thread.getOrDefault("name", "")),
                        state == null ? "" : String.valueOf(state),
                        String.valueOf(container.getOrDefault("container", "")),
                        stack));
            }
        }
        return virtual;
    }

    /** {@code java.base/java.lang.Thread.sleep(Thread.java:509)} as a stack trace element. */
    static StackTraceElement frame(String text) {
        int paren = text.indexOf('(');
        String method = paren < 0 ? text : text.substring(0, paren);
        int slash = method.indexOf('/');
        if (slash >= 0) {
            method = method.substring(slash + 1); // module/ or class loader/
        }
        int dot = method.lastIndexOf('.');
        String className = dot < 0 ? "" : method.substring(0, dot);
        String name = dot < 0 ? method : method.substring(dot + 1);
        String file = null;
        int line = -1;
        if (paren >= 0 && text.endsWith(")")) {
            String where = text.substring(paren + 1, text.length() - 1);
            if (where.equals("Native Method")) {
                line = -2;
            } else if (!where.equals("Unknown Source")) {
                int colon = where.lastIndexOf(':');
                if (colon > 0) {
                    file = where.substring(0, colon);
                    try {
                        line = Integer.parseInt(where.substring(colon + 1));
                    } catch (NumberFormatException e) {
                        file = where;
                    }
                } else {
                    file = where;
                }
            }
        }
        return new StackTraceElement(className, name, file, line);
    }
}
