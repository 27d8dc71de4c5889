package dev.jprof.examples.regression;

import dev.jprof.examples.Router;
import dev.jprof.junit.AllocationLimit;
import org.junit.jupiter.api.Test;

/**
 * A test whose baseline is out of date: the build that {@link RunBuild} runs must fail. Not run by
 * Surefire (no Test suffix).
 */
class RegressedRouting {

    private final Router router = new Router().add("/users/{id}/orders/{order}", p -> "order " + p.get("order"));

    @Test
    @AllocationLimit(baseline = true)
    void routesARequest() {
        router.route("/users/42/orders/7");
    }
}
