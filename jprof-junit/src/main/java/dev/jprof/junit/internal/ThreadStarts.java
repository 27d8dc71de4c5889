package dev.jprof.junit.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where threads were started: one small Flight Recorder recording per JVM holding only the JDK's
 * {@code jdk.ThreadStart} events, which the JVM commits on the thread that calls
 * {@code Thread.start()} with that thread's stack. It costs nothing per test; the recording is read
 * only when a leak is found. The JDK records no such stack for virtual threads
 * ({@code jdk.VirtualThreadStart} is committed on the new virtual thread itself).
 */
final class ThreadStarts {

    /** The frames shown of a start stack. */
    static final int MAX_FRAMES = 24;

    /** Frames below the test's own: reflection and the test engine. */
    private static final Pattern FRAMEWORK = Pattern.compile(
            "org\\.junit\\.|jdk\\.internal\\.reflect\\.|java\\.lang\\.reflect\\.|java\\.lang\\.invoke\\.");

    private static ThreadStarts jvm;

    private final Recording recording;
    private final String unavailable;

    private ThreadStarts(Recording recording, String unavailable) {
        this.recording = recording;
        this.unavailable = unavailable;
    }

    /** The JVM's recording, started the first time. */
    static synchronized ThreadStarts get() {
        if (jvm == null) {
            Recording r = null;
            String why = null;
            try {
                r = new Recording();
                r.setName("jprof thread starts");
                r.enable("jdk.ThreadStart").withStackTrace();
                r.setToDisk(true);
                r.setMaxAge(Duration.ofHours(1));
                r.setMaxSize(16L << 20);
                r.start();
            } catch (RuntimeException | Error e) { // no jdk.jfr module, or Flight Recorder disabled
                why = "Flight Recorder is not available (" + e + ")";
                if (r != null) {
                    r.close();
                }
                r = null;
            }
            jvm = new ThreadStarts(r, why);
        }
        return jvm;
    }

    /**
     * The start stacks of the threads {@code ids}, top first, as {@code StackTraceElement} prints
     * them (without file names, which the recording lacks) and ending at the test's last frame above
     * reflection and JUnit; a thread without one is absent.
     *
     * @throws IOException if the recording cannot be read
     */
    Map<Long, List<String>> stacks(Set<Long> ids) throws IOException {
        Map<Long, List<String>> stacks = new HashMap<>();
        if (recording == null || ids.isEmpty()) {
            return stacks;
        }
        Path file = Files.createTempFile("jprof-thread-starts", ".jfr");
        try {
            recording.dump(file);
            try (RecordingFile in = new RecordingFile(file)) {
                while (in.hasMoreEvents()) {
                    RecordedEvent e = in.readEvent();
                    if (!e.getEventType().getName().equals("jdk.ThreadStart") || e.getStackTrace() == null) {
                        continue;
                    }
                    RecordedThread t = e.getValue("thread");
                    if (t == null || !ids.contains(t.getJavaThreadId())) {
                        continue;
                    }
                    List<String> frames = new ArrayList<>();
                    for (RecordedFrame f : e.getStackTrace().getFrames()) {
                        String type = f.getMethod().getType().getName();
                        if (!frames.isEmpty() && FRAMEWORK.matcher(type).lookingAt()) {
                            break; // the test method was the last frame of interest: below it, reflection and JUnit
                        }
                        if (frames.size() == MAX_FRAMES) {
                            frames.add("...");
                            break;
                        }
                        int line = f.getLineNumber();
                        frames.add(type + "." + f.getMethod().getName() + (line > 0 ? "(line " + line + ")" : "()"));
                    }
                    stacks.put(t.getJavaThreadId(), frames);
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
        return stacks;
    }

    /** Why there are no start stacks, or {@code null}. */
    String unavailable() {
        return unavailable;
    }
}
