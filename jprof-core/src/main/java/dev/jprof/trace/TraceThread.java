package dev.jprof.trace;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A Java thread seen in a {@link Timeline}.
 *
 * @param id the Java thread id ({@code Thread.getId()})
 * @param name the thread's name
 * @param test whether it is the test's: the thread that started the trace, or a thread started by
 *     one of the test's threads while the trace ran. Other threads (pools created earlier, JVM
 *     threads) are in the timeline too, marked as not the test's.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record TraceThread(long id, String name, boolean test) {

    public TraceThread {
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
        return "\"" + name + "\" #" + id + (test ? "" : " (not the test's)");
    }
}
