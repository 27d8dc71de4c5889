package dev.jprof.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jprof.api.spi.Hook;
import dev.jprof.api.spi.Listener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JprofTest {

    /** Records the calls, as strings. */
    static final class Calls implements Listener {
        final List<String> calls = new ArrayList<>();

        @Override
        public synchronized Object regionStarted(Thread thread, String name, long taskId) {
            calls.add("start " + name + " task=" + taskId + " on " + thread.getName());
            return name;
        }

        @Override
        public synchronized void regionEnded(Object handle) {
            calls.add("end " + handle);
        }

        @Override
        public synchronized void taskStarted(long id, String name) {
            calls.add("task " + name);
        }

        @Override
        public synchronized void taskEnded(long id) {
            calls.add("task end " + id);
        }

        @Override
        public synchronized void logged(Thread thread, long taskId, String category, String message) {
            calls.add("log " + category + ": " + message + " task=" + taskId);
        }
    }

    private final Calls calls = new Calls();

    @AfterEach
    void uninstall() {
        Hook.uninstall(calls);
    }

    @Test
    void nothingIsRecordedWithoutAListener() throws Exception {
        assertThat(Jprof.isRecording()).isFalse();
        assertThat(Jprof.region("parse", () -> 42)).isEqualTo(42);
        try (Region r = Jprof.region("block")) {
            Jprof.log("cat", "msg");
        }
        Hook.install(calls);
        Hook.uninstall(calls);
        Jprof.region("after", () -> {});
        assertThat(calls.calls).isEmpty();
    }

    @Test
    void regionsNestAndEndOnce() throws IOException {
        Hook.install(calls);
        assertThat(Jprof.isRecording()).isTrue();
        String parsed = Jprof.region("parse", () -> Jprof.region("tokenize", () -> "tokens"));
        Region r = Jprof.region("block");
        r.close();
        r.close();
        Jprof.region("void", () -> {});
        String me = Thread.currentThread().getName();
        assertThat(parsed).isEqualTo("tokens");
        assertThat(calls.calls)
                .containsExactly(
                        "start parse task=0 on " + me,
                        "start tokenize task=0 on " + me,
                        "end tokenize",
                        "end parse",
                        "start block task=0 on " + me,
                        "end block",
                        "start void task=0 on " + me,
                        "end void");
    }

    @Test
    void aRegionEndsWhenItsBodyThrowsAndTheExceptionPropagates() {
        Hook.install(calls);
        assertThatThrownBy(() -> Jprof.region("io", () -> {
                    throw new IOException("disk");
                }))
                .isInstanceOf(IOException.class)
                .hasMessage("disk");
        assertThat(calls.calls)
                .containsExactly("start io task=0 on " + Thread.currentThread().getName(), "end io");
    }

    @Test
    void tasksTagTheirRegionsAndLogsOnAnyThread() throws Exception {
        Hook.install(calls);
        Task task = Jprof.task("request");
        Thread worker = new Thread(() -> task.region("store", () -> task.log("db", "saved")), "worker");
        worker.start();
        worker.join();
        Jprof.log("cache", "miss");
        task.close();
        task.close();
        long id = task.id();
        assertThat(calls.calls)
                .containsExactly(
                        "task request",
                        "start store task=" + id + " on worker",
                        "log db: saved task=" + id,
                        "end store",
                        "log cache: miss task=0",
                        "task end " + id);
    }

    @Test
    void namesMustNotBeNull() {
        assertThatThrownBy(() -> Jprof.region(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("name");
        assertThatThrownBy(() -> Jprof.log("c", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("message");
    }
}
