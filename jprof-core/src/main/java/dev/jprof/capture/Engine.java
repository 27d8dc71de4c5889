package dev.jprof.capture;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Locale;
import org.apiguardian.api.API;

/** Which capture engine to use; set with the {@code jprof.engine} property. */
@API(status = EXPERIMENTAL, since = "0.1")
public enum Engine {
    /** async-profiler where its native library loads, otherwise JFR (with one log line saying so). */
    AUTO("auto"),
    /** async-profiler only: capture fails when its native library cannot load. */
    ASYNC_PROFILER("async-profiler"),
    /** The JDK's Flight Recorder only. */
    JFR("jfr");

    private final String id;

    Engine(String id) {
        this.id = id;
    }

    /** The name used in configuration: {@code auto}, {@code async-profiler} or {@code jfr}. */
    public String id() {
        return id;
    }

    /**
     * The engine named {@code id}, ignoring case.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Engine fromId(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        for (Engine e : values()) {
            if (e.id.equals(wanted)) {
                return e;
            }
        }
        throw new IllegalArgumentException("Unknown engine [" + id + "]: expected one of auto, async-profiler, jfr");
    }
}
