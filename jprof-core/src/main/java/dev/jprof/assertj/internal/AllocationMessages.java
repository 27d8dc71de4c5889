package dev.jprof.assertj.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.jprof.alloc.AllocationReport;
import dev.jprof.alloc.AllocationSite;
import dev.jprof.internal.Figures;
import java.util.List;
import org.apiguardian.api.API;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * The failure messages of allocation assertions, one factory per failure: what was expected, what
 * was measured, then where it comes from, so that a developer need not open a file:
 *
 * <pre>
 * Expecting ParserTest.parse() to allocate at most 0 B/op
 * but it allocated 48 B/op (1.5 objects/op):
 *   32 B/op  1 objects/op  java.lang.Integer   &lt;- Integer.valueOf &lt;- Parser.parse(Parser.java:42)
 *   16 B/op  0.5 objects/op  java.lang.Object[]  &lt;- ArrayList.grow &lt;- Parser.parse(Parser.java:57)
 * </pre>
 */
@API(status = INTERNAL, since = "0.1")
public final class AllocationMessages {

    /** At most this many sites are listed; the rest are summed up in one line. */
    public static final int MAX_SITES = 8;

    private AllocationMessages() {}

    /** {@code report} allocated more than {@code limit} bytes per op. */
    public static ErrorMessageFactory shouldAllocateAtMostBytes(AllocationReport report, double limit) {
        return new Message(
                "Expecting %s to allocate at most %s B/op%nbut it allocated %s%s",
                report.name(), Figures.perOp(limit), report.figures(), details(report));
    }

    /** {@code report} allocated more than {@code limit} objects per op. */
    public static ErrorMessageFactory shouldAllocateAtMostObjects(AllocationReport report, double limit) {
        String objects = report.objectsCounted()
                ? Figures.perOp(report.objectsPerOp()) + " objects/op"
                : "an unknown number of objects/op";
        return new Message(
                "Expecting %s to allocate at most %s objects/op%nbut it allocated %s (%s B/op)%s",
                report.name(),
                Figures.perOp(limit),
                objects,
                Figures.perOp(report.totalBytes(), report.ops()),
                details(report));
    }

    /** Objects were not counted, so a limit on them cannot be checked. */
    public static String objectsNotCounted(AllocationReport report) {
        return shouldHaveCountedObjects(report).create();
    }

    /** As {@link #objectsNotCounted}, for an AssertJ assertion. */
    public static ErrorMessageFactory shouldHaveCountedObjects(AllocationReport report) {
        return new Message(
                "Expecting %s to have a counted number of objects/op%nbut objects were not counted (%s)%s",
                report.name(), report.method(), details(report));
    }

    /** Some thread of the measured operation escaped counting, so the figures are a lower bound. */
    public static ErrorMessageFactory shouldBeExact(AllocationReport report) {
        return new Message(
                "Expecting the allocation figures of %s to be exact but they are not:%n  %s",
                report.name(), String.join(System.lineSeparator() + "  ", report.notes()));
    }

    /**
     * A message of prose arguments: the measured code's name, the method, the sites are shown as they
     * are, unquoted, as in {@code @AllocationLimit}'s failures that share these messages.
     */
    private static final class Message extends BasicErrorMessageFactory {

        Message(String format, Object... arguments) {
            super(format, unquoted(arguments));
        }

        private static Object[] unquoted(Object... arguments) {
            Object[] shown = new Object[arguments.length];
            for (int i = 0; i < arguments.length; i++) {
                shown[i] = unquotedString(String.valueOf(arguments[i]));
            }
            return shown;
        }
    }

    /**
     * {@code report} allocated more than its baseline allows.
     *
     * @param baseline the bytes per op recorded in the baseline
     * @param allowed the baseline plus the tolerance
     * @param where the baseline file and how to update it
     */
    public static ErrorMessageFactory shouldNotExceedBaseline(
            AllocationReport report, double baseline, double allowed, String where) {
        return new Message(
                "Expecting %s to allocate at most %s B/op (baseline %s B/op + tolerance)%n"
                        + "but it allocated %s, %s B/op more than the baseline%s%n%s",
                report.name(),
                Figures.perOp(allowed),
                Figures.perOp(baseline),
                report.figures(),
                Figures.perOp(report.bytesPerOp() - baseline),
                details(report),
                where);
    }

    /** The sites (or why there are none), the threads counted and the notes, each line indented. */
    public static String details(AllocationReport report) {
        StringBuilder b = new StringBuilder();
        List<AllocationSite> sites = report.sites();
        switch (report.siteSource()) {
            case EXACT -> b.append(":\n");
            case SAMPLED -> b.append("; sites sampled by JFR (async-profiler is not available), approximate:\n");
            case NONE ->
                b.append(report.totalBytes() == 0 ? "" : "\n  (no allocation sites: " + whyNoSites(report) + ")");
        }
        if (!sites.isEmpty()) {
            b.append(siteLines(sites, report.siteSource() == AllocationReport.SiteSource.EXACT));
        }
        if (report.threads().size() > 1) {
            b.append("\n  counted threads: ").append(String.join(", ", report.threads()));
        }
        for (String note : report.notes()) {
            b.append("\n  note: ").append(note);
        }
        return b.toString();
    }

    private static String whyNoSites(AllocationReport report) {
        return report.notes().stream()
                .filter(n -> n.startsWith("Allocation sites not found"))
                .findFirst()
                .orElse("not looked for");
    }

    /** One aligned line per site, most bytes first, at most {@link #MAX_SITES}. */
    public static String siteLines(List<AllocationSite> sites, boolean withObjects) {
        int shown = Math.min(sites.size(), MAX_SITES);
        String[] bytes = new String[shown];
        String[] objects = new String[shown];
        int wb = 0;
        int wo = 0;
        int wt = 0;
        for (int i = 0; i < shown; i++) {
            AllocationSite s = sites.get(i);
            bytes[i] = Figures.perOp(s.bytes(), s.ops()) + " B/op";
            objects[i] = Figures.perOp(s.objects(), s.ops()) + " objects/op";
            wb = Math.max(wb, bytes[i].length());
            wo = Math.max(wo, objects[i].length());
            wt = Math.max(wt, s.type().length());
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < shown; i++) {
            AllocationSite s = sites.get(i);
            if (i > 0) {
                b.append('\n');
            }
            b.append("  ").append(padLeft(bytes[i], wb)).append("  ");
            if (withObjects) {
                b.append(padLeft(objects[i], wo)).append("  ");
            }
            b.append(padRight(s.type(), wt));
            String stack = s.shortStack();
            if (!stack.isEmpty()) {
                b.append("  <- ").append(stack);
            }
        }
        if (sites.size() > shown) {
            long rest = 0;
            for (AllocationSite s : sites.subList(shown, sites.size())) {
                rest += s.bytes();
            }
            b.append("\n  ... ")
                    .append(sites.size() - shown)
                    .append(" more sites, ")
                    .append(Figures.perOp(rest, sites.get(0).ops()))
                    .append(" B/op");
        }
        return b.toString();
    }

    private static String padLeft(String s, int width) {
        return " ".repeat(Math.max(0, width - s.length())) + s;
    }

    private static String padRight(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
