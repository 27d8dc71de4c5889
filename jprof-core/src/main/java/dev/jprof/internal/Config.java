package dev.jprof.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apiguardian.api.API;

/**
 * What every module reads configuration with: the one boolean parser, and the one list of
 * {@code jprof.*} keys with the check that warns about the keys nobody reads (a typo such as
 * {@code jprof.cpu.intreval} silently leaves the default in force).
 */
@API(status = INTERNAL, since = "0.1")
public final class Config {

    /** The prefix of every jprof configuration key. */
    public static final String PREFIX = "jprof.";

    /**
     * Every {@code jprof.*} key that some part of jprof reads, in one list: a key that is not here is
     * reported as unknown. The modules' constants for these keys are checked against this list by
     * their tests.
     */
    public static final List<String> KNOWN_KEYS = List.of(
            // jprof-core: capture (ProfileOptions, TraceOptions)
            "jprof.engine",
            "jprof.cpu.interval",
            "jprof.cpu.event",
            "jprof.wall.interval",
            "jprof.alloc.interval",
            "jprof.lock.threshold",
            "jprof.trace.interval",
            // jprof-core: sampled assertions (Evidence)
            "jprof.repeat.budget",
            // jprof-junit: run settings, allocation limits and baselines
            "jprof.enabled",
            "jprof.output.dir",
            "jprof.profile",
            "jprof.compare",
            "jprof.flight",
            "jprof.flight.age",
            "jprof.flight.size",
            "jprof.threads",
            "jprof.threads.leaks",
            "jprof.threads.leaks.grace",
            "jprof.threads.leaks.ignore",
            "jprof.alloc.sites",
            "jprof.baseline.file",
            "jprof.baseline.update",
            "jprof.baseline.tolerance.bytes",
            "jprof.baseline.tolerance.percent",
            "jprof.baseline.missing",
            // jprof-maven-plugin: its goals' parameters, often on the same command line as the tests (mvn verify
            // jprof:…)
            "jprof.aggregate.dir",
            "jprof.inputs",
            "jprof.base",
            "jprof.current",
            "jprof.skip",
            "jprof.compare.fail",
            "jprof.compare.alpha",
            "jprof.compare.tolerance",
            "jprof.compare.allocTolerance",
            "jprof.compare.objectsTolerance",
            // jprof-jmh: set by the JMH host in each forked JVM
            "jprof.jmh.fork");

    /** Suggest a known key only when it is at most this many single-character edits away. */
    static final int MAX_SUGGESTION_DISTANCE = 3;

    private Config() {}

    /**
     * {@code true} or {@code false}, in any case, with surrounding whitespace ignored; anything else
     * ({@code yes}, {@code 1}, {@code nah}, empty) is an error.
     *
     * @param key names the setting in the error, for example {@code jprof.alloc.sites} or {@code --update}
     * @throws IllegalArgumentException {@code Invalid <key> [<value>]: expected true or false}
     */
    public static boolean parseBoolean(String value, String key) {
        String v = value == null ? "" : value.strip();
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("Invalid " + key + " [" + value + "]: expected true or false");
    }

    /**
     * The parts of a list setting between {@code separator}s, trimmed, blank ones left out:
     * {@code " cpu, ,alloc,"} is {@code [cpu, alloc]}; {@code null} is empty.
     */
    public static List<String> split(String value, char separator) {
        List<String> parts = new ArrayList<>();
        if (value == null) {
            return parts;
        }
        int start = 0;
        while (start <= value.length()) {
            int end = value.indexOf(separator, start);
            if (end < 0) {
                end = value.length();
            }
            String part = value.substring(start, end).strip();
            if (!part.isEmpty()) {
                parts.add(part);
            }
            start = end + 1;
        }
        return parts;
    }

    /**
     * One warning for each key of {@code present} that starts with {@value #PREFIX} but is not in
     * {@code known}, in key order, naming the nearest known key when one is close (a likely typo).
     * Keys without the prefix are not jprof's and are ignored.
     */
    public static List<String> unknownKeyWarnings(Collection<String> known, Collection<String> present) {
        List<String> warnings = new ArrayList<>();
        Set<String> knownSet = Set.copyOf(known);
        for (String key : new TreeSet<>(present)) {
            if (!key.startsWith(PREFIX) || knownSet.contains(key)) {
                continue;
            }
            String nearest = nearest(known, key);
            warnings.add("Unknown configuration key [" + key + "]: jprof does not read it"
                    + (nearest == null ? "" : "; did you mean [" + nearest + "]?"));
        }
        return warnings;
    }

    /** The known key closest to {@code key} (case-insensitive edit distance), or null when none is close. */
    static String nearest(Collection<String> known, String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String k = key.toLowerCase(Locale.ROOT);
        for (String candidate : new TreeSet<>(known)) {
            int d = distance(k, candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return bestDistance <= MAX_SUGGESTION_DISTANCE ? best : null;
    }

    /**
     * Edit distance with adjacent transpositions (optimal string alignment): insertions, deletions,
     * substitutions and swaps of two neighbours each count 1, so {@code intreval} is 1 from
     * {@code interval}.
     */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[a.length()][b.length()];
    }
}
