package dev.jprof.capture;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import java.time.Duration;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apiguardian.api.API;

/**
 * The profiles of one capture, and how they were made.
 *
 * @param profiles one profile per captured kind
 * @param engine the engine that really ran: {@code async-profiler/perf_events},
 *     {@code async-profiler/ctimer}, {@code async-profiler/itimer} or {@code jfr}
 * @param duration how long the capture ran
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record CaptureResult(Map<ProfileKind, Profile> profiles, String engine, Duration duration) {

    public CaptureResult {
        profiles = Map.copyOf(profiles);
    }

    /**
     * The profile of {@code kind}.
     *
     * @throws NoSuchElementException naming the kinds that were captured
     */
    public Profile profile(ProfileKind kind) {
        Profile p = profiles.get(kind);
        if (p == null) {
            throw new NoSuchElementException(
                    "No " + kind.id() + " profile was captured; captured: " + profiles.keySet());
        }
        return p;
    }
}
