package dev.jprof.examples;

import static dev.jprof.assertj.JprofAssertions.assertThat;

import dev.jprof.junit.AllocationLimit;
import dev.jprof.junit.Jprof;
import dev.jprof.junit.WithJprof;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Allocation as a tested property: limits, a committed baseline ({@code examples/jprof-baseline.txt})
 * and per-operation figures. A regression fails the build with the sites; see
 * {@code AllocationRegressionIT} for what that looks like.
 */
@WithJprof // for the Jprof parameter; @AllocationLimit on a method registers jprof for that method only
class AllocationTest {

    /**
     * A method reference in a field: the first execution of a lambda or method reference links it (the
     * JDK spins a class, several KB), which {@code @AllocationLimit} would count in the one run it measures.
     */
    private static final java.util.function.Function<String, String> RENDER = AllocationTest::render;

    private final LruCache<String, String> cache = new LruCache<>(16);
    private final Router router = new Router()
            .add("/users/{id}", p -> "user " + p.get("id"))
            .add("/users/{id}/orders/{order}", p -> "order " + p.get("order"));

    @BeforeEach
    void warm() {
        cache.get("home", RENDER); // the miss (and its allocations) happen here, not counted
    }

    static String render(String key) {
        return "<html>" + key + "</html>";
    }

    /** A cache hit allocates nothing: no boxing, no iterator, no entry. */
    @Test
    @AllocationLimit(bytes = 0)
    void aCacheHitDoesNotAllocate() {
        cache.get("home", RENDER);
    }

    /** Routing allocates (split, the parameter map, the response); the baseline says how much. */
    @Test
    @AllocationLimit(baseline = true)
    void routingARequestStaysWithinItsBaseline() {
        router.route("/users/42/orders/7");
    }

    /** Go's testing.AllocsPerRun, through the injected handle: exact, per operation, after warm-up. */
    @Test
    void perOperationFigures(Jprof jprof) throws Exception {
        assertThat(jprof.allocations(() -> cache.get("home", RENDER), 10_000)).allocatesNothing();
        assertThat(jprof.allocations(() -> router.route("/users/42"), 1_000))
                .bytesPerOp()
                .isPositive()
                .isLessThan(1_024);
    }
}
