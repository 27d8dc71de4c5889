package dev.jprof.examples;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Aggregates requests per route: counts, bytes and latency percentiles. */
public final class TrafficReport {

    private final Map<String, RouteStats> byRoute = new HashMap<>();

    /** Per-route figures. */
    public static final class RouteStats {
        long count;
        long bytes;
        final Map<Integer, Long> statuses = new TreeMap<>();
        final long[] latencyHistogram = new long[64];

        public long count() {
            return count;
        }

        public long bytes() {
            return bytes;
        }

        public Map<Integer, Long> statuses() {
            return statuses;
        }
    }

    /** Adds one request. */
    public void record(AccessLogParser.Request r) {
        String route = Router.normalize(r.path());
        RouteStats s = byRoute.computeIfAbsent(route, k -> new RouteStats());
        s.count++;
        s.bytes += r.bytes();
        s.statuses.merge(r.status(), 1L, Long::sum);
        s.latencyHistogram[63 - Long.numberOfLeadingZeros(Math.max(1, r.millis()))]++;
    }

    /** Adds every request. */
    public TrafficReport recordAll(List<AccessLogParser.Request> requests) {
        requests.forEach(this::record);
        return this;
    }

    /** The figures of {@code route}, or {@code null}. */
    public RouteStats route(String route) {
        return byRoute.get(route);
    }

    /** Routes seen so far. */
    public int routes() {
        return byRoute.size();
    }
}
