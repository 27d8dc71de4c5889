package dev.jprof.capture.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.jprof.capture.ProfileOptions;
import java.nio.file.Path;
import org.apiguardian.api.API;

/** A way of recording profiles into a JFR file, which {@link JfrConverter} then reads. */
@API(status = INTERNAL, since = "0.1")
public interface CaptureEngine {

    /** {@code async-profiler} or {@code jfr}. */
    String name();

    /** Starts recording what {@code options} asks for into {@code jfrFile}. */
    void start(ProfileOptions options, Path jfrFile);

    /** Stops recording; {@code jfrFile} is complete when this returns. */
    void stop();
}
