package dev.jprof.alloc;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.jprof.internal.Figures;
import dev.jprof.profile.Profile;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What an operation allocated: exact totals over {@link #ops()} runs, per-op figures as exact
 * fractions (1.5 objects/op, not 1), the threads counted, how it was measured and where the bytes
 * come from.
 *
 * @param name what was measured, as messages name it
 * @param ops the measured runs {@link #totalBytes()} covers
 * @param totalBytes bytes allocated by the counted threads over {@code ops} runs
 * @param totalObjects objects allocated over {@code objectOps} runs, or {@code -1} when not counted
 * @param objectOps the runs {@code totalObjects} covers ({@code ops}, or fewer when counting every
 *     object of every run would have taken too long); {@code 0} when objects were not counted
 * @param threads the names of the counted threads: the calling thread first, then the threads the
 *     operation started
 * @param method how the figures were measured, in words
 * @param exact whether {@code totalBytes} is exact; when not, {@code notes} says why
 * @param sites the allocation sites, most bytes first; empty when not looked for
 * @param siteSource how the sites were found
 * @param notes what a reader should know about the figures (empty when nothing)
 * @param profile the allocation profile of the site-finding run, or {@code null}
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record AllocationReport(
        String name,
        long ops,
        long totalBytes,
        long totalObjects,
        long objectOps,
        List<String> threads,
        String method,
        boolean exact,
        List<AllocationSite> sites,
        SiteSource siteSource,
        List<String> notes,
        Profile profile) {

    /** How allocation sites were found. */
    public enum SiteSource {
        /** Not looked for: the operation allocated nothing, or sites were not asked for, or no profiler could run. */
        NONE,
        /** async-profiler recorded every allocation: exact bytes and objects per site. */
        EXACT,
        /** JFR sampled allocations (async-profiler unavailable): sites and their shares are estimates. */
        SAMPLED
    }

    public AllocationReport {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(siteSource, "siteSource");
        threads = List.copyOf(threads);
        sites = List.copyOf(sites);
        notes = List.copyOf(notes);
        if (ops < 1) {
            throw new IllegalArgumentException("ops must be positive, was " + ops);
        }
    }

    /** Bytes per run: {@code totalBytes / ops}. */
    public double bytesPerOp() {
        return (double) totalBytes / ops;
    }

    /** Whether objects were counted. */
    public boolean objectsCounted() {
        return totalObjects >= 0 && objectOps > 0;
    }

    /** Objects per run, or {@code NaN} when objects were not counted (see {@link #method()}). */
    public double objectsPerOp() {
        return objectsCounted() ? (double) totalObjects / objectOps : Double.NaN;
    }

    /** The allocation profile of the site-finding run, if there was one. */
    public Optional<Profile> allocationProfile() {
        return Optional.ofNullable(profile);
    }

    /** {@code 48 B/op (1.5 objects/op)}, or {@code 48 B/op} when objects were not counted. */
    public String figures() {
        String s = Figures.perOp(totalBytes, ops) + " B/op";
        return objectsCounted() ? s + " (" + Figures.perOp(totalObjects, objectOps) + " objects/op)" : s;
    }

    @Override
    public String toString() {
        return name + ": " + figures() + " over " + ops + " runs" + (exact ? "" : " (not exact)") + "; " + method;
    }
}
