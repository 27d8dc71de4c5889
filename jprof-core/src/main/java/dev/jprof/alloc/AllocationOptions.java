package dev.jprof.alloc;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * How {@link Allocations#measure(AllocationOptions, dev.jprof.capture.Profiler.ThrowingRunnable)}
 * measures: warm-up runs, measured runs, whether to find the allocation sites, and a name for
 * messages. Immutable; every {@code with…} method returns a copy.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class AllocationOptions {

    /** When to count objects and find allocation sites with async-profiler (about 250× slower per allocation). */
    public enum Sites {
        /** Only when the operation allocates (the default): an operation allocating 0 bytes allocates 0 objects. */
        WHEN_ALLOCATING,
        /** Never: bytes only, objects unknown unless the operation allocates nothing. */
        NEVER
    }

    static final int DEFAULT_RUNS = 1_000;
    static final int DEFAULT_SITE_SAMPLES = 200_000;

    private final int warmup;
    private final int runs;
    private final Sites sites;
    private final String name;
    private final int maxSiteSamples;

    private AllocationOptions(int warmup, int runs, Sites sites, String name, int maxSiteSamples) {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be at least 1, was " + runs);
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("warmup must not be negative, was " + warmup);
        }
        this.warmup = warmup;
        this.runs = runs;
        this.sites = Objects.requireNonNull(sites, "sites");
        this.name = Objects.requireNonNull(name, "name");
        this.maxSiteSamples = maxSiteSamples;
    }

    /** {@code runs} measured runs after as many warm-up runs, sites when allocating, named "operation". */
    public static AllocationOptions runs(int runs) {
        return new AllocationOptions(runs, runs, Sites.WHEN_ALLOCATING, "operation", DEFAULT_SITE_SAMPLES);
    }

    /** 1,000 warm-up runs and 1,000 measured runs. */
    public static AllocationOptions defaults() {
        return runs(DEFAULT_RUNS);
    }

    public int warmup() {
        return warmup;
    }

    public int runs() {
        return runs;
    }

    public Sites sites() {
        return sites;
    }

    /** What is measured, as failure messages name it, for example {@code Parser.parse()}. */
    public String name() {
        return name;
    }

    /**
     * The most allocations the site-finding run records (each costs microseconds): it runs as many
     * operations as fit, at least one, at most {@link #runs()}.
     */
    public int maxSiteSamples() {
        return maxSiteSamples;
    }

    public AllocationOptions withWarmup(int warmup) {
        return new AllocationOptions(warmup, runs, sites, name, maxSiteSamples);
    }

    public AllocationOptions withRuns(int runs) {
        return new AllocationOptions(warmup, runs, sites, name, maxSiteSamples);
    }

    public AllocationOptions withSites(Sites sites) {
        return new AllocationOptions(warmup, runs, sites, name, maxSiteSamples);
    }

    public AllocationOptions withName(String name) {
        return new AllocationOptions(warmup, runs, sites, name, maxSiteSamples);
    }

    public AllocationOptions withMaxSiteSamples(int samples) {
        if (samples < 1) {
            throw new IllegalArgumentException("maxSiteSamples must be positive, was " + samples);
        }
        return new AllocationOptions(warmup, runs, sites, name, samples);
    }

    @Override
    public String toString() {
        return "AllocationOptions[warmup=" + warmup + ", runs=" + runs + ", sites=" + sites + ", name=" + name + "]";
    }
}
