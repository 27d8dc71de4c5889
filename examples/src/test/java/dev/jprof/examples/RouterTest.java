package dev.jprof.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jprof.junit.ProfileCpu;
import dev.jprof.junit.ProfileWall;
import org.junit.jupiter.api.Test;

class RouterTest {

    private final UserBackend backend = new UserBackend(3);
    private final Router router =
            new Router().add("/health", p -> "ok").add("/users/{id}", p -> backend.fetchUser(p.get("id")));

    /**
     * Wall-clock time goes to waiting on the backend, which a CPU profile would not show:
     * target/jprof/dev.jprof.examples.RouterTest/servesUsersFromTheBackend()/wall.pb.gz
     */
    @Test
    @ProfileWall
    @ProfileCpu
    void servesUsersFromTheBackend() {
        for (int i = 0; i < 150; i++) {
            assertThat(router.route("/users/" + i)).isEqualTo("{\"id\":" + i + "}");
        }
        assertThat(router.route("/health")).isEqualTo("ok");
        assertThat(router.route("/nowhere")).isEqualTo("404");
    }

    @Test
    void normalizesNumericSegments() {
        assertThat(Router.normalize("/users/42/orders")).isEqualTo("/users/{n}/orders");
    }
}
