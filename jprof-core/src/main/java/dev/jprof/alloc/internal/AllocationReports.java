package dev.jprof.alloc.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.jprof.alloc.AllocationOptions;
import dev.jprof.alloc.AllocationReport;
import dev.jprof.capture.CaptureException;
import dev.jprof.internal.Figures;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/** The {@link AllocationReport} of measured runs, with their allocation sites found when asked for. */
@API(status = INTERNAL, since = "0.1")
public final class AllocationReports {

    private AllocationReports() {}

    /** Finds sites over a given number of runs. */
    @FunctionalInterface
    public interface SiteFinder {
        Attribution.Result find(int runs) throws Throwable;
    }

    /**
     * The report for runs measured by {@code counts}; {@code sites} re-runs the operation under a
     * profiler when objects are asked for and it allocated, or when the counters could not see all its
     * bytes (a thread it started ended before it returned). {@link dev.jprof.alloc.Allocations#measure} and
     * jprof's JUnit extension (which measures one run of a test body itself) share it.
     */
    public static AllocationReport report(
            AllocationOptions options, ThreadAllocations.Counts counts, int runs, SiteFinder sites) throws Throwable {
        List<String> notes = new ArrayList<>();
        long bytes = counts.bytes();
        boolean exact = counts.complete();
        long ops = runs;
        long objects = -1;
        long objectOps = 0;
        List<String> threads = counts.threads();
        String method = "bytes from the JVM's per-thread allocation counters (exact)";
        if (!exact) {
            notes.add(counts.problem());
        }
        if (bytes == 0 && exact) {
            objects = 0;
            objectOps = runs;
            method += "; 0 bytes means 0 objects";
        }
        Attribution.Result attribution = null;
        // the profiler also recovers the bytes of threads that ended before the counters were read
        boolean wanted = (options.objects() && bytes > 0) || !exact;
        if (wanted && sites != null) {
            int siteRuns = exact ? siteRuns(options, (double) bytes / runs, runs) : runs;
            try {
                attribution = sites.find(siteRuns);
                if (exact && attribution.exact() && attribution.bytes() * ops != bytes * attribution.ops()) {
                    // a run disturbed by the JVM (see measure) allocates more: try once more
                    Attribution.Result again = sites.find(siteRuns);
                    if (again.exact() && again.bytes() * ops == bytes * again.ops()) {
                        attribution = again;
                    }
                }
            } catch (CaptureException e) {
                notes.add("Allocation sites not found: " + e.getMessage());
            }
        }
        if (attribution == null && objects < 0 && sites != null && !options.objects()) {
            method += "; objects not counted (AllocationOptions.withObjects(true) counts them)";
        }
        AllocationReport.SiteSource source = AllocationReport.SiteSource.NONE;
        List<dev.jprof.alloc.AllocationSite> found = List.of();
        if (attribution != null) {
            found = attribution.sites();
            source = attribution.exact() ? AllocationReport.SiteSource.EXACT : AllocationReport.SiteSource.SAMPLED;
            if (attribution.exact()) {
                objects = attribution.objects();
                objectOps = attribution.ops();
                method += "; objects and sites from async-profiler recording every allocation over "
                        + (attribution.ops() == runs ? "as many runs" : attribution.ops() + " runs")
                        + (attribution.freshThread()
                                ? " on a fresh thread"
                                : attribution.notFresh() != null
                                        ? " on the calling thread, because on a fresh thread " + attribution.notFresh()
                                        : "");
                boolean unambiguous = attribution.counts().threadsStarted()
                        <= attribution.counts().threadsCreated();
                if (!exact && unambiguous) {
                    bytes = attribution.bytes();
                    ops = attribution.ops();
                    threads = attribution.threads();
                    exact = true;
                    method = "bytes, objects and sites from async-profiler recording every allocation of the"
                            + " operation's threads (exact), because " + counts.problem();
                    notes.clear();
                } else if (exact && attribution.bytes() * ops != bytes * attribution.ops()) {
                    objects = -1;
                    objectOps = 0;
                    notes.add("Run again to find the sites, it allocated "
                            + Figures.perOp(attribution.bytes(), attribution.ops())
                            + " B/op instead of " + Figures.perOp(bytes, ops) + " B/op"
                            + ": " + whyDifferent(attribution, bytes, ops));
                }
            } else {
                method += "; sites sampled by JFR (async-profiler is not available): approximate, objects not counted";
            }
        }
        return new AllocationReport(
                options.name(),
                ops,
                bytes,
                objects,
                objectOps,
                threads,
                method,
                exact,
                found,
                source,
                notes,
                attribution == null ? null : attribution.profile());
    }

    /**
     * Why the site-finding runs' recording holds other than the measured {@code bytes} over {@code ops} runs.
     * When it holds fewer than the thread counters saw over the very same runs, the recording missed them;
     * otherwise the runs themselves allocated differently.
     */
    private static String whyDifferent(Attribution.Result attribution, long bytes, long ops) {
        ThreadAllocations.Counts same = attribution.counts();
        if (same.complete() && attribution.bytes() < same.bytes()) {
            return "the recording missed " + (same.bytes() - attribution.bytes())
                    + " B that the thread's allocation counter saw in the same runs (the JVM's heap sampler, which"
                    + " async-profiler records every allocation with, now and then steps over a small object)";
        }
        if (attribution.bytes() < bytes * attribution.ops() / ops) {
            return "the rest was one-time work in the measured run (the first execution of a lambda or method"
                    + " reference links it, a class is loaded or initialized, a cache filled)";
        }
        return "the operation does not allocate the same in every run";
    }

    private static int siteRuns(AllocationOptions options, double bytesPerOp, int runs) {
        // at least 16 bytes per object: an upper bound of the objects per run
        double objectsPerOp = Math.max(1, bytesPerOp / 16);
        long fit = (long) (options.maxSiteSamples() / objectsPerOp);
        return (int) Math.max(1, Math.min(runs, fit));
    }
}
