package dev.jprof.alloc;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * How {@link Allocations#measure(AllocationOptions, dev.jprof.capture.Profiler.ThrowingRunnable)}
 * measures: warm-up runs, measured runs, whether to count objects (and find their allocation sites),
 * and a name for messages. Immutable; every {@code with…} method returns a copy.
 *
 * <p>Bytes are always counted, exactly and at almost no cost, from the JVM's per-thread counters.
 * Objects are counted only when {@linkplain #withObjects(boolean) asked}: that takes a further series
 * of runs with async-profiler recording every allocation, which costs microseconds per allocation
 * (hundreds of times the allocation itself).
 *
 * <pre>{@code
 * Allocations.measure(AllocationOptions.runs(10_000), op);                    // bytes
 * Allocations.measure(AllocationOptions.runs(10_000).withObjects(true), op);  // bytes, objects and sites
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class AllocationOptions {

    static final int DEFAULT_RUNS = 1_000;
    static final int DEFAULT_SITE_SAMPLES = 200_000;

    private final int warmup;
    private final int runs;
    private final boolean objects;
    private final String name;
    private final int maxSiteSamples;

    private AllocationOptions(int warmup, int runs, boolean objects, String name, int maxSiteSamples) {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be at least 1, was " + runs);
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("warmup must not be negative, was " + warmup);
        }
        this.warmup = warmup;
        this.runs = runs;
        this.objects = objects;
        this.name = Objects.requireNonNull(name, "name");
        this.maxSiteSamples = maxSiteSamples;
    }

    /** {@code runs} measured runs after as many warm-up runs, bytes only, named "operation". */
    public static AllocationOptions runs(int runs) {
        return new AllocationOptions(runs, runs, false, "operation", DEFAULT_SITE_SAMPLES);
    }

    /** 1,000 warm-up runs and 1,000 measured runs, bytes only. */
    public static AllocationOptions defaults() {
        return runs(DEFAULT_RUNS);
    }

    public int warmup() {
        return warmup;
    }

    public int runs() {
        return runs;
    }

    /**
     * Whether objects are counted and their allocation sites found (default {@code false}). An
     * operation that allocates 0 bytes allocates 0 objects: that figure comes free either way.
     */
    public boolean objects() {
        return objects;
    }

    /** What is measured, as failure messages name it, for example {@code Parser.parse()}. */
    public String name() {
        return name;
    }

    /**
     * The most allocations the object-counting run records (each costs microseconds): it runs as many
     * operations as fit, at least one, at most {@link #runs()}.
     */
    public int maxSiteSamples() {
        return maxSiteSamples;
    }

    public AllocationOptions withWarmup(int warmup) {
        return new AllocationOptions(warmup, runs, objects, name, maxSiteSamples);
    }

    public AllocationOptions withRuns(int runs) {
        return new AllocationOptions(warmup, runs, objects, name, maxSiteSamples);
    }

    /**
     * A copy that counts objects and finds their allocation sites ({@code true}), or counts bytes only
     * ({@code false}, the default). Counting objects runs the operation again, as many times as
     * {@link #maxSiteSamples()} allows, with async-profiler recording every allocation: exact, but
     * microseconds per allocation. Without async-profiler (Windows, musl) sites are sampled by JFR
     * and objects are not counted; the report says so.
     */
    public AllocationOptions withObjects(boolean objects) {
        return new AllocationOptions(warmup, runs, objects, name, maxSiteSamples);
    }

    public AllocationOptions withName(String name) {
        return new AllocationOptions(warmup, runs, objects, name, maxSiteSamples);
    }

    public AllocationOptions withMaxSiteSamples(int samples) {
        if (samples < 1) {
            throw new IllegalArgumentException("maxSiteSamples must be positive, was " + samples);
        }
        return new AllocationOptions(warmup, runs, objects, name, samples);
    }

    @Override
    public String toString() {
        return "AllocationOptions[warmup=" + warmup + ", runs=" + runs + ", objects=" + objects + ", name=" + name
                + "]";
    }
}
