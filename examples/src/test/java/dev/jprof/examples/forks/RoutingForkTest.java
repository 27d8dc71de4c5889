package dev.jprof.examples.forks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.assertj.JprofAssertions;
import dev.jprof.examples.Router;
import dev.jprof.examples.UserBackend;
import dev.jprof.junit.Jprof;
import dev.jprof.junit.WithJprof;
import dev.jprof.profile.Profile;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A wall-clock profile through the injected handle; runs in a JVM of its own (see ParsingForkTest). */
@WithJprof
class RoutingForkTest {

    private final UserBackend backend = new UserBackend(3);
    private final Router router = new Router().add("/users/{id}", p -> backend.fetchUser(p.get("id")));

    /**
     * Most of the test thread's wall-clock time is the backend's round trip, not routing. A wall profile
     * holds every thread that runs Java code; {@code onThreads} makes the test thread the whole, so the
     * shares are of its own time. 100 round trips of about 3 ms give some 300 samples of 1 ms (the fork
     * execution sets jprof.wall.interval): when they cannot decide a share at 3 standard errors (a loaded
     * machine), the assertion runs the round trips again and adds their samples until it can, for up to
     * 20 s there (jprof.repeat.budget).
     */
    @Test
    void waitingOnTheBackendDominatesWallTime(Jprof jprof) throws Exception {
        Profile wall = jprof.wall(() -> {
            for (int i = 0; i < 100; i++) {
                assertThat(router.route("/users/" + i)).isEqualTo("{\"id\":" + i + "}");
            }
        });
        JprofAssertions.assertThat(wall)
                .onThreads("^" + Pattern.quote(Thread.currentThread().getName()) + "$")
                .hasCumShareAbove("UserBackend\\.fetchUser", 50)
                .hasCumShareBelow("Router\\.match", 30);
    }
}
