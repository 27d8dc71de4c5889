package dev.jprof.examples;

import dev.jprof.api.Jprof;
import dev.jprof.api.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * A three-stage pipeline over access log lines, marked with jprof regions: {@code parse} (on a pool
 * of workers, one chunk each, all regions of one {@code batch} task), {@code aggregate} and
 * {@code report}. Production code: the regions cost one volatile read when nothing records.
 */
public final class LogPipeline {

    private final AccessLogParser parser = new AccessLogParser();
    private final ExecutorService workers;

    public LogPipeline(ExecutorService workers) {
        this.workers = workers;
    }

    /** Parses {@code lines} in {@code chunks} chunks on the workers, aggregates them and returns the report. */
    public TrafficReport run(List<String> lines, int chunks) throws InterruptedException, ExecutionException {
        try (Task batch = Jprof.task("batch of " + lines.size() + " lines")) {
            List<Future<AccessLogParser.Result>> parsed = new ArrayList<>();
            int size = (lines.size() + chunks - 1) / chunks;
            for (int from = 0; from < lines.size(); from += size) {
                List<String> chunk = lines.subList(from, Math.min(lines.size(), from + size));
                parsed.add(workers.submit(() -> batch.region("parse", () -> parser.parseAll(chunk))));
            }
            List<AccessLogParser.Result> results = new ArrayList<>();
            for (Future<AccessLogParser.Result> f : parsed) {
                results.add(f.get());
            }
            TrafficReport report = batch.region("aggregate", () -> {
                TrafficReport r = new TrafficReport();
                results.forEach(x -> r.recordAll(x.requests()));
                return r;
            });
            int rejected =
                    results.stream().mapToInt(AccessLogParser.Result::rejected).sum();
            if (rejected > 0) {
                batch.log("input", rejected + " lines rejected");
            }
            return batch.region("report", () -> report);
        }
    }
}
