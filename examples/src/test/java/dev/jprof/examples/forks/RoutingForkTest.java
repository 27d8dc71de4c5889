package dev.jprof.examples.forks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.analysis.ProfileAnalysis;
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
     * holds every thread that runs Java code, so the test thread's samples are taken out first: its
     * shares are then of its own time. 400 round trips of about 3 ms give some 240 samples of 5 ms, enough
     * to decide both shares at 3 standard errors on a loaded machine (100 gave about 60: undecided).
     */
    @Test
    void waitingOnTheBackendDominatesWallTime(Jprof jprof) throws Exception {
        Profile wall = jprof.wall(() -> {
            for (int i = 0; i < 400; i++) {
                assertThat(router.route("/users/" + i)).isEqualTo("{\"id\":" + i + "}");
            }
        });
        Profile testThread = ProfileAnalysis.of(wall)
                .threads("^" + Pattern.quote(Thread.currentThread().getName()) + "$")
                .filteredProfile();
        JprofAssertions.assertThat(testThread)
                .hasCumShareAbove("UserBackend\\.fetchUser", 50)
                .hasCumShareBelow("Router\\.match", 30);
    }
}
